import type {Socket} from 'node:net'
import type {Backend} from '../backends/backend.js'
import type {ListenerConfig} from '../config.js'
import {report, type ExchangeOrigin, type ExchangeRecord, type Observation} from '../observer.js'
import type {ExchangeClient, ExchangeUpstream} from './exchange-client.js'
import type {RequestHead} from './parse.js'

/**
 * Timings and byte counts of one HTTP exchange, kept only when the load balancer has observers
 * (an exchange without observers has no meter). When the exchange ends, the meter fills in the
 * rest and is itself the `ExchangeRecord` the observers receive: one object per exchange, not two,
 * on the request path.
 */
export class ExchangeMeter implements ExchangeRecord {
  forwardedAt = 0
  respondedAt = 0
  receivedBytes = 0
  sentBytes = 0
  backendError: Error | undefined = undefined
  // Filled in by `report`:
  region = ''
  loadBalancerName = ''
  zone = ''
  listener!: ListenerConfig
  client!: Socket
  clientAddress = ''
  clientPort = 0
  instanceId: string | undefined = undefined
  instanceHost: string | undefined = undefined
  request: RequestHead | undefined = undefined
  status = 0
  origin: ExchangeOrigin = 'elb'
  aborted = false
  endedAt = 0

  constructor(readonly observation: Observation, readonly startedAt: number) {}

  report(client: ExchangeClient, upstream: ExchangeUpstream, slot: Backend | undefined, request: RequestHead | undefined, status: number, origin: ExchangeOrigin, aborted: boolean): void {
    this.region = upstream.region
    this.loadBalancerName = upstream.loadBalancerName
    this.zone = client.node
    this.listener = upstream.config
    this.client = client.socket
    this.clientAddress = client.clientIp
    this.clientPort = client.clientPort
    this.instanceId = slot?.instanceId
    this.instanceHost = slot?.host
    this.request = request
    this.status = status
    this.origin = origin
    this.aborted = aborted
    this.endedAt = performance.now()
    report(this.observation, this)
  }
}

/** A meter for a new exchange, or undefined when nobody observes this load balancer. */
export function startMeter(observation: Observation): ExchangeMeter | undefined {
  return observation.observers.length === 0 ? undefined : new ExchangeMeter(observation, performance.now())
}
