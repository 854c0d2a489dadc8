/**
 * `GET /__elb-local/traffic` (`elb-local logs --traffic`): the access-log line of every request
 * and connection through any load balancer, as it ends, to everyone watching. While nobody
 * watches there is no observer at all, so traffic pays nothing for the feature.
 */
import type {ServerResponse} from 'node:http'
import {accessLogEntry, formatAccessLogLine} from '../dataplane/access-log.js'
import type {ExchangeObserver} from '../dataplane/observer.js'

export class TrafficFeed {
  private readonly watchers = new Set<ServerResponse>()

  /** `tap` installs (or, with undefined, removes) one observer on every load balancer. */
  constructor(private readonly tap: (observer: ExchangeObserver | undefined) => void) {}

  private readonly observer: ExchangeObserver = {
    needsHeaders: true,
    onExchangeComplete: (record) => {
      const entry = accessLogEntry(record, record.client.localAddress ?? '')
      if (entry === undefined) return
      const line = formatAccessLogLine(record.loadBalancerName, entry)
      const text = line.endsWith('\n') ? line : `${line}\n`
      for (const watcher of this.watchers) watcher.write(text)
    },
  }

  /** Keeps `res` open and writes every line to it until the client goes away. */
  watch(res: ServerResponse): void {
    res.writeHead(200, {'Content-Type': 'text/plain; charset=utf-8', 'Cache-Control': 'no-store'})
    res.flushHeaders()
    this.watchers.add(res)
    if (this.watchers.size === 1) this.tap(this.observer)
    res.once('close', () => {
      this.watchers.delete(res)
      if (this.watchers.size === 0) this.tap(undefined)
    })
  }

  get watching(): number {
    return this.watchers.size
  }
}
