import type {BackendPool} from '../upstream/pool.js'
import type {ListenerConfig} from '../config.js'
import {WorkList, type BackendWork} from './work-list.js'

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
  private readonly work = new WorkList()
  private healthy: boolean
  private current: BackendState = 'serving'
  private outlier = false
  /** The pool per listener configuration, so the request path skips building the pool key. */
  readonly poolCache = new WeakMap<ListenerConfig, BackendPool>()
  /** Set by `BackendSet`: called when a draining back end's last work is dropped. */
  onIdle: ((backend: Backend) => void) | undefined
  /** Set by `BackendSet`: called when any work ends (the surge queue may admit a request). */
  onWorkDone: (() => void) | undefined

  constructor(readonly instanceId: string, readonly host: string, readonly availabilityZone: string, healthy: boolean) {
    this.healthy = healthy
  }

  /** Healthy (per the health checker) and not leaving; ejection and zones are `BackendSet`'s business. */
  healthyAndServing(): boolean {
    return this.healthy && this.current === 'serving'
  }

  /**
   * A connection to it failed (refused, reset, connect timeout): it takes no new work until the
   * health checker's next passing probe (passive outlier detection, HAProxy's `observe layer4`),
   * unless every available back end is ejected.
   */
  get ejected(): boolean {
    return this.outlier
  }

  /** Requests (HTTP) or connections (TCP/SSL) in flight: what least-outstanding compares. */
  get load(): number {
    return this.work.size
  }

  get state(): BackendState {
    return this.current
  }

  /** Start a request or connection on this back end; `work` is ended if the back end is closed. */
  take(work: BackendWork): void {
    this.work.add(work)
  }

  /** The request or connection ended (normally or not). */
  drop(work: BackendWork): void {
    if (!this.work.remove(work)) return
    if (this.work.size === 0 && this.current === 'draining') this.onIdle?.(this)
    this.onWorkDone?.()
  }

  // ---- state changes (BackendSet only) -------------------------------------------------------

  setHealthy(healthy: boolean): void {
    this.healthy = healthy
  }

  setEjected(ejected: boolean): void {
    this.outlier = ejected
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
    for (const work of this.work.removeAll()) work.destroy()
  }
}
