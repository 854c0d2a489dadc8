import {execFileSync} from 'node:child_process'
import {mkdtempSync, readFileSync, rmSync} from 'node:fs'
import {createServer as createHttpServer, type IncomingMessage, type Server as HttpServer, type ServerResponse} from 'node:http'
import {connect, type AddressInfo, type Server} from 'node:net'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import type {
  EngineState,
  ListenerRecord,
  LoadBalancerRecord,
  PolicyRecord,
  ServerCertificateRecord,
} from '../../../src/engine/model/types.js'
import type {HealthChangeEvent, HealthSink, HealthSource} from '../../../src/engine/health/types.js'
import {claimPort} from '../../helpers/networks.js'

/**
 * A health source the test drives directly (the engine-level tests use the real HealthChecker):
 * instances are routable unless marked down.
 */
export class TestHealth implements HealthSource {
  readonly unknownRoutable = true
  /** `loadBalancerName/instanceId` of the instances marked down. */
  private readonly down = new Set<string>()
  private readonly sinks = new Set<HealthSink>()
  connect(sink: HealthSink): () => void {
    this.sinks.add(sink)
    for (const key of this.down) {
      const [loadBalancerName = '', instanceId = ''] = key.split('/')
      sink.healthChanged(TestHealth.event(instanceId, false, loadBalancerName))
    }
    return () => this.sinks.delete(sink)
  }
  set(instanceId: string, up: boolean, loadBalancerName = 'web'): void {
    if (up) this.down.delete(`${loadBalancerName}/${instanceId}`)
    else this.down.add(`${loadBalancerName}/${instanceId}`)
    for (const sink of this.sinks) sink.healthChanged(TestHealth.event(instanceId, up, loadBalancerName))
  }
  private static event(instanceId: string, up: boolean, loadBalancerName: string): HealthChangeEvent {
    const health = up
      ? {state: 'InService', reasonCode: 'N/A', description: 'N/A'} as const
      : {state: 'OutOfService', reasonCode: 'Instance', description: 'down'} as const
    return {kind: 'health', region: 'us-east-1', loadBalancerName, instanceId, routable: up, health}
  }
}

/** A port for a listener the data plane will bind on `host`, claimed for the rest of this test process (`networks.ts`). */
export async function freePort(host: string): Promise<number> {
  return (await claimPort(host)).port
}

export interface KeyPair {
  readonly cert: string
  readonly key: string
  /** base64 DER SubjectPublicKeyInfo, as `openssl x509 -pubkey` prints it without armour. */
  readonly spki: string
  /** base64 DER certificate. */
  readonly certBase64: string
}

let tmp: string | undefined

export function makeKeyPair(cn: string, keyType: 'rsa' | 'ec' = 'rsa'): KeyPair {
  tmp ??= mkdtempSync(join(tmpdir(), 'dp-certs-'))
  const key = join(tmp, `${cn}.key`)
  const cert = join(tmp, `${cn}.crt`)
  const newkey = keyType === 'rsa' ? ['-newkey', 'rsa:2048'] : ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1']
  execFileSync('openssl', ['req', '-x509', ...newkey, '-nodes', '-days', '2', '-subj', `/CN=${cn}`, '-keyout', key, '-out', cert], {stdio: 'ignore'})
  const pem = readFileSync(cert, 'utf8')
  const pub = execFileSync('openssl', ['x509', '-pubkey', '-noout', '-in', cert], {encoding: 'utf8'})
  const strip = (text: string): string => text.replace(/-----[A-Z ]+-----/g, '').replace(/\s+/g, '')
  return {cert: pem, key: readFileSync(key, 'utf8'), spki: strip(pub), certBase64: strip(pem)}
}

export function cleanupCerts(): void {
  if (tmp !== undefined) rmSync(tmp, {recursive: true, force: true})
  tmp = undefined
}

export function listener(protocol: ListenerRecord['protocol'], port: number, instanceProtocol: ListenerRecord['protocol'], instancePort: number, extra: Partial<ListenerRecord> = {}): ListenerRecord {
  return {protocol, loadBalancerPort: port, instanceProtocol, instancePort, policyNames: [], ...extra}
}

