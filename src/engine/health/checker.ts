/**
 * The runtime health checker: one probe loop and one HealthCounter per (region, load balancer,
 * registered instance). It reads desired state from snapshots (`apply`), probes the instance's
 * REGISTERED private IP (a restarted instance with a new IP fails its checks, as on AWS), answers
 * the probe side of DescribeInstanceHealth for the model, and pushes every routability change
 * into its sinks (`HealthSource`: the data plane's back ends). Connection draining is not timed
 * here: the data plane owns it (`dataplane/backends/backend-set.ts`).
 */
import {EVERYTHING, touchedLoadBalancers, type ChangeSet} from '../model/persistence/changes.js'
import {healthCheckTarget, type ParsedTarget} from '../model/elb/health-check.js'
import {NOT_REGISTERED, registeredInstanceHealth} from '../model/elb/health-state.js'
import {staleRegistrationCommands} from '../model/elb/stale-registrations.js'
import {localPort} from '../ports.js'
import {SecurityGroupCheck, type SecurityGroupGate} from '../dataplane/upstream/security-groups.js'
import type {
  EngineState, HealthCheckRecord, InstanceHealth, InstanceRecord, InstanceState, LoadBalancerRecord,
} from '../model/types.js'
import {HealthCounter} from './counter.js'
import {probe as realProbe} from './probes.js'
import {
  systemClock, type Clock, type HealthChangeEvent, type HealthChangeKind, type HealthSink, type HealthSource, type Probe,
  type TimerHandle,
} from './types.js'

export interface HealthCheckerOptions {
  readonly probe?: Probe
  readonly clock?: Clock
  /** Multiplies every interval, timeout and draining period (test aid: 0.01 → a 30 s interval is 300 ms). */
  readonly timeScale?: number
  readonly portOffset?: number
  /** See CounterOptions.firstSuccessEnough (default true). */
  readonly firstSuccessEnough?: boolean
  readonly log?: (line: string) => void
  /** Security groups on the probes' path (the data plane's gate); none: nothing filtered. */
  readonly securityGroups?: SecurityGroupGate
}

/** Floors that keep scaled-down probes meaningful on a busy machine. */
const MIN_INTERVAL_MS = 20
const MIN_TIMEOUT_MS = 250
/**
 * Targets started by one apply (an engine start, a registration of many instances) have their first
 * probes spread this far apart, at most over one interval: 10,000 connections opened in the same
 * tick overflow the listen backlog and, since each next probe follows a full interval after the
 * previous one, would stay in lockstep for good. The first target of a wave is probed at once.
 */
const FIRST_PROBE_SPREAD_MS = 0.5

interface Target {
  readonly key: string
  readonly region: string
  readonly loadBalancerName: string
  readonly instanceId: string
  readonly privateIp: string
  readonly availabilityZone: string
  readonly counter: HealthCounter
  config: HealthCheckRecord
  parsed: ParsedTarget | undefined
  instanceState: InstanceState
  /** The instance runs at another address than the registered one (stopped and started again). */
  moved: boolean
  zoneEnabled: boolean
  routable: boolean
  probing: boolean
  retired: boolean
  /** The data plane reported it unreachable: announce the next passing probe. */
  suspect: boolean
  /** When the last probe started (clock ms), to reschedule on a new configuration. */
  lastProbeAt?: number
  timer?: TimerHandle
}

export interface TargetSummary {
  readonly region: string
  readonly loadBalancerName: string
  readonly instanceId: string
  readonly privateIp: string
  readonly health: InstanceHealth
  readonly routable: boolean
}

const keyOf = (...parts: string[]) => parts.join('\u0000')

export class HealthChecker implements HealthSource {
  private readonly targets = new Map<string, Target>()
  /** The same targets by load balancer (region, name) and by instance (region, id), so a change touches only its own. */
  private readonly byLoadBalancer = new Map<string, Map<string, Target>>()
  private readonly byInstance = new Map<string, Set<Target>>()
  private readonly instanceCache = new Map<string, {instances: readonly InstanceRecord[]; byId: ReadonlyMap<string, InstanceRecord>}>()
  /** Per load balancer, every instance id it has had registered (for "not currently registered"). */
  private readonly known = new Map<string, Set<string>>()
  private readonly sinks = new Set<HealthSink>()
  private readonly probe: Probe
  private readonly clock: Clock
  private readonly timeScale: number
  private readonly portOffset: number
  private readonly firstSuccessEnough: boolean
  private readonly log: (line: string) => void
  private readonly securityGroups: SecurityGroupGate | undefined
  private closed = false
  /** Targets started by the apply under way (see FIRST_PROBE_SPREAD_MS). */
  private startedInWave = 0

