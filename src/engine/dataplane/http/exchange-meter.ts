import type {Backend} from '../backends/backend.js'
import {report, type ExchangeOrigin, type Observation} from '../observer.js'
import type {ExchangeClient} from './exchange-client.js'
import type {RequestHead} from './parse.js'

/**
 * Timings and byte counts of one HTTP exchange, kept only when the load balancer has observers
 * (an exchange without observers has no meter), and the record they report.
 */
export class ExchangeMeter {
  forwardedAt = 0
  respondedAt = 0
  receivedBytes = 0
  sentBytes = 0
  backendError: Error | undefined

  constructor(readonly observation: Observation, readonly startedAt: number) {}

  report(client: ExchangeClient, slot: Backend | undefined, request: RequestHead | undefined, status: number, origin: ExchangeOrigin, aborted: boolean): void {
    const ctx = client.ctx
    report(this.observation, {
      region: ctx.lb.region,
      loadBalancerName: ctx.lb.name,
      listener: ctx.config,
      client: client.socket,
      clientAddress: client.clientIp,
      clientPort: client.clientPort,
      instanceId: slot?.instanceId,
      instanceHost: slot?.host,
      request,
      status,
      origin,
      aborted,
      backendError: this.backendError,
      startedAt: this.startedAt,
      forwardedAt: this.forwardedAt,
      respondedAt: this.respondedAt,
      endedAt: performance.now(),
      receivedBytes: this.receivedBytes,
      sentBytes: this.sentBytes,
    })
  }
}

/** A meter for a new exchange, or undefined when nobody observes this load balancer. */
export function startMeter(observation: Observation): ExchangeMeter | undefined {
  return observation.observers.length === 0 ? undefined : new ExchangeMeter(observation, performance.now())
}
