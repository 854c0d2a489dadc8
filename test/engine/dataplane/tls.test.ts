import {execFile} from 'node:child_process'
import {createServer as createHttpsServer, request as httpsRequest, Agent as HttpsAgent} from 'node:https'
import {TLSSocket, connect as tlsConnect, type PeerCertificate} from 'node:tls'
import type {AddressInfo} from 'node:net'
import {loadData} from '../../../src/common/data.js'
import {DataPlane} from '../../../src/engine/dataplane/index.js'
import {expandSslPolicyAttributes} from '../../../src/engine/model/elb/ssl-policy.js'
import type {LoadBalancerRecord, PolicyRecord} from '../../../src/engine/model/types.js'
import {
  TestHealth,
  cleanupCerts,
  closeServer,
  freePort,
  instance,
  listener,
  makeKeyPair,
  makeLoadBalancer,
  policy,
  serverCertificate,
  stateOf,
  type KeyPair,
} from './fixtures.js'

const LB_ADDRESS = '127.1.0.12'
const BACKEND_IP = '127.0.0.31'

interface Predefined {
  policies: {PolicyName: string; PolicyAttributeDescriptions: {AttributeName: string; AttributeValue: string}[]}[]
}

/** A listener policy as the model stores one created from a reference policy. */
function sslPolicy(name: string, reference: string): PolicyRecord {
  const source = loadData<Predefined>('elb-predefined-policies.json').policies.find(p => p.PolicyName === reference)
  if (source === undefined) throw new Error(reference)
  return policy(name, 'SSLNegotiationPolicyType', [
    ['Reference-Security-Policy', reference],
    ...source.PolicyAttributeDescriptions.map(a => [a.AttributeName, a.AttributeValue] as [string, string]),
  ])
}

interface Handshake {
  ok: boolean
  output: string
}

function sClient(port: number, args: string[]): Promise<Handshake> {
  return new Promise(resolve => {
    const child = execFile('openssl', ['s_client', '-connect', `${LB_ADDRESS}:${port}`, '-brief', ...args], {timeout: 10_000}, (error, stdout, stderr) => {
      resolve({ok: error === null && /CONNECTION ESTABLISHED/.test(stdout + stderr), output: stdout + stderr})
    })
    child.stdin?.end()
  })
}

function peerCertificate(port: number): Promise<PeerCertificate> {
  return new Promise((resolve, reject) => {
    const socket = tlsConnect({host: LB_ADDRESS, port, rejectUnauthorized: false}, () => {
      resolve(socket.getPeerCertificate())
      socket.destroy()
    })
    socket.on('error', reject)
  })
}

function httpsGet(port: number, agent: HttpsAgent): Promise<{status: number; body: string; cn: string}> {
  return new Promise((resolve, reject) => {
    const req = httpsRequest({host: LB_ADDRESS, port, path: '/', agent, rejectUnauthorized: false}, res => {
      let body = ''
      const socket = res.socket
      const cert = socket instanceof TLSSocket ? socket.getPeerCertificate() : undefined
      res.setEncoding('utf8')
      res.on('data', (c: string) => (body += c))
      res.on('end', () => { resolve({status: res.statusCode ?? 0, body, cn: String(cert?.subject.CN)}); })
    })
    req.on('error', reject)
    req.end()
  })
}

