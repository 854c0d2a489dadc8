/**
 * `elb-local`'s side of the admin API: small typed calls over HTTP (node:http, which the SDK loads
 * anyway; `fetch` would load undici) to a running engine. Every call carries the engine's owner
 * token when ELB_LOCAL_HOME holds one (an engine started with `--credentials` wrote it, mode 0600).
 */
import {readFileSync} from 'node:fs'
import {join} from 'node:path'
import {OWNER_TOKEN_FILE} from '../../engine/constants.js'
import type {InstanceRecord} from '../../engine/model/types.js'
import {httpExchange, type JsonAnswer} from '../client/engine-probe.js'
import {adminExchange, adminPath, type AdminAnswer, type AdminRequest, type AdminRouteName} from '../../engine/admin/routes.js'
import type {
  AdminBackendStatus, AdminErrorBody, AdminTargetHealth, EngineStatus, HostsLine, HostsSyncAnswer, InstancesAnswer, ResetCounts,
  RunInstancesRequest,
} from '../../engine/admin/types.js'

export type {RunInstancesRequest}

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

/** The owner token the engine of `home` wrote, or undefined (none, or not readable by this user). */
export function readOwnerToken(home: string): string | undefined {
  try {
    return readFileSync(join(home, OWNER_TOKEN_FILE), 'utf8').trim() || undefined
  } catch {
    return undefined
  }
}

export type {HostsSyncAnswer}
export type HealthTarget = AdminTargetHealth

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
    return (await this.call('newConsoleLogin', {})).path
  }

  status(): Promise<EngineStatus> {
    return this.call('status', {})
  }

  async hosts(): Promise<readonly HostsLine[]> {
    return (await this.call('hosts', {})).hosts
  }

  /** `hosts --sync` (on) or `--remove` (off): the engine's block in its hosts file. */
  async hostsSync(on: boolean): Promise<HostsSyncAnswer> {
    return (await this.call(on ? 'syncHostsFile' : 'removeHostsFileBlock', {})).hostsSync
  }

  /** Every health-checked (load balancer, instance) pair and its health, as DescribeInstanceHealth says. */
  async healthTargets(): Promise<readonly HealthTarget[]> {
    return (await this.call('health', {targets: '1'})).targets ?? []
  }

  async describeInstances(region?: string, instanceIds: readonly string[] = []): Promise<readonly InstanceRecord[]> {
    return (await this.call('describeInstances', {instanceId: instanceIds, ...(region === undefined ? {} : {region})})).instances
  }

  async runInstances(request: RunInstancesRequest): Promise<readonly InstanceRecord[]> {
    return (await this.call('runInstances', request)).instances
  }

  /** The instances as they are now; for `start`, also the load balancers that still hold an old address. */
  changeInstances(verb: 'stop' | 'start' | 'terminate', instanceIds: readonly string[], region?: string): Promise<InstancesAnswer> {
    return this.call(`${verb}Instances`, {instanceIds, ...(region === undefined ? {} : {region})})
  }

  async backends(verb: 'pause' | 'resume', instanceIds: readonly string[], region?: string): Promise<readonly AdminBackendStatus[]> {
    return (await this.call(`${verb}Backends`, {instanceIds, ...(region === undefined ? {} : {region})})).backends
  }

  async reset(): Promise<ResetCounts> {
    return (await this.call('reset', {})).removed
  }

  async shutdown(): Promise<void> {
    await this.call('shutdown', {})
  }

  /** The URL of a route whose answer is not one JSON document (the traffic feed), for a streaming request. */
  url(name: AdminRouteName): string {
    return `${this.endpoint}${adminPath(name)}`
  }

  /** One route of the table (src/engine/admin/routes.ts), its JSON answer typed as the table says. */
  async call<Name extends AdminRouteName>(name: Name, request: AdminRequest<Name>): Promise<AdminAnswer<Name>> {
    const {method, path, body} = adminExchange(name, request)
    let answer: JsonAnswer
    try {
      answer = await httpExchange(method, `${this.endpoint}${path}`, body, undefined, this.ownerHeaders())
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
    return parsed as AdminAnswer<Name>
  }
}
