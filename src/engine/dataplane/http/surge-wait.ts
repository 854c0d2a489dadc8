import type {Backend} from '../backends/backend.js'
import type {SurgeWaiter} from '../backends/surge-queue.js'
import type {ListenerContext} from '../listener-context.js'
import {reportSurge} from '../observer.js'
import type {Route} from './exchange-client.js'

/**
 * One HTTP request waiting in its load balancer's surge queue (backends/surge-queue.ts) because
 * every back end it may use is at capacity. The client connection (front-connection.ts) holds it
 * while the request waits; each change of the queue's length goes to the observers (metrics:
 * SurgeQueueLength, SpilloverCount).
 */
export class SurgeWait implements SurgeWaiter {
  private waiting = false

  constructor(
    readonly node: string,
    private readonly ctx: ListenerContext,
    /** Admitted: the request goes to this back end (a sticky listener pins the client to it). */
    private readonly start: (route: Route) => void,
    /** The idle timeout passed while it waited: the caller answers 504. */
    private readonly expired: () => void,
  ) {}

  /** Join the queue; false when it is full: the request spills over (the caller answers 503). */
  enter(): boolean {
    const queued = this.ctx.lb.surge.offer(this)
    this.waiting = queued
    this.report(!queued)
    return queued
  }

  admit(backend: Backend): void {
    this.waiting = false
    this.report(false)
    this.start({backend, stickyInsert: this.ctx.config.stickiness !== undefined})
  }

  /** The client connection's idle timeout fired while the request waited. */
  timeOut(): void {
    this.leave()
    this.expired()
  }

  /** The client gave up or timed out: leave the queue. */
  leave(): void {
    if (!this.waiting) return
    this.waiting = false
    if (this.ctx.lb.surge.remove(this)) this.report(false)
  }

  private report(spilled: boolean): void {
    const surge = this.ctx.lb.surge
    reportSurge(this.ctx.observation, surge.length, spilled, this.node, surge.lengthOn(this.node))
  }
}
