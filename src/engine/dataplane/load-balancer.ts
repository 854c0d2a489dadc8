import type {BackendFailure} from './backend-failures.js'
import type {LoadBalancerRecord, RegisteredInstance} from '../model/types.js'
import {BackendPool, type BackendTarget, type Closable} from './backend/pool.js'
import type {ListenerConfig, LoadBalancerConfig} from './config.js'
import type {RoutingHealth} from './types.js'

/**
 * One load balancer's instances as the proxies see them: which may take new requests, how many
 * requests each has in flight, and the keep-alive pools to them.
 *
 * Availability Zones are modelled as one LB node per enabled zone. Each client connection lands
 * on a node in turn (what DNS round-robin does); with cross-zone load balancing disabled the node
 * only picks instances in its own zone. Nodes whose zone has no routable instance are skipped, as
 * AWS withdraws such a node from DNS.
 */
export class InstanceSlot {
  /** Requests (HTTP) or connections (TCP) in flight on this LB node. */
  outstanding = 0
  /** Everything to end if the instance is forcibly removed. */
  readonly active = new Set<Closable>()
  removed = false
  drainTimer: NodeJS.Timeout | undefined
  routable = false
  /** The pool per listener configuration, so the request path skips building the pool key. */
  readonly poolCache = new WeakMap<ListenerConfig, BackendPool>()

  constructor(readonly instanceId: string, readonly host: string, readonly availabilityZone: string) {}

  forceClose(): void {
    for (const closable of [...this.active]) closable.destroy()
    this.active.clear()
  }
}

const ALL_ZONES = ''

export class LoadBalancerRuntime {
  config: LoadBalancerConfig
  record: LoadBalancerRecord
  private readonly slots = new Map<string, InstanceSlot>()
  /** Deregistered instances still finishing requests (connection draining). */
  private readonly draining = new Map<string, InstanceSlot>()
  private candidates: InstanceSlot[] = []
  private readonly byZone = new Map<string, InstanceSlot[]>()
  private nodeZones: string[] = []
  private readonly pools = new Map<string, BackendPool>()
  private nextPick = 0
  private nextNode = 0
  /** Set by the DataPlane (DataPlaneOptions.onBackendFailure). */
  onBackendFailure: ((failure: BackendFailure) => void) | undefined

  constructor(
    readonly region: string,
    record: LoadBalancerRecord,
    config: LoadBalancerConfig,
    private readonly health: RoutingHealth,
  ) {
    this.record = record
    this.config = config
    this.updateInstances(record.instances)
  }

  get name(): string {
    return this.record.name
  }

  /** An instance could not be used (connect, TLS, back-end authentication): told to the engine log. */
  backendFailed(slot: InstanceSlot, port: number, error: Error | undefined): void {
    this.onBackendFailure?.({region: this.region, loadBalancerName: this.name, instanceId: slot.instanceId, address: `${slot.host}:${port}`, error})
  }

  /** Take a new snapshot of this LB (instances, attributes). */
  update(record: LoadBalancerRecord, config: LoadBalancerConfig): void {
    this.record = record
    this.config = config
    this.updateInstances(record.instances)
  }

  private updateInstances(instances: readonly RegisteredInstance[]): void {
    const wanted = new Map(instances.map(i => [i.instanceId, i]))
    for (const [id, slot] of this.slots) {
      const registration = wanted.get(id)
      if (registration === undefined || registration.privateIp !== slot.host || registration.availabilityZone !== slot.availabilityZone) {
        this.slots.delete(id)
        this.startDraining(slot)
      }
    }
    for (const registration of instances) {
      if (this.slots.has(registration.instanceId)) continue
      const returning = this.draining.get(registration.instanceId)
      if (returning && returning.host === registration.privateIp && returning.availabilityZone === registration.availabilityZone) {
        // Registered again while draining: it keeps its connections and takes traffic again.
        clearTimeout(returning.drainTimer)
        returning.drainTimer = undefined
        returning.removed = false
        this.draining.delete(returning.instanceId)
        this.slots.set(returning.instanceId, returning)
        continue
      }
      this.slots.set(registration.instanceId, new InstanceSlot(registration.instanceId, registration.privateIp, registration.availabilityZone))
    }
    this.refreshRouting()
  }

  private startDraining(slot: InstanceSlot): void {
    slot.removed = true
    slot.routable = false
    this.closePoolsOf(slot.instanceId, false)
    const timeout = this.config.drainingTimeoutMs
    if (timeout === undefined || slot.active.size === 0) {
      this.finishDraining(slot)
      return
    }
    this.draining.set(slot.instanceId, slot)
    slot.drainTimer = setTimeout(() => { this.finishDraining(slot); }, timeout)
    slot.drainTimer.unref()
  }

  private finishDraining(slot: InstanceSlot): void {
    clearTimeout(slot.drainTimer)
    slot.drainTimer = undefined
    if (this.draining.get(slot.instanceId) === slot) this.draining.delete(slot.instanceId)
    slot.forceClose()
    this.closePoolsOf(slot.instanceId, true)
  }

