/**
 * `elb-local`'s side of the admin API: small typed calls over HTTP (node:http, which the SDK loads
 * anyway; `fetch` would load undici) to a running engine.
 */
import type {InstanceRecord} from '../../engine/model/types.js'
import {httpExchange, type JsonAnswer} from '../client/engine-probe.js'
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

export class AdminClient {
  constructor(readonly endpoint: string) {}

  status(): Promise<EngineStatus> {
    return this.call('GET', 'status')
  }

  async hosts(): Promise<HostsLine[]> {
    return (await this.call<{hosts: HostsLine[]}>('GET', 'hosts')).hosts
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
      answer = await httpExchange(method, `${this.endpoint}/__elb-local/${path}`, body)
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