export function makeLoadBalancer(overrides: Partial<LoadBalancerRecord> & Pick<LoadBalancerRecord, 'name' | 'localAddress' | 'listeners'>): LoadBalancerRecord {
  return {
    dnsName: `${overrides.name}-1.us-east-1.elb.amazonaws.com`,
    createdTime: '2026-11-24T00:00:00.000Z',
    scheme: 'internet-facing',
    availabilityZones: ['us-east-1a'],
    subnets: [],
    securityGroups: [],
    backendServers: [],
    policies: [],
    healthCheck: {target: 'TCP:80', interval: 30, timeout: 5, unhealthyThreshold: 2, healthyThreshold: 10},
    instances: [],
    attributes: {
      crossZoneLoadBalancing: false,
      accessLog: {enabled: false},
      connectionDraining: {enabled: false, timeout: 300},
      idleTimeout: 60,
      additional: [{key: 'elb.http.desyncmitigationmode', value: 'defensive'}],
    },
    tags: [],
    ...overrides,
  }
}

export function instance(instanceId: string, privateIp: string, availabilityZone = 'us-east-1a'): LoadBalancerRecord['instances'][number] {
  return {instanceId, privateIp, availabilityZone, registeredAt: '2026-11-24T00:00:00.000Z'}
}

export function policy(name: string, typeName: string, attributes: Record<string, string> | [string, string][]): PolicyRecord {
  const list = Array.isArray(attributes) ? attributes : Object.entries(attributes)
  return {name, typeName, attributes: list.map(([n, value]) => ({name: n, value}))}
}

export function serverCertificate(name: string, pair: KeyPair): ServerCertificateRecord {
  return {
    name,
    id: `ASCA${name.toUpperCase()}`,
    path: '/',
    arn: `arn:aws:iam::123456789012:server-certificate/${name}`,
    certificateBody: pair.cert,
    privateKey: pair.key,
    uploadDate: '2026-11-24T00:00:00Z',
    expiration: '2026-11-26T00:00:00Z',
    tags: [],
  }
}

export function stateOf(loadBalancers: LoadBalancerRecord[], certificates: ServerCertificateRecord[] = []): EngineState {
  return {formatVersion: 1, accountId: '123456789012', regions: {'us-east-1': {loadBalancers, instances: []}}, iam: {serverCertificates: certificates}}
}

export type Handler = (req: IncomingMessage, res: ServerResponse) => void

/** A real HTTP back end on `host`; answers with its name unless a handler is given. */
export async function startHttpBackend(host: string, name: string, handler?: Handler): Promise<{server: HttpServer; port: number; requests: IncomingMessage[]}> {
  const requests: IncomingMessage[] = []
  const server = createHttpServer((req, res) => {
    requests.push(req)
    if (handler) {
      handler(req, res)
      return
    }
    req.resume()
    req.on('end', () => res.end(name))
  })
  server.keepAliveTimeout = 30_000
  await new Promise<void>(resolve => server.listen(0, host, resolve))
  return {server, port: (server.address() as AddressInfo).port, requests}
}

export async function closeServer(server: Server | HttpServer): Promise<void> {
  if ('closeAllConnections' in server) server.closeAllConnections()
  await new Promise<void>(resolve => server.close(() => { resolve(); }))
}

/** Send raw bytes on a new connection and collect everything until the server closes or `until` matches. */
export function rawExchange(host: string, port: number, data: string | Buffer, options: {until?: RegExp; timeoutMs?: number; halfClose?: boolean} = {}): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect({host, port})
    let text = ''
    const timer = setTimeout(() => {
      socket.destroy()
      resolve(text)
    }, options.timeoutMs ?? 3000)
    socket.on('connect', () => {
      socket.write(data)
      if (options.halfClose) socket.end()
    })
    socket.on('data', (chunk: Buffer) => {
      text += chunk.toString('latin1')
      if (options.until?.test(text)) {
        clearTimeout(timer)
        socket.destroy()
        resolve(text)
      }
    })
    socket.on('error', error => {
      clearTimeout(timer)
      if (text.length > 0) resolve(text)
      else reject(error)
    })
    socket.on('close', () => {
      clearTimeout(timer)
      resolve(text)
    })
  })
}
