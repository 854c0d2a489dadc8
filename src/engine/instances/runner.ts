/**
 * Reconciles demo backends with the snapshot: every running instance with `serve` specs gets a
 * DemoBackend per spec on `privateIp:localPort(port, offset)`; stopping or terminating an instance
 * closes them, starting it again opens them on its new IP.
 */
import type {AdminBackendStatus} from '../admin/types.js'
import {localPort, privilegedPortAdvice} from '../ports.js'
import {MAX_DEMO_BACKENDS} from '../model/instance-service.js'
import type {EngineState, ServeProtocol} from '../model/types.js'
import {InstanceCertificates} from './certificates.js'
import {DemoBackend} from './demo-backend.js'

export interface InstanceRunnerOptions {
  readonly home: string
  readonly portOffset?: number
  readonly log?: (line: string) => void
}

/** One demo server's row: the admin API's wire shape, reported as is (`elb-local status`). */
export type BackendStatus = AdminBackendStatus

interface Desired {
  readonly key: string
  readonly region: string
  readonly instanceId: string
  readonly privateIp: string
  readonly protocol: ServeProtocol
  readonly port: number
}

interface Running {
  readonly desired: Desired
  backend?: DemoBackend
  error?: string
}

export class InstanceRunner {
  private readonly running = new Map<string, Running>()
  /** Back ends past MAX_DEMO_BACKENDS (a state an older engine wrote): reported, never opened. */
  private overLimit: Desired[] = []
  private readonly paused = new Set<string>()
  private readonly certificates: InstanceCertificates
  private readonly portOffset: number
  private readonly log: (line: string) => void
  private chain: Promise<void> = Promise.resolve()
  private latest: EngineState | undefined
  private closed = false

  constructor(options: InstanceRunnerOptions) {
    this.certificates = new InstanceCertificates(options.home)
    this.portOffset = options.portOffset ?? 0
    this.log = options.log ?? (() => undefined)
  }

  /** Resolves once the backends match this snapshot (bind failures are recorded, not thrown). */
  apply(state: EngineState): Promise<void> {
    this.latest = state
    this.chain = this.chain.then(() => this.reconcile(state))
    return this.chain
  }

  /** Runtime only (tests, demos): take an instance's backends down without changing its EC2 state. */
  pause(instanceIds: readonly string[]): Promise<void> {
    for (const id of instanceIds) this.paused.add(id)
    return this.reapply()
  }

  resume(instanceIds: readonly string[]): Promise<void> {
    for (const id of instanceIds) this.paused.delete(id)
    return this.reapply()
  }

  /** End the open connections of these addresses' stand-ins (a connection fault was just set on them). */
  dropConnections(privateIps: ReadonlySet<string>): void {
    for (const entry of this.running.values()) if (privateIps.has(entry.desired.privateIp)) entry.backend?.dropConnections()
  }

  status(): BackendStatus[] {
    const rows: BackendStatus[] = []
    for (const entry of this.running.values()) {
      const {region, instanceId, privateIp, protocol, port} = entry.desired
      rows.push({
        region, instanceId, privateIp, protocol, port, localPort: localPort(port, this.portOffset),
        state: entry.error === undefined ? 'listening' : 'error',
        ...(entry.error === undefined ? {} : {error: entry.error}),
      })
    }
    for (const {region, instanceId, privateIp, protocol, port} of this.overLimit) {
      rows.push({
        region, instanceId, privateIp, protocol, port, localPort: localPort(port, this.portOffset), state: 'error',
        error: `not opened: the engine runs at most ${MAX_DEMO_BACKENDS} demo back ends`,
      })
    }
    for (const [region, regionState] of Object.entries(this.latest?.regions ?? {})) {
      for (const instance of regionState.instances) {
        if (instance.state !== 'running' || !this.paused.has(instance.instanceId)) continue
        for (const spec of instance.serve) {
          rows.push({
            region, instanceId: instance.instanceId, privateIp: instance.privateIp, protocol: spec.protocol,
            port: spec.port, localPort: localPort(spec.port, this.portOffset), state: 'paused',
          })
        }
      }
    }
    return rows
  }

  async close(): Promise<void> {
    this.closed = true
    await this.chain
    await Promise.all([...this.running.values()].map((entry) => entry.backend?.close() ?? Promise.resolve()))
    this.running.clear()
  }

  private reapply(): Promise<void> {
    return this.latest === undefined ? this.chain : this.apply(this.latest)
  }

  private async reconcile(state: EngineState): Promise<void> {
    if (this.closed) return
    const desired = new Map<string, Desired>()
    const overLimit: Desired[] = []
    for (const [region, regionState] of Object.entries(state.regions)) {
      for (const instance of regionState.instances) {
        if (instance.state !== 'running' || this.paused.has(instance.instanceId)) continue
        for (const spec of instance.serve) {
          const key = [region, instance.instanceId, instance.privateIp, spec.protocol, spec.port].join('|')
          const want = {key, region, instanceId: instance.instanceId, privateIp: instance.privateIp, ...spec}
          if (desired.size < MAX_DEMO_BACKENDS) desired.set(key, want)
          else overLimit.push(want)
        }
      }
    }
    if (overLimit.length > 0 && this.overLimit.length === 0) {
      this.log(`instances: ${overLimit.length} demo back end(s) not opened: the engine runs at most ${MAX_DEMO_BACKENDS}`)
    }
    this.overLimit = overLimit
    const stopping = [...this.running.entries()].filter(([key]) => !desired.has(key))
    await Promise.all(stopping.map(async ([key, entry]) => {
      this.running.delete(key)
      if (entry.backend !== undefined) {
        await entry.backend.close()
        this.log(`instances: ${entry.desired.instanceId} stopped serving ${entry.desired.protocol} on ${entry.desired.privateIp}:${entry.desired.port}`)
      }
    }))
    const starting = [...desired.values()].filter((want) => this.running.get(want.key)?.backend === undefined)
    await Promise.all(starting.map((want) => this.start(want)))
  }

  private async start(want: Desired): Promise<void> {
    const port = localPort(want.port, this.portOffset)
    const entry: Running = {desired: want}
    this.running.set(want.key, entry)
    try {
      const tls = want.protocol === 'https' ? await this.certificates.get(want.instanceId) : undefined
      const backend = new DemoBackend({
        instanceId: want.instanceId, privateIp: want.privateIp, port: want.port, protocol: want.protocol,
        ...(tls === undefined ? {} : {tls}),
      })
      await backend.listen(port)
      entry.backend = backend
      this.log(`instances: ${want.instanceId} serving ${want.protocol} on ${want.privateIp}:${port}`)
    } catch (error) {
      entry.error = bindErrorMessage(error, want.privateIp, port)
      this.log(`instances: ${want.instanceId} cannot serve ${want.protocol} on ${want.privateIp}:${port}: ${entry.error}`)
    }
  }
}

export function bindErrorMessage(error: unknown, host: string, port: number): string {
  const code = (error as NodeJS.ErrnoException | undefined)?.code
  if (code === 'EACCES') {
    return `no privilege to bind port ${port} on ${host}: ${privilegedPortAdvice(port)}`
  }
  if (code === 'EADDRINUSE') return `${host}:${port} is already in use by another process (another engine on the same addresses?)`
  if (code === 'EADDRNOTAVAIL') return `${host} is not a local address on this machine`
  return error instanceof Error ? error.message : String(error)
}
