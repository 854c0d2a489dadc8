/**
 * `GET /__elb-local/traffic` (`elb-local logs --traffic`): the access-log line of every request
 * and connection through any load balancer, as it ends, to everyone watching. While nobody
 * watches there is no observer at all, so traffic pays nothing for the feature.
 *
 * A watcher that reads slower than traffic flows (or never) must not make the engine queue lines
 * without end: once its unsent bytes pass WATCHER_BUFFER_BYTES its lines are dropped and counted,
 * and when it has caught up it first gets a `# dropped N lines` line (as `tail` after a gap).
 */
import type {ServerResponse} from 'node:http'
import {accessLogEntry, formatAccessLogLine} from '../dataplane/access-log.js'
import type {ExchangeObserver} from '../dataplane/observer.js'
import type {TrafficFeedStatus} from './types.js'

/** Unsent bytes per watcher above which its lines are dropped instead of queued. */
export const WATCHER_BUFFER_BYTES = 1024 * 1024

interface Watcher {
  readonly res: ServerResponse
  /** Lines dropped since this watcher last got one. */
  dropped: number
}

export class TrafficFeed {
  private readonly watchers = new Set<Watcher>()
  private droppedLines = 0

  /** `tap` installs (or, with undefined, removes) one observer on every load balancer. */
  constructor(private readonly tap: (observer: ExchangeObserver | undefined) => void) {}

  private readonly observer: ExchangeObserver = {
    needsHeaders: true,
    onExchangeComplete: (record) => {
      const entry = accessLogEntry(record, record.client.localAddress ?? '')
      if (entry === undefined) return
      const line = formatAccessLogLine(record.loadBalancerName, entry)
      const text = line.endsWith('\n') ? line : `${line}\n`
      for (const watcher of this.watchers) this.send(watcher, text)
    },
  }

  private send(watcher: Watcher, text: string): void {
    const res = watcher.res
    if (res.writableLength > WATCHER_BUFFER_BYTES) {
      watcher.dropped++
      this.droppedLines++
      return
    }
    if (watcher.dropped > 0) {
      res.write(`# dropped ${watcher.dropped} lines\n`)
      watcher.dropped = 0
    }
    res.write(text)
  }

  /** Keeps `res` open and writes every line to it until the client goes away. */
  watch(res: ServerResponse): void {
    res.writeHead(200, {'Content-Type': 'text/plain; charset=utf-8', 'Cache-Control': 'no-store'})
    res.flushHeaders()
    const watcher: Watcher = {res, dropped: 0}
    this.watchers.add(watcher)
    if (this.watchers.size === 1) this.tap(this.observer)
    res.once('close', () => {
      this.watchers.delete(watcher)
      if (this.watchers.size === 0) this.tap(undefined)
    })
  }

  get watching(): number {
    return this.watchers.size
  }

  status(): TrafficFeedStatus {
    let queuedBytes = 0
    for (const watcher of this.watchers) queuedBytes += watcher.res.writableLength
    return {watchers: this.watchers.size, queuedBytes, droppedLines: this.droppedLines}
  }
}
