import type {BackendFailure} from './backend-failures.js'
import type {LoadBalancerRecord} from '../model/types.js'
import {BackendPool} from './upstream/pool.js'
import type {InstanceTarget} from './upstream/connector.js'
import {SecurityGroupCheck, type SecurityGroupGate} from './upstream/security-groups.js'
import type {Backend} from './backends/backend.js'
import {BackendSet} from './backends/backend-set.js'
import {LeastOutstanding} from './balancing/least-outstanding.js'
import {RoundRobin} from './balancing/round-robin.js'
import type {Selector} from './balancing/selector.js'
import type {ListenerConfig, LoadBalancerConfig} from './config.js'
import {SurgeQueue} from './backends/surge-queue.js'
import {atCapacity} from '../faults/capacity.js'

/**
 * One load balancer's runtime: its back ends (`BackendSet`), one selector per algorithm, and the
 * keep-alive pools to its instances. Proxies ask it for a node and a back end, then `take()` and
 * `drop()` that back end themselves.
 */
export class LoadBalancerRuntime {
  config: LoadBalancerConfig
  record: LoadBalancerRecord
  readonly backends: BackendSet
  /** Least outstanding requests (HTTP/HTTPS listeners). */
  readonly requestSelector: Selector = new LeastOutstanding()
  /** Round robin (TCP/SSL listeners). */
  readonly connectionSelector: Selector = new RoundRobin()
  private readonly pools = new Map<string, BackendPool>()
  /** HTTP requests waiting for a back end with room (capacity faults). */
  readonly surge = new SurgeQueue(node => this.backendWithRoom(node))
  /** Set by the DataPlane (DataPlaneOptions.onBackendFailure). */
  onBackendFailure: ((failure: BackendFailure) => void) | undefined
  /** Set by the DataPlane (DataPlaneOptions.securityGroups); undefined: nothing filtered. */
  securityGroups: SecurityGroupGate | undefined

  constructor(
    readonly region: string,
    record: LoadBalancerRecord,
    config: LoadBalancerConfig,
    initialHealth: (instanceId: string) => boolean,
    /** Tells the health source an instance was ejected (it announces the next passing probe). */
    private readonly onEjected: (instanceId: string) => void = () => undefined,
  ) {
    this.record = record
    this.config = config
    this.backends = new BackendSet({
      initialHealth,
      onDraining: backend => { this.closePoolsOf(backend.instanceId, false); },
      onClosed: backend => { this.closePoolsOf(backend.instanceId, true); },
      onWorkDone: () => { this.surge.drain(); },
    })
    this.applyRecord()
  }

  get name(): string {
    return this.record.name
  }

  /** An instance could not be used (connect, TLS, back-end authentication): told to the engine log. */
  backendFailed(backend: Backend, port: number, error: Error | undefined): void {
    this.onBackendFailure?.({region: this.region, loadBalancerName: this.name, instanceId: backend.instanceId, address: `${backend.host}:${port}`, error})
  }

  /** Take a new snapshot of this LB (instances, attributes). */
  update(record: LoadBalancerRecord, config: LoadBalancerConfig): void {
    this.record = record
    this.config = config
    this.applyRecord()
  }

  private applyRecord(): void {
    this.backends.update(this.record.instances, this.config.availabilityZones, this.config.crossZone, this.config.drainingTimeoutMs)
  }

  /** Whether the LB's security groups let a client at `address` open a connection to `port`. */
  admitsClient(address: string, port: number): boolean {
    return this.securityGroups?.admitsClient(this.region, this.name, address, port) ?? true
  }

  /** What a connection to an instance on `instancePort` is checked against (InstanceTarget.securityGroups). */
  securityGroupCheck(instancePort: number): SecurityGroupCheck | undefined {
    const gate = this.securityGroups
    return gate === undefined ? undefined : new SecurityGroupCheck(gate, this.region, this.name, instancePort)
  }

  /** The LB node (zone) a new client connection lands on. */
  assignNode(): string {
    return this.backends.assignNode()
  }

  /** A back end for a new request (least outstanding) or connection (round robin) on `node`; never `except`. */
  select(selector: Selector, node: string, except?: Backend): Backend | undefined {
    const candidates = this.backends.candidatesFor(node)
    return selector.select(except === undefined ? candidates : candidates.filter(b => b !== except))
  }

  /** A back end on `node` that may take one more request now (least outstanding first), or undefined. */
  backendWithRoom(node: string): Backend | undefined {
    const chosen = this.select(this.requestSelector, node)
    if (chosen === undefined || !atCapacity(chosen.host, chosen.load)) return chosen
    // Capacities differ between instances: the least loaded one may be full while another is not.
    return this.backends.candidatesFor(node).find(b => !atCapacity(b.host, b.load))
  }

  /** A connection to the back end could not be made: stop sending it work until a probe passes. */
  eject(backend: Backend): void {
    if (this.backends.eject(backend)) this.onEjected(backend.instanceId)
  }

  drainingInstances(): string[] {
    return this.backends.draining().map(d => d.instanceId)
  }

  poolFor(backend: Backend, listener: ListenerConfig): BackendPool {
    const slot = backend
    const cached = slot.poolCache.get(listener)
    if (cached !== undefined && !cached.isClosing) return cached
    const keys = listener.backendKeys === undefined ? '*' : listener.backendKeys.join(',')
    const key = `${slot.instanceId}|${slot.host}|${listener.instanceLocalPort}|${listener.backendTls ? 's' : 'p'}|${keys}`
    let pool = this.pools.get(key)
    // A pool closed by a pruning or draining keeps only its busy connections: start a new one.
    if (pool === undefined || pool.isClosing) {
      const target: InstanceTarget = {
        instanceId: slot.instanceId,
        host: slot.host,
        port: listener.instanceLocalPort,
        tls: listener.backendTls,
        keys: listener.backendKeys,
        securityGroups: this.securityGroupCheck(listener.instancePort),
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
    for (const slot of this.backends.registered()) {
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
    this.backends.close()
    for (const pool of this.pools.values()) pool.destroyAll()
    this.pools.clear()
  }
}
