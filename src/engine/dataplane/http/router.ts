import type {ListenerConfig} from '../config.js'
import type {Backend} from '../backends/backend.js'
import type {LoadBalancerRuntime} from '../load-balancer.js'
import type {Route} from './exchange-client.js'
import type {RequestHead} from './parse.js'
import {decodeStickyCookie, encodeStickyCookie, findCookie, LB_COOKIE} from './stickiness.js'

/**
 * Where an HTTP request goes: the load balancer's selector for this listener's protocol, wrapped
 * by stickiness when the listener has a stickiness policy (a valid `AWSELB` cookie naming a
 * routable instance wins). The router decides only; the exchange takes and releases the back end.
 */

/** What routing reads of the listener (a `ListenerContext` is one: no object per request). */
export interface RouteContext {
  readonly lb: LoadBalancerRuntime
  readonly config: ListenerConfig
  readonly stickySecret: Buffer
}

/** Chooses the back end of one request. */
export interface RequestSelector {
  /** `node`: the LB node (zone) the client connection landed on. */
  select(head: RequestHead, ctx: RouteContext, node: string): Route | undefined
}

/** The load balancer's selector (least outstanding requests among the node's back ends). */
export const BALANCED: RequestSelector = {
  select(_head: RequestHead, ctx: RouteContext, node: string): Route | undefined {
    const backend = ctx.lb.select(ctx.lb.requestSelector, node)
    return backend === undefined ? undefined : {backend, stickyInsert: false}
  },
}

/** Session stickiness around another selector: the cookie's instance when routable, else the inner choice, pinned. */
export class StickySelector implements RequestSelector {
  constructor(private readonly inner: RequestSelector) {}

  select(head: RequestHead, ctx: RouteContext, node: string): Route | undefined {
    const sticky = stickyInstance(head, ctx)
    if (sticky !== undefined) return {backend: sticky, stickyInsert: false}
    // No usable cookie (absent, forged, or its instance is gone/unhealthy): choose anew and stick to it.
    const chosen = this.inner.select(head, ctx, node)
    return chosen === undefined ? undefined : {backend: chosen.backend, stickyInsert: true}
  }
}

const STICKY = new StickySelector(BALANCED)

export function route(head: RequestHead, ctx: RouteContext, node: string): Route | undefined {
  return (ctx.config.stickiness === undefined ? BALANCED : STICKY).select(head, ctx, node)
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
