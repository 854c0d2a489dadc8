/**
 * Reconciles demo backends with the snapshot: every running instance gets a DemoBackend per port it
 * serves (its `serve` specs, else the ports its load balancers send it: model/instance-serving.ts)
 * on `privateIp:localPort(port, offset)`; stopping or terminating an instance closes them, starting
 * it again opens them on its new IP, and a registration or a listener/health-check change opens or
 * closes the ports it derives.
 */
import type {AdminBackendStatus} from '../admin/types.js'
import {localPort, privilegedPortAdvice} from '../ports.js'
import {MAX_DEMO_BACKENDS} from '../model/instance-service.js'
import {portsSentTo, servedPorts} from '../model/instance-serving.js'
import type {EngineState, LoadBalancerRecord, ServeProtocol} from '../model/types.js'
import {InstanceCertificates} from './certificates.js'
import {DemoBackend} from './demo-backend.js'

export interface InstanceRunnerOptions {
  readonly home: string
  readonly portOffset?: number
  /** Multiplies connection-draining timeouts (a test aid; 1 = real time). */
  readonly timeScale?: number
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
  /** A derived back end no load balancer sends to any more, kept open while its connections drain. */
  retiring?: NodeJS.Timeout
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
  /** The snapshot the last reconcile applied: whose registrations a deregistration drains. */
  private applied: EngineState | undefined
  private readonly timeScale: number
  private closed = false

  constructor(options: InstanceRunnerOptions) {
    this.certificates = new InstanceCertificates(options.home)
    this.portOffset = options.portOffset ?? 0
    this.timeScale = options.timeScale ?? 1
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
      if (!regionState.instances.some((instance) => this.paused.has(instance.instanceId))) continue
      const sent = portsSentTo(regionState)
      for (const instance of regionState.instances) {
        if (instance.state !== 'running' || !this.paused.has(instance.instanceId)) continue
        for (const spec of servedPorts(instance, sent)) {
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
    for (const entry of this.running.values()) clearTimeout(entry.retiring)
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
      const sent = portsSentTo(regionState)
      for (const instance of regionState.instances) {
        if (instance.state !== 'running' || this.paused.has(instance.instanceId)) continue
        for (const spec of servedPorts(instance, sent)) {
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
    const previous = this.applied
    this.applied = state
    for (const [key, entry] of this.running) {
      if (desired.has(key) && entry.retiring !== undefined) {
        clearTimeout(entry.retiring)
        delete entry.retiring
      }
    }
    // A retiring back end whose instance stopped (or was paused) goes at once.
    const stopping = [...this.running.entries()].filter(([key, entry]) =>
      !desired.has(key) && (entry.retiring === undefined || !this.runsUnpaused(state, entry.desired)))
    for (const [, entry] of stopping) clearTimeout(entry.retiring)
    await Promise.all(stopping.map(async ([key, entry]) => {
      const grace = previous === undefined ? 0 : this.drainingGraceMs(previous, state, entry.desired)
      if (grace > 0 && entry.backend !== undefined) {
        // As on AWS, the instance's server outlives its deregistration: connections being drained still reach it.
        entry.retiring = setTimeout(() => { this.chain = this.chain.then(() => this.retire(key, entry)) }, grace)
        entry.retiring.unref()
        return
      }
      await this.retire(key, entry)
    }))
    const starting = [...desired.values()].filter((want) => this.running.get(want.key)?.backend === undefined)
    await Promise.all(starting.map((want) => this.start(want)))
  }

  private async retire(key: string, entry: Running): Promise<void> {
    if (this.running.get(key) !== entry) return
    this.running.delete(key)
    if (entry.backend !== undefined) {
      await entry.backend.close()
      this.log(`instances: ${entry.desired.instanceId} stopped serving ${entry.desired.protocol} on ${entry.desired.privateIp}:${entry.desired.port}`)
    }
  }

  /**
   * How long a derived back end stays open after its load balancers stop sending to it: the longest
   * connection-draining timeout of a load balancer that had its instance registered before and
   * not now. Zero for an explicit serve list, a stopped, terminated or paused instance.
   */
  private drainingGraceMs(before: EngineState, now: EngineState, want: Desired): number {
    const region = Object.hasOwn(now.regions, want.region) ? now.regions[want.region] : undefined
    const instance = region?.instances.find((candidate) => candidate.instanceId === want.instanceId)
    if (instance === undefined || !this.runsUnpaused(now, want) || instance.serve.length > 0) return 0
    const registered = (lb: LoadBalancerRecord) => lb.instances.some((registration) => registration.instanceId === want.instanceId)
    let seconds = 0
    for (const lb of Object.hasOwn(before.regions, want.region) ? before.regions[want.region]?.loadBalancers ?? [] : []) {
      if (!lb.attributes.connectionDraining.enabled || !registered(lb)) continue
      const current = region?.loadBalancers.find((candidate) => candidate.name === lb.name)
      if (current === undefined || !registered(current)) seconds = Math.max(seconds, lb.attributes.connectionDraining.timeout)
    }
    return seconds * 1000 * this.timeScale
  }

  /** Whether the instance of `want` still runs on the same address, not paused. */
  private runsUnpaused(state: EngineState, want: Desired): boolean {
    const region = Object.hasOwn(state.regions, want.region) ? state.regions[want.region] : undefined
    const instance = region?.instances.find((candidate) => candidate.instanceId === want.instanceId)
    return instance?.state === 'running' && instance.privateIp === want.privateIp && !this.paused.has(want.instanceId)
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