  /** A request or connection on a draining instance ended: maybe draining is over. */
  settled(slot: InstanceSlot): void {
    if (slot.removed && slot.outstanding <= 0 && this.draining.get(slot.instanceId) === slot) {
      this.finishDraining(slot)
      // In-flight work finished before the timeout: the health checker ends its draining state.
      this.health.finishDraining(this.region, this.record.name, slot.instanceId)
    }
  }

  /** The health checker says draining is over (or there was none): close what is left. */
  endDraining(instanceId: string): void {
    const slot = this.draining.get(instanceId)
    if (slot !== undefined) this.finishDraining(slot)
  }

  drainingInstances(): string[] {
    return [...this.draining.keys()]
  }

  /** Re-read routability from the health checker (on a health change or a new snapshot). */
  refreshRouting(): void {
    const zones = new Set(this.config.availabilityZones)
    const candidates: InstanceSlot[] = []
    this.byZone.clear()
    for (const slot of this.slots.values()) {
      slot.routable = zones.has(slot.availabilityZone) && this.health.isRoutable(this.region, this.record.name, slot.instanceId)
      if (!slot.routable) continue
      candidates.push(slot)
      const list = this.byZone.get(slot.availabilityZone)
      if (list) list.push(slot)
      else this.byZone.set(slot.availabilityZone, [slot])
    }
    this.candidates = candidates
    this.nodeZones = this.config.availabilityZones.filter(z => this.byZone.has(z))
  }

  /** The LB node (zone) a new client connection lands on. */
  assignNode(): string {
    if (this.config.crossZone || this.nodeZones.length === 0) return ALL_ZONES
    const zone = this.nodeZones[this.nextNode++ % this.nodeZones.length]
    return zone ?? ALL_ZONES
  }

  private candidatesFor(node: string): InstanceSlot[] {
    if (node === ALL_ZONES || this.config.crossZone) return this.candidates
    // The node's zone lost its instances since the connection arrived: behave as the next node.
    return this.byZone.get(node) ?? this.candidates
  }

  /** Least outstanding requests, ties broken round-robin (HTTP/HTTPS listeners). */
  pickLeastOutstanding(node: string): InstanceSlot | undefined {
    const list = this.candidatesFor(node)
    const n = list.length
    if (n <= 1) return list[0]
    const start = this.nextPick++ % n
    let best: InstanceSlot | undefined
    for (let i = 0; i < n; i++) {
      const slot = list[(start + i) % n]
      if (slot !== undefined && (best === undefined || slot.outstanding < best.outstanding)) best = slot
    }
    return best
  }

  /** Round robin (TCP/SSL listeners). */
  pickRoundRobin(node: string): InstanceSlot | undefined {
    const list = this.candidatesFor(node)
    if (list.length === 0) return undefined
    return list[this.nextPick++ % list.length]
  }

  /** The slot of a routable instance, for stickiness. */
  routableSlot(instanceId: string): InstanceSlot | undefined {
    const slot = this.slots.get(instanceId)
    return slot?.routable ? slot : undefined
  }

  poolFor(slot: InstanceSlot, listener: ListenerConfig): BackendPool {
    const cached = slot.poolCache.get(listener)
    if (cached !== undefined && !cached.isClosing) return cached
    const keys = listener.backendKeys === undefined ? '*' : listener.backendKeys.join(',')
    const key = `${slot.instanceId}|${slot.host}|${listener.instanceLocalPort}|${listener.backendTls ? 's' : 'p'}|${keys}`
    let pool = this.pools.get(key)
    // A pool closed by a pruning or draining keeps only its busy connections: start a new one.
    if (pool === undefined || pool.isClosing) {
      const target: BackendTarget = {
        instanceId: slot.instanceId,
        host: slot.host,
        port: listener.instanceLocalPort,
        tls: listener.backendTls,
        keys: listener.backendKeys,
      }
      pool = new BackendPool(target)
      this.pools.set(key, pool)
    }
    slot.poolCache.set(listener, pool)
    return pool
  }

  /** Drop pools whose settings no listener uses any more (a policy or port changed). */
  prunePools(listeners: readonly ListenerConfig[]): void {
    const live = new Set<string>()
    for (const slot of this.slots.values()) {
      for (const l of listeners) {
        const keys = l.backendKeys === undefined ? '*' : l.backendKeys.join(',')
        live.add(`${slot.instanceId}|${slot.host}|${l.instanceLocalPort}|${l.backendTls ? 's' : 'p'}|${keys}`)
      }
    }
    for (const [key, pool] of this.pools) {
      if (live.has(key)) continue
      pool.closeIdle()
      if (pool.size === 0) this.pools.delete(key)
    }
  }

  private closePoolsOf(instanceId: string, destroyBusy: boolean): void {
    for (const [key, pool] of this.pools) {
      if (!key.startsWith(`${instanceId}|`)) continue
      if (destroyBusy) {
        pool.destroyAll()
        this.pools.delete(key)
      } else {
        pool.closeIdle()
      }
    }
  }

  /** Deleting the load balancer closes everything immediately. */
  close(): void {
    for (const slot of [...this.slots.values(), ...this.draining.values()]) {
      clearTimeout(slot.drainTimer)
      slot.forceClose()
    }
    for (const pool of this.pools.values()) pool.destroyAll()
    this.pools.clear()
    this.slots.clear()
    this.draining.clear()
    this.candidates = []
  }
}