  constructor(options: HealthCheckerOptions = {}) {
    this.probe = options.probe ?? realProbe
    this.clock = options.clock ?? systemClock
    this.timeScale = options.timeScale ?? 1
    this.portOffset = options.portOffset ?? 0
    this.firstSuccessEnough = options.firstSuccessEnough ?? true
    this.log = options.log ?? (() => undefined)
    this.securityGroups = options.securityGroups
  }

  /** The health of an instance as the checker knows it (the model's `HealthView.instanceHealth`). */
  instanceHealth(region: string, loadBalancerName: string, instanceId: string): InstanceHealth | undefined {
    const target = this.targets.get(keyOf(region, loadBalancerName, instanceId))
    if (target !== undefined) return this.healthOf(target)
    return this.known.get(keyOf(region, loadBalancerName))?.has(instanceId) === true ? NOT_REGISTERED : undefined
  }

  isRoutable(region: string, loadBalancerName: string, instanceId: string): boolean {
    return this.targets.get(keyOf(region, loadBalancerName, instanceId))?.routable ?? false
  }

  // ---- HealthSource (the data plane) ----

  connect(sink: HealthSink): () => void {
    this.sinks.add(sink)
    for (const target of this.targets.values()) this.emit(target, 'health', this.healthOf(target), sink)
    return () => this.sinks.delete(sink)
  }

  reportUnreachable(region: string, loadBalancerName: string, instanceId: string): void {
    const target = this.targets.get(keyOf(region, loadBalancerName, instanceId))
    if (target === undefined || target.suspect) return
    target.suspect = true
    this.log(`health: ${loadBalancerName}/${instanceId} unreachable from the data plane; no traffic until a probe passes`)
  }

  summary(): TargetSummary[] {
    return [...this.targets.values()].map((target) => ({
      region: target.region,
      loadBalancerName: target.loadBalancerName,
      instanceId: target.instanceId,
      privateIp: target.privateIp,
      health: this.healthOf(target),
      routable: target.routable,
    }))
  }

  /**
   * Reconciles probe loops with a snapshot. `changes` (from the store) names the load balancers
   * and instances a write touched, so only their probe loops are looked at; without it (or with
   * `all`) every one is. Configuration changes apply from the next probe.
   */
  apply(state: EngineState, changes: ChangeSet = EVERYTHING): void {
    if (this.closed) return
    this.startedInWave = 0
    const live = new Set<string>()
    for (const {region, name, record} of touchedLoadBalancers(state, changes)) {
      live.add(keyOf(region, name))
      this.applyLoadBalancer(state, region, name, record)
    }
    if (changes.all) {
      // What the checker still holds for load balancers the snapshot no longer has.
      const held = [...this.byLoadBalancer.keys(), ...this.known.keys()]
      for (const lbKey of new Set(held)) {
        if (live.has(lbKey)) continue
        const [region = '', name = ''] = lbKey.split('\u0000')
        this.applyLoadBalancer(state, region, name, undefined)
      }
    }
    for (const {region, instanceId} of changes.instances) {
      const instance = this.instancesOf(state, region).get(instanceId)
      for (const target of [...(this.byInstance.get(keyOf(region, instanceId)) ?? [])]) {
        this.setInstance(target, instance)
        this.updateRoutability(target, 'health')
      }
    }
  }

  /** Brings one load balancer's probe loops and history in line with the snapshot. */
  private applyLoadBalancer(state: EngineState, region: string, name: string, lb: LoadBalancerRecord | undefined): void {
    const lbKey = keyOf(region, name)
    const current = this.byLoadBalancer.get(lbKey)
    const registered = new Set<string>()
    if (lb !== undefined) {
      const instances = this.instancesOf(state, region)
      const parsed = healthCheckTarget(lb.healthCheck.target)
      const zones = new Set(lb.availabilityZones)
      let lbKnown = this.known.get(lbKey)
      if (lbKnown === undefined) this.known.set(lbKey, (lbKnown = new Set()))
      for (const registration of lb.instances) {
        const key = keyOf(region, lb.name, registration.instanceId)
        registered.add(registration.instanceId)
        let target = this.targets.get(key)
        if (target !== undefined && target.privateIp !== registration.privateIp) {
          // A new address is a new target: sinks forget the old verdict (it must pass a probe again).
          this.stopTarget(target)
          this.emit(target, 'removed', NOT_REGISTERED)
          target = undefined
        }
        target ??= this.startTarget(region, lb, registration.instanceId, registration.privateIp, registration.availabilityZone)
        const previous = target.config
        target.config = lb.healthCheck
        target.parsed = parsed
        if (previous.interval !== lb.healthCheck.interval || previous.target !== lb.healthCheck.target || previous.timeout !== lb.healthCheck.timeout) {
          this.reschedule(target)
        }
        target.counter.setThresholds({healthy: lb.healthCheck.healthyThreshold, unhealthy: lb.healthCheck.unhealthyThreshold})
        target.zoneEnabled = zones.has(registration.availabilityZone)
        this.setInstance(target, instances.get(registration.instanceId))
        lbKnown.add(registration.instanceId)
        this.updateRoutability(target, 'health')
      }
    }
    for (const target of [...(current?.values() ?? [])]) {
      if (!registered.has(target.instanceId)) this.retire(target, lb !== undefined)
    }
    if (lb === undefined) this.known.delete(lbKey)
  }

