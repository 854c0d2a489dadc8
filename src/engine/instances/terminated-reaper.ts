/**
 * Forgets terminated instances about an hour after termination, as EC2 does (scaled by the
 * engine's time scale, like health-check intervals), so run/terminate cycles do not grow the
 * state and DescribeInstances without bound. The rule (which records go, one journaled write) is
 * `InstanceService.forgetTerminated`; this only keeps one timer for the earliest expiry.
 */
import {TERMINATED_RETENTION_MS, type InstanceService} from '../model/instance-service.js'
import type {Store} from '../model/store.js'

export interface TerminatedInstanceReaperOptions {
  /** The engine's time scale (ELB_LOCAL_TIME_SCALE): 0.001 keeps terminated instances 3.6 s. */
  readonly timeScale?: number
  readonly log?: (line: string) => void
}

/** setTimeout's largest delay; a longer one would fire at once. */
const MAX_TIMER_MS = 2 ** 31 - 1

export class TerminatedInstanceReaper {
  private readonly retentionMs: number
  private readonly log: (line: string) => void
  private unsubscribe: () => void = () => undefined
  private timer: NodeJS.Timeout | undefined
  private dueAt = Infinity
  private closed = false

  constructor(private readonly instances: InstanceService, private readonly store: Store, options: TerminatedInstanceReaperOptions = {}) {
    this.retentionMs = TERMINATED_RETENTION_MS * (options.timeScale ?? 1)
    this.log = options.log ?? (() => undefined)
  }

  /** Forgets what has expired, then follows the store (once the engine owns its home: this writes). */
  start(): void {
    // An instance terminated now expires one retention from now; earlier ones already have a timer.
    this.unsubscribe = this.store.onChange((_state, changes) => {
      if (changes.all || changes.instances.length > 0) this.schedule(Date.now() + this.retentionMs)
    })
    this.sweep()
  }

  close(): void {
    this.closed = true
    this.unsubscribe()
    clearTimeout(this.timer)
    this.timer = undefined
  }

  private sweep(): void {
    this.timer = undefined
    this.dueAt = Infinity
    if (this.closed) return
    try {
      const {forgotten, nextTerminatedAt} = this.instances.forgetTerminated(new Date(Date.now() - this.retentionMs))
      if (forgotten > 0) this.log(`instances: forgot ${forgotten} instance(s) terminated over ${Math.round(this.retentionMs / 1000)} s ago`)
      if (nextTerminatedAt !== undefined) this.schedule(nextTerminatedAt.getTime() + this.retentionMs)
    } catch (error) {
      // A failed write (e.g. a stopped journal) is the store's to report; try again later.
      this.log(`ERROR instances: cannot forget terminated instances: ${error instanceof Error ? error.message : String(error)}`)
      this.schedule(Date.now() + this.retentionMs)
    }
  }

  private schedule(at: number): void {
    if (this.closed || at >= this.dueAt) return
    clearTimeout(this.timer)
    this.dueAt = at
    this.timer = setTimeout(() => { this.sweep(); }, Math.min(MAX_TIMER_MS, Math.max(0, at - Date.now())))
    this.timer.unref()
  }
}
