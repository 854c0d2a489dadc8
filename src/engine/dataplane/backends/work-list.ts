import type {Closable} from '../upstream/pool.js'

/**
 * Work a back end holds while it runs (an HTTP exchange, a TCP/SSL connection), carrying the
 * links of its back end's `WorkList`. Only `WorkList` reads or writes the three fields.
 */
export interface BackendWork extends Closable {
  workPrev: BackendWork | undefined
  workNext: BackendWork | undefined
  workList: WorkList | undefined
}

/** What `HttpExchange` and `TcpConnection` extend: the three links, unset. */
export abstract class LinkedWork implements BackendWork {
  workPrev: BackendWork | undefined = undefined
  workNext: BackendWork | undefined = undefined
  workList: WorkList | undefined = undefined
  abstract destroy(): void
}

/**
 * The work in flight on one back end, as an intrusive doubly linked list: O(1) add and remove, no
 * allocation, and a removed item keeps no reference to its neighbours.
 *
 * Not a `Set`, on purpose: an HTTP exchange lives about a millisecond, so a back end's set would
 * take and drop tens of thousands of short-lived objects a second and rehash every few dozen. V8
 * leaves each obsolete hash table linked to its successor with its entries in place; once one of
 * them sits in the old generation, that dead chain keeps every recent exchange alive through each
 * scavenge until the next full GC, and the young generation grows to hold them. Under keep-alive
 * load this state sustained itself: scavenges of ~5 ms instead of ~0.3 ms, p99 ×3, −10 % req/s
 * (docs/decisions.md, "Back-end work is an intrusive list").
 */
export class WorkList {
  private head: BackendWork | undefined
  private count = 0

  get size(): number {
    return this.count
  }

  add(work: BackendWork): void {
    if (work.workList !== undefined) work.workList.remove(work)
    work.workList = this
    work.workPrev = undefined
    work.workNext = this.head
    if (this.head !== undefined) this.head.workPrev = work
    this.head = work
    this.count++
  }

  /** False when `work` is not in this list. */
  remove(work: BackendWork): boolean {
    if (work.workList !== this) return false
    const {workPrev: prev, workNext: next} = work
    if (prev === undefined) this.head = next
    else prev.workNext = next
    if (next !== undefined) next.workPrev = prev
    work.workPrev = undefined
    work.workNext = undefined
    work.workList = undefined
    this.count--
    return true
  }

  /** Empty the list, returning what it held (most recent first). */
  removeAll(): BackendWork[] {
    const all: BackendWork[] = []
    for (let work = this.head; work !== undefined;) {
      const next = work.workNext
      work.workPrev = undefined
      work.workNext = undefined
      work.workList = undefined
      all.push(work)
      work = next
    }
    this.head = undefined
    this.count = 0
    return all
  }
}
