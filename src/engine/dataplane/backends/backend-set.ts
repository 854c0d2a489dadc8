import type {RegisteredInstance} from '../../model/types.js'
import {Backend} from './backend.js'

/**
 * The back ends of one load balancer: one `Backend` per registered instance, plus the deregistered
 * ones still draining. It is the single owner of back-end state: registrations come from snapshots
 * (`update`), health from the health sink (`setHealthy`), and connection draining is timed here and
 * nowhere else.
 *
 * Availability Zones are modelled as one LB node per enabled zone. Each client connection lands
 * on a node in turn (what DNS round-robin does); with cross-zone load balancing disabled the node
 * only picks back ends in its own zone. Nodes whose zone has no available back end are skipped, as
 * AWS withdraws such a node from DNS.
 */

/** The node of a connection that may use every zone. */
export const ALL_ZONES = ''

export interface BackendSetOptions {
  /** Health of an instance the health checker has not reported on (new registrations). */
  readonly initialHealth: (instanceId: string) => boolean
  /** A back end left for good (deregistered, drained, or its LB deleted): close its pools. */
  readonly onClosed: (backend: Backend) => void
  /** A back end started draining: stop handing it idle connections. */
  readonly onDraining: (backend: Backend) => void
  /** Work on a back end ended (the load balancer's surge queue may admit a request). */
  readonly onWorkDone?: () => void
}

interface Drain {
  readonly backend: Backend
  /** Epoch ms at which whatever is left is closed. */
  readonly until: number
  readonly timer: NodeJS.Timeout
  /** Work was in flight when draining began: draining ends early once it is done. */
  readonly hadWork: boolean
}

export class BackendSet {
  private readonly serving = new Map<string, Backend>()
  private readonly drains = new Map<string, Drain>()
  private candidates: Backend[] = []
  private readonly byZone = new Map<string, Backend[]>()
  private nodeZones: string[] = []
  private zones: readonly string[] = []
  private crossZone = false
  private nextNode = 0

  constructor(private readonly options: BackendSetOptions) {}

  /**
   * A new snapshot: registrations, enabled zones and the draining timeout. Instances no longer
   * registered (or moved to another address or zone) drain for `drainingTimeoutMs`, or are closed
   * at once when draining is off.
   */
  update(instances: readonly RegisteredInstance[], zones: readonly string[], crossZone: boolean, drainingTimeoutMs: number | undefined): void {
    this.zones = zones
    this.crossZone = crossZone
    const wanted = new Map(instances.map(i => [i.instanceId, i]))
    for (const [id, backend] of this.serving) {
      const registration = wanted.get(id)
      if (registration === undefined || registration.privateIp !== backend.host || registration.availabilityZone !== backend.availabilityZone) {
        this.serving.delete(id)
        this.startDraining(backend, drainingTimeoutMs)
      }
    }
    for (const registration of instances) {
      if (this.serving.has(registration.instanceId)) continue
      const drain = this.drains.get(registration.instanceId)
      if (drain !== undefined && drain.backend.host === registration.privateIp && drain.backend.availabilityZone === registration.availabilityZone) {
        // Registered again while draining: it keeps its connections and takes traffic again.
        this.stopTimer(drain)
        drain.backend.resume()
        this.serving.set(registration.instanceId, drain.backend)
        continue
      }
      const healthy = this.options.initialHealth(registration.instanceId)
      const backend = new Backend(registration.instanceId, registration.privateIp, registration.availabilityZone, healthy)
      backend.onWorkDone = this.options.onWorkDone
      this.serving.set(registration.instanceId, backend)
    }
    this.refresh()
  }

  /** The health checker's verdict for one instance (ignored for instances not registered here). */
  setHealthy(instanceId: string, healthy: boolean): void {
    const backend = this.serving.get(instanceId)
    if (backend === undefined || backend.healthyAndServing() === healthy) return
    backend.setHealthy(healthy)
    this.refresh()
  }

  /** A connection to `backend` failed: no new work for it until `readmit` (returns false if it already was). */
  eject(backend: Backend): boolean {
    if (backend.ejected || this.serving.get(backend.instanceId) !== backend) return false
    backend.setEjected(true)
    this.refresh()
    return true
  }

