import type {Backend} from './backend.js'

/**
 * Classic ELB's surge queue: when no back end can take a request now, it waits here, in arrival
 * order, until one can; once 1,024 wait, further requests spill over (503, `SpilloverCount`). A
 * back end "cannot take" a request when it has its capacity in flight (`elb-local fault set
 * capacity`, faults/capacity.ts). One queue per load balancer (`LoadBalancerRuntime.surge`), for
 * its HTTP/HTTPS listeners.
 */

/** AWS: "The maximum SurgeQueueLength is 1024" (knowledge center, elb-capacity-troubleshooting). */
export const SURGE_QUEUE_MAX = 1024

export interface SurgeWaiter {
  /** The LB node (zone) the request's connection landed on. */
  readonly node: string
  /** A back end with room: the waiter has left the queue and starts its exchange there. */
  admit(backend: Backend): void
}

export class SurgeQueue {
  private readonly waiting: SurgeWaiter[] = []
  /** Node → its requests waiting (CloudWatch's SurgeQueueLength per Availability Zone). */
  private readonly perNode = new Map<string, number>()
  private draining = false

  /** `pick(node)`: a back end on that node with room now, or undefined. */
  constructor(private readonly pick: (node: string) => Backend | undefined) {}

  get length(): number {
    return this.waiting.length
  }

  /** The requests waiting that came through `node`. */
  lengthOn(node: string): number {
    return this.perNode.get(node) ?? 0
  }

  private count(node: string, change: 1 | -1): void {
    this.perNode.set(node, (this.perNode.get(node) ?? 0) + change)
  }

  /** Queue a request; false when the queue is full (the request spills over). */
  offer(waiter: SurgeWaiter): boolean {
    if (this.waiting.length >= SURGE_QUEUE_MAX) return false
    this.waiting.push(waiter)
    this.count(waiter.node, 1)
    return true
  }

  /** The waiter gave up (client gone, idle timeout); false if it was not waiting. Linear in a bounded queue. */
  remove(waiter: SurgeWaiter): boolean {
    const index = this.waiting.indexOf(waiter)
    if (index < 0) return false
    this.waiting.splice(index, 1)
    this.count(waiter.node, -1)
    return true
  }

  /** Some back end may have room (work ended, capacity changed): admit waiters in order while one has. */
  drain(): void {
    if (this.waiting.length === 0 || this.draining) return
    this.draining = true
    try {
      for (let next = this.waiting[0]; next !== undefined; next = this.waiting[0]) {
        const backend = this.pick(next.node)
        if (backend === undefined) return
        this.waiting.shift()
        this.count(next.node, -1)
        next.admit(backend)
      }
    } finally {
      this.draining = false
    }
  }
}
