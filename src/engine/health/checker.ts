/**
 * The runtime health checker: one probe loop and one HealthCounter per (region, load balancer,
 * registered instance). It reads desired state from snapshots (`apply`), probes the instance's
 * REGISTERED private IP (a restarted instance with a new IP fails its checks, as on AWS), answers
 * the probe side of DescribeInstanceHealth for the model, and pushes every routability change
 * into its sinks (`HealthSource`: the data plane's back ends). Connection draining is not timed
 * here: the data plane owns it (`dataplane/backends/backend-set.ts`).
 */
import {localPort} from '../ports.js'
import {healthCheckTarget, type ParsedTarget} from '../model/elb/health-check.js'
import {NOT_REGISTERED, registeredInstanceHealth} from '../model/elb/health-state.js'
import type {
  EngineState, HealthCheckRecord, InstanceHealth, InstanceState, LoadBalancerRecord,
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
}

/** Floors that keep scaled-down probes meaningful on a busy machine. */
const MIN_INTERVAL_MS = 20
const MIN_TIMEOUT_MS = 250

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
  zoneEnabled: boolean
  routable: boolean
  probing: boolean
  retired: boolean
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
  /** Per load balancer, every instance id it has had registered (for "not currently registered"). */
  private readonly known = new Map<string, Set<string>>()
  private readonly sinks = new Set<HealthSink>()
  private readonly probe: Probe
  private readonly clock: Clock
  private readonly timeScale: number
  private readonly portOffset: number
  private readonly firstSuccessEnough: boolean
  private readonly log: (line: string) => void
  private closed = false

  constructor(options: HealthCheckerOptions = {}) {
    this.probe = options.probe ?? realProbe
    this.clock = options.clock ?? systemClock
    this.timeScale = options.timeScale ?? 1
    this.portOffset = options.portOffset ?? 0
    this.firstSuccessEnough = options.firstSuccessEnough ?? true
    this.log = options.log ?? (() => undefined)
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

  /** Reconciles probe loops with a snapshot. Configuration changes apply from the next probe. */
  apply(state: EngineState): void {
    if (this.closed) return
    const seen = new Set<string>()
    const liveLoadBalancers = new Set<string>()
    for (const [region, regionState] of Object.entries(state.regions)) {
      const instanceStates = new Map(regionState.instances.map((instance) => [instance.instanceId, instance.state]))
      for (const lb of regionState.loadBalancers) {
        const lbKey = keyOf(region, lb.name)
        liveLoadBalancers.add(lbKey)
        for (const registration of lb.instances) {
          const key = keyOf(region, lb.name, registration.instanceId)
          seen.add(key)
          let target = this.targets.get(key)
          if (target !== undefined && target.privateIp !== registration.privateIp) {
            // A new address is a new target: sinks forget the old verdict (it must pass a probe again).
            this.stopTarget(target)
            this.emit(target, 'removed', NOT_REGISTERED)
            target = undefined
          }
          const instanceState = instanceStates.get(registration.instanceId) ?? 'terminated'
          if (target === undefined) {
            target = this.startTarget(region, lb, registration.instanceId, registration.privateIp, registration.availabilityZone)
          }
          target.config = lb.healthCheck
          target.parsed = healthCheckTarget(lb.healthCheck.target)
          target.counter.setThresholds({healthy: lb.healthCheck.healthyThreshold, unhealthy: lb.healthCheck.unhealthyThreshold})
          target.zoneEnabled = lb.availabilityZones.includes(registration.availabilityZone)
          if (instanceState !== target.instanceState) {
            this.log(`health: ${lb.name}/${registration.instanceId} instance is ${instanceState}`)
            target.instanceState = instanceState
          }
          if (instanceState !== 'running') target.counter.markDown()
          let lbKnown = this.known.get(lbKey)
          if (lbKnown === undefined) this.known.set(lbKey, (lbKnown = new Set()))
          lbKnown.add(registration.instanceId)
          this.updateRoutability(target, 'health')
        }
      }
    }
    for (const target of [...this.targets.values()]) {
      if (seen.has(target.key)) continue
      this.retire(target, liveLoadBalancers.has(keyOf(target.region, target.loadBalancerName)))
    }
    for (const lbKey of [...this.known.keys()]) {
      if (!liveLoadBalancers.has(lbKey)) this.known.delete(lbKey)
    }
  }

  close(): void {
    this.closed = true
    for (const target of this.targets.values()) this.stopTarget(target)
    this.targets.clear()
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
      zoneEnabled: true,
      routable: false,
      probing: false,
      retired: false,
    }
    this.targets.set(target.key, target)
    this.log(`health: ${lb.name}/${instanceId} registered at ${privateIp}, probing ${lb.healthCheck.target}`)
    this.schedule(target, 0)
    return target
  }

  private stopTarget(target: Target): void {
    target.retired = true
    if (target.timer !== undefined) this.clock.clearTimeout(target.timer)
    this.targets.delete(target.key)
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
    const routable = kind === 'health' && this.isRoutable(who.region, who.loadBalancerName, who.instanceId)
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

  private schedule(target: Target, delayMs: number): void {
    target.timer = this.clock.setTimeout(() => { this.runProbe(target); }, delayMs)
  }

  /** One cycle: the next probe is scheduled a full interval later, whatever this one takes. */
  private runProbe(target: Target): void {
    if (target.retired || this.closed) return
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
  }
}
