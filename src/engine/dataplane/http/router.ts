import type {ListenerConfig} from '../config.js'
import type {Backend} from '../backends/backend.js'
import type {LoadBalancerRuntime} from '../load-balancer.js'
import type {Route} from './exchange-client.js'
import type {RequestHead} from './parse.js'
import {decodeStickyCookie, encodeStickyCookie, findCookie, LB_COOKIE} from './stickiness.js'

/**
 * Where an HTTP request goes: stickiness first (a valid `AWSELB` cookie naming a routable
 * instance), otherwise the load balancer's selector for this listener's protocol. The router
 * decides only; the exchange takes and releases the chosen back end.
 */

export interface RouteContext {
  readonly lb: LoadBalancerRuntime
  readonly config: ListenerConfig
  readonly stickySecret: Buffer
  /** The LB node (zone) the client connection landed on. */
  readonly node: string
}

export function route(head: RequestHead, ctx: RouteContext): Route | undefined {
  const config = ctx.config
  if (config.stickiness === undefined) {
    const backend = ctx.lb.select(ctx.lb.requestSelector, ctx.node)
    return backend === undefined ? undefined : {backend, stickyInsert: false}
  }
  const sticky = stickyInstance(head, ctx)
  if (sticky !== undefined) return {backend: sticky, stickyInsert: false}
  // No usable cookie (absent, forged, or its instance is gone/unhealthy): choose anew and stick to it.
  const backend = ctx.lb.select(ctx.lb.requestSelector, ctx.node)
  return backend === undefined ? undefined : {backend, stickyInsert: true}
}

function stickyInstance(head: RequestHead, ctx: RouteContext): Backend | undefined {
  const cookies: string[] = []
  for (const h of head.headers) if (h.key === 'cookie') cookies.push(h.value)
  const cookie = findCookie(cookies, LB_COOKIE)
  const instanceId = cookie === undefined ? undefined : decodeStickyCookie(ctx.stickySecret, cookie, ctx.config.instancePort)
  return instanceId === undefined ? undefined : ctx.lb.backends.routable(instanceId)
}

/** Requests that may be sent again when a connection failed mid-way (RFC 9110 §9.2.2: idempotent). */
const IDEMPOTENT: ReadonlySet<string> = new Set(['GET', 'HEAD', 'OPTIONS', 'TRACE', 'PUT', 'DELETE'])

export function mayReplay(request: RequestHead): boolean {
  return IDEMPOTENT.has(request.method)
}

/** The `AWSELB` cookie value that routes back to `instanceId` through this listener. */
export function stickyCookieValue(secret: Buffer, instanceId: string, config: ListenerConfig): string {
  return encodeStickyCookie(secret, instanceId, config.instancePort)
}
