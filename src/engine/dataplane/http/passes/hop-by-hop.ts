/**
 * Hop-by-hop headers (RFC 7230 §6.1): meaningful for one connection only, so the proxy drops them
 * in both directions, plus the `X-Forwarded-*` request headers the load balancer writes itself.
 */

export const REQUEST_HOP_BY_HOP: ReadonlySet<string> = new Set([
  'connection', 'keep-alive', 'proxy-connection', 'te', 'upgrade', 'x-forwarded-for', 'x-forwarded-proto', 'x-forwarded-port',
])

export const RESPONSE_HOP_BY_HOP: ReadonlySet<string> = new Set(['connection', 'keep-alive', 'proxy-connection', 'upgrade'])

/** A header the proxy does not forward: hop-by-hop, or named by the `Connection` header. */
export function isDropped(hopByHop: ReadonlySet<string>, key: string, connectionTokens: readonly string[]): boolean {
  return hopByHop.has(key) || (connectionTokens.length > 0 && connectionTokens.includes(key))
}