  /** The instance's EC2 state and address as the registry has them (undefined: gone, i.e. terminated). */
  private setInstance(target: Target, instance: InstanceRecord | undefined): void {
    const instanceState = instance?.state ?? 'terminated'
    const movedTo = instance?.state === 'running' && instance.privateIp !== target.privateIp ? instance.privateIp : undefined
    const moved = movedTo !== undefined
    if (instanceState !== target.instanceState || moved !== target.moved) {
      this.log(`health: ${target.loadBalancerName}/${target.instanceId} instance is ${instanceState}` +
        (movedTo === undefined ? '' : staleRegistrationAdvice(target, movedTo)))
      target.instanceState = instanceState
      // A stale registration fails its checks from the start, after an engine restart too: nothing
      // answers on the old address, and "registration in progress" would promise a recovery.
      if (moved && !target.moved) target.counter.markDown()
      target.moved = moved
    }
    if (instanceState !== 'running') target.counter.markDown()
  }

  /** The region's instances by id, rebuilt only when the region's instance list changed. */
  private instancesOf(state: EngineState, region: string): ReadonlyMap<string, InstanceRecord> {
    const instances = state.regions[region]?.instances ?? []
    const cached = this.instanceCache.get(region)
    if (cached?.instances === instances) return cached.byId
    const byId = new Map(instances.map((instance) => [instance.instanceId, instance]))
    this.instanceCache.set(region, {instances, byId})
    return byId
  }

  close(): void {
    this.closed = true
    for (const target of this.targets.values()) this.stopTarget(target)
    this.targets.clear()
    this.byLoadBalancer.clear()
    this.byInstance.clear()
    this.sinks.clear()
  }

  private startTarget(region: string, lb: LoadBalancerRecord, instanceId: string, privateIp: string, availabilityZone: string): Target {
    const target: Target = {
      key: keyOf(region, lb.name, instanceId),
      region,
      loadBalancerName: lb.name,
      instanceId,
      privateIp,
      availabilityZone,
      counter: new HealthCounter(
        {healthy: lb.healthCheck.healthyThreshold, unhealthy: lb.healthCheck.unhealthyThreshold},
        {firstSuccessEnough: this.firstSuccessEnough},
      ),
      config: lb.healthCheck,
      parsed: healthCheckTarget(lb.healthCheck.target),
      instanceState: 'pending',
      moved: false,
      zoneEnabled: true,
      routable: false,
      probing: false,
      retired: false,
      suspect: false,
    }
    this.targets.set(target.key, target)
    const lbKey = keyOf(region, lb.name)
    let ofLoadBalancer = this.byLoadBalancer.get(lbKey)
    if (ofLoadBalancer === undefined) this.byLoadBalancer.set(lbKey, (ofLoadBalancer = new Map<string, Target>()))
    ofLoadBalancer.set(instanceId, target)
    const instanceKey = keyOf(region, instanceId)
    let ofInstance = this.byInstance.get(instanceKey)
    if (ofInstance === undefined) this.byInstance.set(instanceKey, (ofInstance = new Set<Target>()))
    ofInstance.add(target)
    this.log(`health: ${lb.name}/${instanceId} registered at ${privateIp}, probing ${lb.healthCheck.target}`)
    this.schedule(target, Math.min(this.intervalMs(target), this.startedInWave++ * FIRST_PROBE_SPREAD_MS))
    return target
  }

  private stopTarget(target: Target): void {
    target.retired = true
    if (target.timer !== undefined) this.clock.clearTimeout(target.timer)
    this.targets.delete(target.key)
    const lbKey = keyOf(target.region, target.loadBalancerName)
    const ofLoadBalancer = this.byLoadBalancer.get(lbKey)
    if (ofLoadBalancer?.get(target.instanceId) === target) ofLoadBalancer.delete(target.instanceId)
    if (ofLoadBalancer?.size === 0) this.byLoadBalancer.delete(lbKey)
    const instanceKey = keyOf(target.region, target.instanceId)
    const ofInstance = this.byInstance.get(instanceKey)
    ofInstance?.delete(target)
    if (ofInstance?.size === 0) this.byInstance.delete(instanceKey)
  }

