/**
 * Deadlines for slow clients (issue 9). The idle timeout alone restarts on every byte, so a head
 * or body trickled one byte at a time would hold a connection forever. Both deadlines derive from
 * the load balancer's idle timeout (ConnectionSettings.IdleTimeout, already time-scaled):
 * - a request head must arrive completely within one idle timeout of its first byte (HAProxy's
 *   `timeout http-request`); the LB then answers 408;
 * - a request body gets one idle timeout plus one more per BODY_BYTES_PER_EXTRA_TIMEOUT bytes
 *   received (a minimum rate, like Apache's mod_reqtimeout `MinRate`), not counting time the
 *   instance spends not reading. Cut before any response byte: 408; after: the connection ends.
 * Timers exist only while a head or body is incomplete, so a request that arrives in one read costs
 * nothing.
 */

export const BODY_BYTES_PER_EXTRA_TIMEOUT = 64 * 1024

export class HeadDeadline {
  private timer: NodeJS.Timeout | undefined

  /** Start counting at the first byte of a head (no-op when already counting). */
  arm(idleTimeoutMs: number, onExpire: () => void): void {
    this.timer ??= setTimeout(() => {
      this.timer = undefined
      onExpire()
    }, idleTimeoutMs)
  }

  clear(): void {
    if (this.timer === undefined) return
    clearTimeout(this.timer)
    this.timer = undefined
  }
}

export interface BodyProgress {
  /** Body bytes received so far. */
  readonly bytes: number
  /** The instance is not reading (backpressure): not the client's fault. */
  readonly instanceStalled: boolean
}

export class BodyDeadline {
  private timer: NodeJS.Timeout | undefined
  private readonly startedAt = performance.now()
  /** Time the instance spent not reading, which the client is not charged for. */
  private excusedMs = 0

  constructor(
    private readonly idleTimeoutMs: number,
    private readonly progress: () => BodyProgress,
    private readonly onExpire: () => void,
  ) {
    this.schedule(idleTimeoutMs)
  }

  clear(): void {
    if (this.timer === undefined) return
    clearTimeout(this.timer)
    this.timer = undefined
  }

  private schedule(ms: number): void {
    this.timer = setTimeout(() => { this.check(ms); }, Math.max(1, ms))
  }

  private check(waitedMs: number): void {
    this.timer = undefined
    const {bytes, instanceStalled} = this.progress()
    if (instanceStalled) {
      this.excusedMs += waitedMs
      this.schedule(this.idleTimeoutMs)
      return
    }
    const allowed = this.idleTimeoutMs * (1 + bytes / BODY_BYTES_PER_EXTRA_TIMEOUT)
    const elapsed = performance.now() - this.startedAt - this.excusedMs
    if (elapsed < allowed) this.schedule(allowed - elapsed)
    else this.onExpire()
  }
}
