/**
 * `elb-local`'s side of the admin API: small typed calls over HTTP (node:http, which the SDK loads
 * anyway; `fetch` would load undici) to a running engine. Every call carries the engine's owner
 * token when ELB_LOCAL_HOME holds one (an engine started with `--credentials` wrote it, mode 0600).
 */
import {readFileSync} from 'node:fs'
import {request} from 'node:http'
import {join} from 'node:path'
import {OWNER_TOKEN_FILE} from '../../engine/admin/owner-access.js'
import type {InstanceRecord} from '../../engine/model/types.js'
import type {TargetSummary} from '../../engine/health/checker.js'
import type {HostsSyncStatus} from '../../engine/dns/hosts-sync.js'
import type {JsonAnswer} from '../client/engine-probe.js'
import type {AdminBackendStatus, AdminErrorBody, EngineStatus, HostsLine, InstancesAnswer, ResetCounts} from '../../engine/admin/types.js'

export class AdminApiError extends Error {
  constructor(readonly code: string, message: string, readonly status: number) {
    super(message)
    this.name = 'AdminApiError'
  }
}

export class EngineNotRunningError extends Error {
  constructor(readonly endpoint: string) {
    super(`The local engine is not running at ${endpoint}. Start it with \`elb-local start\`.`)
    this.name = 'EngineNotRunningError'
  }
}

export interface RunInstancesRequest {
  readonly region?: string
  readonly count?: number
  readonly instanceId?: string
  readonly privateIp?: string
  readonly availabilityZone?: string
  readonly serve?: readonly {readonly protocol: string; readonly port: number}[]
}

/** The owner token the engine of `home` wrote, or undefined (none, or not readable by this user). */
export function readOwnerToken(home: string): string | undefined {
  try {
    return readFileSync(join(home, OWNER_TOKEN_FILE), 'utf8').trim() || undefined
  } catch {
    return undefined
  }
}

/** One HTTP exchange with a JSON body and these headers; rejects when nothing answers in time. */
function exchange(method: 'GET' | 'POST', url: string, headers: Record<string, string>, body?: unknown, timeoutMs = 10_000): Promise<JsonAnswer> {
  const payload = body === undefined ? undefined : JSON.stringify(body)
  const contentHeaders = payload === undefined ? {} : {'Content-Type': 'application/json', 'Content-Length': String(Buffer.byteLength(payload))}
  return new Promise((resolve, reject) => {
    const outgoing = request(url, {method, timeout: timeoutMs, headers: {...headers, ...contentHeaders}}, (response) => {
      const chunks: Buffer[] = []
      response.on('data', (chunk: Buffer) => chunks.push(chunk))
      response.once('end', () => { resolve({status: response.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8')}) })
      response.once('error', reject)
    })
    outgoing.once('timeout', () => outgoing.destroy(new Error(`no answer within ${timeoutMs / 1000} s`)))
    outgoing.once('error', reject)
    outgoing.end(payload)
  })
}

export type HostsSyncAnswer = HostsSyncStatus
export type HealthTarget = TargetSummary

export class AdminClient {
  /** `home`: the ELB_LOCAL_HOME whose owner token to send (read at each call: a restarted engine writes a new one). */
  constructor(readonly endpoint: string, private readonly home?: string) {}

  /** The headers that prove this user owns the engine (none without a token). */
  ownerHeaders(): Record<string, string> {
    const token = this.home === undefined ? undefined : readOwnerToken(this.home)
    return token === undefined ? {} : {Authorization: `Bearer ${token}`}
  }

  /** The console's one-time login path (an engine that verifies signatures), for a browser. */
  async consoleLoginPath(): Promise<string> {
    return (await this.call<{path: string}>('POST', 'console-login', {})).path
  }

  status(): Promise<EngineStatus> {
    return this.call('GET', 'status')
  }

  async hosts(): Promise<HostsLine[]> {
    return (await this.call<{hosts: HostsLine[]}>('GET', 'hosts')).hosts
  }

  /** `hosts --sync` (on) or `--remove` (off): the engine's block in its hosts file. */
  async hostsSync(on: boolean): Promise<HostsSyncAnswer> {
    return (await this.call<{hostsSync: HostsSyncAnswer}>('POST', on ? 'hosts/sync' : 'hosts/remove', {})).hostsSync
  }

  /** Every health-checked (load balancer, instance) pair and its health, as DescribeInstanceHealth says. */
  async healthTargets(): Promise<HealthTarget[]> {
    return (await this.call<{targets: HealthTarget[]}>('GET', 'health')).targets
  }

  async describeInstances(region?: string, instanceIds: readonly string[] = []): Promise<InstanceRecord[]> {
    const query = new URLSearchParams()
    if (region !== undefined) query.set('region', region)
    for (const id of instanceIds) query.append('instanceId', id)
    const suffix = query.size === 0 ? '' : `?${query.toString()}`
    return (await this.call<{instances: InstanceRecord[]}>('GET', `instances${suffix}`)).instances
  }

  async runInstances(request: RunInstancesRequest): Promise<InstanceRecord[]> {
    return (await this.call<{instances: InstanceRecord[]}>('POST', 'instances/run', request)).instances
  }

  /** The instances as they are now; for `start`, also the load balancers that still hold an old address. */
  changeInstances(verb: 'stop' | 'start' | 'terminate', instanceIds: readonly string[], region?: string): Promise<InstancesAnswer> {
    const body = {instanceIds, ...(region === undefined ? {} : {region})}
    return this.call<InstancesAnswer>('POST', `instances/${verb}`, body)
  }

  async backends(verb: 'pause' | 'resume', instanceIds: readonly string[], region?: string): Promise<AdminBackendStatus[]> {
    const body = {instanceIds, ...(region === undefined ? {} : {region})}
    return (await this.call<{backends: AdminBackendStatus[]}>('POST', `backends/${verb}`, body)).backends
  }

  async reset(): Promise<ResetCounts> {
    return (await this.call<{removed: ResetCounts}>('POST', 'reset', {})).removed
  }

  async shutdown(): Promise<void> {
    await this.call('POST', 'shutdown', {})
  }

  private async call<T>(method: 'GET' | 'POST', path: string, body?: unknown): Promise<T> {
    let answer: JsonAnswer
    try {
      answer = await exchange(method, `${this.endpoint}/__elb-local/${path}`, this.ownerHeaders(), body)
    } catch {
      throw new EngineNotRunningError(this.endpoint)
    }
    let parsed: unknown
    try {
      parsed = JSON.parse(answer.text)
    } catch {
      throw new AdminApiError('BadAnswer', `The engine at ${this.endpoint} answered ${answer.status} with something that is not JSON (is it an elb-local engine?).`, answer.status)
    }
    if (answer.status < 200 || answer.status > 299) {
      const error = (parsed as Partial<AdminErrorBody>).error
      throw new AdminApiError(error?.code ?? 'Error', error?.message ?? `HTTP ${answer.status}`, answer.status)
    }
    return parsed as T
  }
}
