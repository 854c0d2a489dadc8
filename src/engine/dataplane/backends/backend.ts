import type {BackendPool, Closable} from '../backend/pool.js'
import type {ListenerConfig} from '../config.js'

/**
 * One registered instance as one load balancer's data plane sees it: whether it may take new
 * work, how much work it has in flight, and what to end when it must go. There is exactly one
 * `Backend` per (load balancer, instance); only `BackendSet` creates them and changes their state,
 * and the proxies only `take()` and `drop()` them.
 *
 *   serving ──deregistered──► draining ──last work dropped / timeout──► closed
 *      ▲                         │
 *      └──────registered again───┘
 */

export type BackendState = 'serving' | 'draining' | 'closed'

export class Backend {
  private work = new Set<Closable>()
  private inFlight = 0
  private healthy: boolean
  private current: BackendState = 'serving'
  /** The pool per listener configuration, so the request path skips building the pool key. */
  readonly poolCache = new WeakMap<ListenerConfig, BackendPool>()
  /** Set by `BackendSet`: called when a draining back end's last work is dropped. */
  onIdle: ((backend: Backend) => void) | undefined

  constructor(readonly instanceId: string, readonly host: string, readonly availabilityZone: string, healthy: boolean) {
    this.healthy = healthy
  }

  /** May take new requests or connections: healthy (per the health checker) and not leaving. */
  available(): boolean {
    return this.healthy && this.current === 'serving'
  }

  /** Requests (HTTP) or connections (TCP/SSL) in flight: what least-outstanding compares. */
  get load(): number {
    return this.inFlight
  }

  get state(): BackendState {
    return this.current
  }

  /** Start a request or connection on this back end; `work` is ended if the back end is closed. */
  take(work: Closable): void {
    this.inFlight++
    this.work.add(work)
  }

  /** The request or connection ended (normally or not). */
  drop(work: Closable): void {
    if (!this.work.delete(work)) return
    this.inFlight--
    if (this.inFlight === 0 && this.current === 'draining') this.onIdle?.(this)
  }

  // ---- state changes (BackendSet only) -------------------------------------------------------

  setHealthy(healthy: boolean): void {
    this.healthy = healthy
  }

  startDraining(): void {
    this.current = 'draining'
  }

  /** Registered again while draining: keeps its work and takes traffic again. */
  resume(): void {
    if (this.current === 'draining') this.current = 'serving'
  }

  /** Gone: end everything still running on it. */
  close(): void {
    this.current = 'closed'
    const work = [...this.work]
    this.work = new Set()
    this.inFlight = 0
    for (const w of work) w.destroy()
  }
}