  /** A registration disappeared (or its load balancer was deleted): stop checking it. */
  private retire(target: Target, loadBalancerLives: boolean): void {
    this.stopTarget(target)
    this.log(`health: ${target.loadBalancerName}/${target.instanceId} ${loadBalancerLives ? 'deregistered' : 'load balancer deleted'}`)
    this.emit(target, 'removed', NOT_REGISTERED)
  }

  private healthOf(target: Target): InstanceHealth {
    return registeredInstanceHealth(target.instanceState, target.zoneEnabled, target.counter.health())
  }

  private updateRoutability(target: Target, kind: HealthChangeKind): void {
    const routable = target.instanceState === 'running' && target.zoneEnabled && target.counter.status === 'InService'
    if (routable === target.routable) return
    target.routable = routable
    const health = this.healthOf(target)
    this.log(`health: ${target.loadBalancerName}/${target.instanceId} is now ${health.state} (${health.description})`)
    this.emit(target, kind, health)
  }

  private emit(who: {region: string; loadBalancerName: string; instanceId: string}, kind: HealthChangeKind, health: InstanceHealth, only?: HealthSink): void {
    const routable = kind !== 'removed' && this.isRoutable(who.region, who.loadBalancerName, who.instanceId)
    const event: HealthChangeEvent = {kind, region: who.region, loadBalancerName: who.loadBalancerName, instanceId: who.instanceId, routable, health}
    for (const sink of only === undefined ? this.sinks : [only]) {
      try {
        sink.healthChanged(event)
      } catch (error) {
        this.log(`health: sink failed: ${error instanceof Error ? error.message : String(error)}`)
      }
    }
  }

  private intervalMs(target: Target): number {
    return Math.max(MIN_INTERVAL_MS, target.config.interval * 1000 * this.timeScale)
  }

  private timeoutMs(target: Target): number {
    const interval = this.intervalMs(target)
    return Math.min(interval, Math.max(MIN_TIMEOUT_MS, target.config.timeout * 1000 * this.timeScale))
  }

  /** ConfigureHealthCheck: the next probe comes one new Interval after the last one (or now). */
  private reschedule(target: Target): void {
    if (target.timer !== undefined) this.clock.clearTimeout(target.timer)
    const last = target.lastProbeAt
    const delay = last === undefined ? 0 : Math.max(0, last + this.intervalMs(target) - this.clock.now())
    this.log(`health: ${target.loadBalancerName}/${target.instanceId} health check changed, next probe in ${Math.round(delay)} ms`)
    this.schedule(target, delay)
  }

  private schedule(target: Target, delayMs: number): void {
    target.timer = this.clock.setTimeout(() => { this.runProbe(target); }, delayMs)
  }

  /** One cycle: the next probe is scheduled a full interval later, whatever this one takes. */
  private runProbe(target: Target): void {
    if (target.retired || this.closed) return
    target.lastProbeAt = this.clock.now()
    this.schedule(target, this.intervalMs(target))
    if (target.instanceState !== 'running' || !target.zoneEnabled || target.probing) return
    const parsed = target.parsed
    if (parsed === undefined) {
      this.record(target, false, `unusable target ${target.config.target}`)
      return
    }
    target.probing = true
    const probeTarget = {
      protocol: parsed.protocol,
      host: target.privateIp,
      port: localPort(parsed.port, this.portOffset),
      ...(parsed.path === undefined ? {} : {path: parsed.path}),
      ...(this.securityGroups === undefined ? {} : {
        instanceId: target.instanceId,
        securityGroups: new SecurityGroupCheck(this.securityGroups, target.region, target.loadBalancerName, parsed.port),
      }),
    }
    void this.probe(probeTarget, this.timeoutMs(target)).then(
      (result) => {
        target.probing = false
        this.record(target, result.ok, result.detail)
      },
      (error: unknown) => {
        target.probing = false
        this.record(target, false, error instanceof Error ? error.message : String(error))
      },
    )
  }

  private record(target: Target, ok: boolean, detail: string | undefined): void {
    if (target.retired || this.closed || target.instanceState !== 'running') return
    const transition = target.counter.onResult(ok)
    if (transition === 'Changed') {
      this.log(`health: ${target.loadBalancerName}/${target.instanceId} probe ${ok ? 'passed' : `failed (${detail ?? 'unhealthy'})`} -> ${target.counter.status}`)
    }
    this.updateRoutability(target, 'health')
    if (ok && target.suspect) {
      target.suspect = false
      this.emit(target, 'probe-passed', this.healthOf(target))
    }
  }
}

/** What the log says about an instance that came back on a new address (see `staleRegistrationCommands`). */
function staleRegistrationAdvice(target: Target, currentIp: string): string {
  return ` at ${currentIp}, but ${target.loadBalancerName} still sends its health checks and traffic to ` +
    `${target.privateIp}, its address when it was registered; it stays OutOfService until it is registered again: ` +
    staleRegistrationCommands(target.loadBalancerName, target.instanceId)
}