  /** The health checker's next probe passed after an ejection. */
  readmit(instanceId: string): void {
    const backend = this.serving.get(instanceId)
    if (backend === undefined || !backend.ejected) return
    backend.setEjected(false)
    this.refresh()
  }

  private startDraining(backend: Backend, timeoutMs: number | undefined): void {
    backend.startDraining()
    this.options.onDraining(backend)
    if (timeoutMs === undefined) {
      this.closeBackend(backend)
      return
    }
    // Nothing in flight: DescribeInstanceHealth still says "deregistration in progress" until the
    // timeout (docs/decisions.md, Draining).
    const drain: Drain = {
      backend,
      until: Date.now() + timeoutMs,
      timer: setTimeout(() => { this.endDrain(backend); }, timeoutMs),
      hadWork: backend.load > 0,
    }
    drain.timer.unref()
    this.drains.set(backend.instanceId, drain)
    backend.onIdle = b => {
      if (this.drains.get(b.instanceId)?.hadWork === true) this.endDrain(b)
    }
  }

  private endDrain(backend: Backend): void {
    const drain = this.drains.get(backend.instanceId)
    if (drain === undefined || drain.backend !== backend) return
    this.stopTimer(drain)
    this.closeBackend(backend)
  }

  private stopTimer(drain: Drain): void {
    clearTimeout(drain.timer)
    drain.backend.onIdle = undefined
    this.drains.delete(drain.backend.instanceId)
  }

  private closeBackend(backend: Backend): void {
    backend.close()
    this.options.onClosed(backend)
  }

  /** Deregistered instances whose in-flight work may still finish, with their deadlines. */
  draining(): {instanceId: string; until: number}[] {
    return [...this.drains.values()].map(d => ({instanceId: d.backend.instanceId, until: d.until}))
  }

  /** The back end of `instanceId` if a request may go to it now: registered, healthy, serving, not ejected, in an enabled zone (stickiness). */
  routable(instanceId: string): Backend | undefined {
    const backend = this.serving.get(instanceId)
    return backend?.healthyAndServing() === true && !backend.ejected && this.zones.includes(backend.availabilityZone) ? backend : undefined
  }

  /** Registered back ends (for pool pruning). */
  registered(): IterableIterator<Backend> {
    return this.serving.values()
  }

  /** Rebuild the candidate lists (after a health, registration or zone change). */
  private refresh(): void {
    const zones = new Set(this.zones)
    const usable = [...this.serving.values()].filter(b => b.healthyAndServing() && zones.has(b.availabilityZone))
    // Ejected back ends take no new work, unless all are ejected (Envoy's panic mode): then all do.
    const panic = usable.every(b => b.ejected)
    const candidates: Backend[] = []
    this.byZone.clear()
    for (const backend of usable) {
      if (backend.ejected && !panic) continue
      candidates.push(backend)
      const list = this.byZone.get(backend.availabilityZone)
      if (list) list.push(backend)
      else this.byZone.set(backend.availabilityZone, [backend])
    }
    this.candidates = candidates
    this.nodeZones = this.zones.filter(z => this.byZone.has(z))
  }

  /**
   * The LB node (zone) a new client connection lands on. With cross-zone load balancing (or when
   * no zone has a back end) every enabled zone's node takes connections in turn: its requests may
   * go anywhere, but they are still counted in its zone (CloudWatch's AvailabilityZone dimension).
   */
  assignNode(): string {
    const nodes = this.crossZone || this.nodeZones.length === 0 ? this.zones : this.nodeZones
    if (nodes.length === 0) return ALL_ZONES
    return nodes[this.nextNode++ % nodes.length] ?? ALL_ZONES
  }

  /** The available back ends a request on `node` may go to. */
  candidatesFor(node: string): readonly Backend[] {
    if (node === ALL_ZONES || this.crossZone) return this.candidates
    // The node's zone lost its back ends since the connection arrived: behave as the next node.
    return this.byZone.get(node) ?? this.candidates
  }

  /** The load balancer is deleted: close everything now. */
  close(): void {
    for (const drain of [...this.drains.values()]) {
      this.stopTimer(drain)
      drain.backend.close()
    }
    for (const backend of this.serving.values()) backend.close()
    this.serving.clear()
    this.candidates = []
    this.byZone.clear()
  }
}
