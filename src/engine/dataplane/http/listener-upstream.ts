import type {Backend} from '../backends/backend.js'
import type {ListenerConfig} from '../config.js'
import type {ListenerContext} from '../listener-context.js'
import {failOver} from '../upstream/connector.js'
import type {BackendConnection} from '../upstream/pool.js'
import type {ConnectionDone, ExchangeUpstream, Route} from './exchange-client.js'
import {stickyCookieValue} from './router.js'

/**
 * `ExchangeUpstream` for one HTTP/HTTPS listener: keep-alive pools (`LoadBalancerRuntime.poolFor`)
 * and the connector's failover. One per listener, so the request path allocates nothing for it.
 */
export class ListenerUpstream implements ExchangeUpstream {
  constructor(private readonly ctx: ListenerContext) {}

  get config(): ListenerConfig {
    return this.ctx.config
  }

  get address(): string {
    return this.ctx.address
  }

  get region(): string {
    return this.ctx.lb.region
  }

  get loadBalancerName(): string {
    return this.ctx.lb.name
  }

  idleConnection(backend: Backend): BackendConnection | undefined {
    const {lb, config} = this.ctx
    return lb.poolFor(backend, config).takeIdle(lb.config.idleTimeoutMs)
  }

  connect(backend: Backend, done: ConnectionDone): void {
    const {lb, config} = this.ctx
    lb.poolFor(backend, config).connect(lb.config.idleTimeoutMs, done)
  }

  connectFailed(backend: Backend, error: Error | undefined, node: string, mayRedispatch: boolean): Route | undefined {
    const {lb, config} = this.ctx
    const next = failOver(lb, backend, config.instanceLocalPort, error, lb.requestSelector, node, mayRedispatch)
    // Moved to another instance: a sticky client sticks to that one.
    return next === undefined ? undefined : {backend: next, stickyInsert: config.stickiness !== undefined}
  }

  stickyCookie(backend: Backend | undefined): string {
    return stickyCookieValue(this.ctx.stickySecret, backend?.instanceId ?? '', this.ctx.config)
  }
}