describe('data plane: TLS front end and back end', () => {
  const health = new TestHealth()
  let dataPlane: DataPlane
  let lbCert: KeyPair
  let lbCert2: KeyPair
  let backendKey: KeyPair
  let otherKey: KeyPair
  let backend: ReturnType<typeof createHttpsServer>
  let backendPort: number
  let backendHits = 0

  beforeAll(async () => {
    lbCert = makeKeyPair('lb-one')
    lbCert2 = makeKeyPair('lb-two')
    backendKey = makeKeyPair('backend')
    otherKey = makeKeyPair('other')
    backend = createHttpsServer({cert: backendKey.cert, key: backendKey.key}, (req, res) => {
      backendHits++
      req.resume()
      res.end(`secure ${String(req.headers['x-forwarded-proto'])}`)
    })
    await new Promise<void>(resolve => backend.listen(0, BACKEND_IP, resolve))
    backendPort = (backend.address() as AddressInfo).port
    dataPlane = new DataPlane({health, portOffset: 0})
  })

  afterAll(async () => {
    await dataPlane.close()
    await closeServer(backend)
    cleanupCerts()
  })

  function httpsLb(port: number, extra: Partial<LoadBalancerRecord> = {}, certName = 'one'): LoadBalancerRecord {
    return makeLoadBalancer({
      name: 'secure',
      localAddress: LB_ADDRESS,
      listeners: [listener('HTTPS', port, 'HTTPS', backendPort, {sslCertificateId: `arn:aws:iam::123456789012:server-certificate/${certName}`, policyNames: ['tls12']})],
      policies: [sslPolicy('tls12', 'ELBSecurityPolicy-TLS-1-2-2017-01')],
      instances: [instance('i-secure', BACKEND_IP)],
      ...extra,
    })
  }

  const certs = () => [serverCertificate('one', lbCert), serverCertificate('two', lbCert2)]

  test('the negotiation policy decides which protocols and ciphers a client may use', async () => {
    const port = await freePort(LB_ADDRESS)
    await dataPlane.apply(stateOf([httpsLb(port)], certs()))
    expect(dataPlane.listenerStatus()[0]).toMatchObject({state: 'bound'})
    expect((await sClient(port, ['-tls1_2'])).ok).toBe(true)
    expect((await sClient(port, ['-tls1_1', '-cipher', 'DEFAULT:@SECLEVEL=0'])).ok).toBe(false)
    expect((await sClient(port, ['-tls1_3'])).ok).toBe(false)
    // AES128-SHA is not in ELBSecurityPolicy-TLS-1-2-2017-01.
    expect((await sClient(port, ['-tls1_2', '-cipher', 'AES128-SHA'])).ok).toBe(false)
    const gcm = await sClient(port, ['-tls1_2', '-cipher', 'ECDHE-RSA-AES128-GCM-SHA256'])
    expect(gcm.ok).toBe(true)
    expect(gcm.output).toMatch(/ECDHE-RSA-AES128-GCM-SHA256/)
  })

  test('the default policy accepts TLS 1.0 with AES128-SHA; the server picks by its own order', async () => {
    const port = await freePort(LB_ADDRESS)
    await dataPlane.apply(stateOf([httpsLb(port, {policies: [], listeners: [listener('HTTPS', port, 'HTTP', backendPort, {sslCertificateId: 'arn:aws:iam::123456789012:server-certificate/one', policyNames: []})]})], certs()))
    const tls1 = await sClient(port, ['-tls1', '-cipher', 'AES128-SHA:@SECLEVEL=0'])
    expect(tls1.ok).toBe(true)
    expect(tls1.output).toMatch(/TLSv1\b/)
    // Client prefers AES256-SHA, the 2016-08 server order puts ECDHE-RSA-AES128-GCM-SHA256 first.
    const order = await sClient(port, ['-tls1_2', '-cipher', 'AES256-SHA:ECDHE-RSA-AES128-GCM-SHA256'])
    expect(order.output).toMatch(/ECDHE-RSA-AES128-GCM-SHA256/)
  })

  test('HTTPS to HTTPS: X-Forwarded-Proto https, any instance certificate accepted without an auth policy', async () => {
    const port = await freePort(LB_ADDRESS)
    await dataPlane.apply(stateOf([httpsLb(port)], certs()))
    const agent = new HttpsAgent({keepAlive: true})
    expect(await httpsGet(port, agent)).toMatchObject({status: 200, body: 'secure https', cn: 'lb-one'})
    agent.destroy()
  })

  test('a plain request relayed unchanged over HTTPS still gets X-Forwarded-Proto https', async () => {
    const port = await freePort(LB_ADDRESS)
    await dataPlane.apply(stateOf([httpsLb(port)], certs()))
    const reply = await new Promise<string>((resolve, reject) => {
      let text = ''
      const socket = tlsConnect({host: LB_ADDRESS, port, rejectUnauthorized: false}, () => socket.write('GET / HTTP/1.1\r\nHost: x\r\n\r\n'))
      socket.on('data', (chunk: Buffer) => {
        text += chunk.toString()
        if (text.endsWith('secure https')) {
          socket.destroy()
          resolve(text)
        }
      })
      socket.on('error', reject)
    })
    expect(reply).toMatch(/^HTTP\/1\.1 200 OK\r\n[\s\S]*secure https$/)
  })

  test('a certificate and policy change applies to new connections without dropping an open one', async () => {
    const port = await freePort(LB_ADDRESS)
    await dataPlane.apply(stateOf([httpsLb(port)], certs()))
    const agent = new HttpsAgent({keepAlive: true, maxSockets: 1})
    expect((await httpsGet(port, agent)).cn).toBe('lb-one')
    const swapped = httpsLb(port, {}, 'two')
    await dataPlane.apply(stateOf([{...swapped, policies: [sslPolicy('tls12', 'ELBSecurityPolicy-2016-08')]}], certs()))
    // The open keep-alive connection keeps working (same TLS session, old certificate)...
    expect(await httpsGet(port, agent)).toMatchObject({status: 200, cn: 'lb-one'})
    // ...new connections see the new certificate and the new policy.
    expect((await peerCertificate(port)).subject.CN).toBe('lb-two')
    expect((await sClient(port, ['-tls1', '-cipher', 'AES128-SHA:@SECLEVEL=0'])).ok).toBe(true)
    agent.destroy()
  })

  test('back-end authentication: the right key (SPKI or certificate) is accepted, a wrong one gets 502 and no bytes reach the instance', async () => {
    const port = await freePort(LB_ADDRESS)
    const withKey = (key: string): LoadBalancerRecord => httpsLb(port, {
      policies: [
        sslPolicy('tls12', 'ELBSecurityPolicy-TLS-1-2-2017-01'),
        policy('other-key', 'PublicKeyPolicyType', {PublicKey: otherKey.spki}),
        policy('backend-key', 'PublicKeyPolicyType', {PublicKey: key}),
        policy('auth', 'BackendServerAuthenticationPolicyType', [['PublicKeyPolicyName', 'other-key'], ['PublicKeyPolicyName', 'backend-key']]),
      ],
      backendServers: [{instancePort: backendPort, policyNames: ['auth']}],
    })
    await dataPlane.apply(stateOf([withKey(backendKey.spki)], certs()))
    expect(await httpsGet(port, new HttpsAgent())).toMatchObject({status: 200, body: 'secure https'})
    await dataPlane.apply(stateOf([withKey(backendKey.certBase64)], certs()))
    expect((await httpsGet(port, new HttpsAgent())).status).toBe(200)
    await dataPlane.apply(stateOf([withKey(otherKey.spki)], certs()))
    const before = backendHits
    expect((await httpsGet(port, new HttpsAgent())).status).toBe(502)
    expect(backendHits).toBe(before)
  })

  test('a policy with nothing this OpenSSL can offer (SSLv3 only) is reported and refuses connections', async () => {
    const port = await freePort(LB_ADDRESS)
    const sslv3 = policy('sslv3-only', 'SSLNegotiationPolicyType', {'Protocol-SSLv3': 'true', 'Protocol-TLSv1': 'false', 'Protocol-TLSv1.1': 'false', 'Protocol-TLSv1.2': 'false', 'AES128-SHA': 'true'})
    await dataPlane.apply(stateOf([httpsLb(port, {policies: [sslv3], listeners: [listener('HTTPS', port, 'HTTP', backendPort,
      {sslCertificateId: 'arn:aws:iam::123456789012:server-certificate/one', policyNames: ['sslv3-only']})]})], certs()))
    expect(dataPlane.listenerStatus()[0]?.state).toBe('error')
    expect(dataPlane.listenerStatus()[0]?.error).toMatch(/sslv3-only enables no protocol .*Protocol-SSLv3/)
    expect((await sClient(port, ['-tls1_2'])).ok).toBe(false)
  })

  test("the seed's policy (only Protocol-TLSv1 listed) serves the type's defaults and reports what OpenSSL cannot offer", async () => {
    const port = await freePort(LB_ADDRESS)
    const attributes = expandSslPolicyAttributes([{name: 'Protocol-TLSv1', value: 'true'}])
    const seed = policy('MySSLNegotiationPolicy', 'SSLNegotiationPolicyType', attributes.map(a => [a.name, a.value] as [string, string]))
    await dataPlane.apply(stateOf([httpsLb(port, {policies: [seed], listeners: [listener('HTTPS', port, 'HTTP', backendPort,
      {sslCertificateId: 'arn:aws:iam::123456789012:server-certificate/one', policyNames: ['MySSLNegotiationPolicy']})]})], certs()))
    const status = dataPlane.listenerStatus()[0]
    expect(status?.state).toBe('bound')
    expect(status?.notOffered).toEqual(expect.arrayContaining(['Protocol-SSLv3', 'RC4-SHA', 'RC4-MD5']))
    expect(status?.notOffered).not.toContain('AES128-SHA')
    // AES128-SHA is enabled by the type's default; TLSv1.2 is not (its DefaultValue is false).
    expect((await sClient(port, ['-tls1', '-cipher', 'AES128-SHA:@SECLEVEL=0'])).ok).toBe(true)
    expect((await sClient(port, ['-tls1', '-cipher', 'AES256-SHA:@SECLEVEL=0'])).ok).toBe(true)
    expect((await sClient(port, ['-tls1_2'])).ok).toBe(false)
  })

  test('a listener whose certificate is unknown reports why and refuses handshakes', async () => {
    const port = await freePort(LB_ADDRESS)
    await dataPlane.apply(stateOf([httpsLb(port, {}, 'missing')], certs()))
    expect(dataPlane.listenerStatus()[0]?.state).toBe('error')
    expect(dataPlane.listenerStatus()[0]?.error).toMatch(/server certificate .*missing is not available/)
    expect((await sClient(port, ['-tls1_2'])).ok).toBe(false)
    // A private key that does not belong to the certificate: reported, refused, nothing crashes.
    const broken = {...serverCertificate('one', lbCert), privateKey: otherKey.key}
    await dataPlane.apply(stateOf([httpsLb(port)], [broken]))
    expect(dataPlane.listenerStatus()[0]?.state).toBe('error')
    expect(dataPlane.listenerStatus()[0]?.error).toMatch(/certificate cannot be served/)
    expect((await sClient(port, ['-tls1_2'])).ok).toBe(false)
    await dataPlane.apply(stateOf([httpsLb(port)], certs()))
    expect(dataPlane.listenerStatus()[0]).toMatchObject({state: 'bound'})
    expect((await sClient(port, ['-tls1_2'])).ok).toBe(true)
  })
})
