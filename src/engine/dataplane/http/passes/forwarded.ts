import type {ListenerConfig} from '../../config.js'

/**
 * The `X-Forwarded-For/-Proto/-Port` headers Classic ELB adds to every request it forwards.
 * HTTP/1.0 requests also get `Connection: keep-alive`, since back-end connections are reused.
 */

export function forwardedProto(config: ListenerConfig): 'https' | 'http' {
  return config.protocol === 'HTTPS' ? 'https' : 'http'
}

/** The header lines after `X-Forwarded-For`'s value, ending the head (blank line included). */
function tail(config: ListenerConfig, minor: 0 | 1): string {
  return `X-Forwarded-Proto: ${forwardedProto(config)}\r\nX-Forwarded-Port: ${config.loadBalancerPort}\r\n${minor === 0 ? 'Connection: keep-alive\r\n' : ''}\r\n`
}

/**
 * The lines appended to a head that is forwarded unchanged: built once per connection and
 * listener config (see `FrontConnection.forwardedLines`).
 */
export function forwardedSuffix(clientIp: string, config: ListenerConfig, minor: 0 | 1): Buffer {
  return Buffer.from(`X-Forwarded-For: ${clientIp}\r\n${tail(config, minor)}`, 'latin1')
}

/** The lines ending a rebuilt head; a client-sent `X-Forwarded-For` chain is extended. */
export function forwardedLines(clientIp: string, priorForwardedFor: string | undefined, config: ListenerConfig, minor: 0 | 1): string {
  return `X-Forwarded-For: ${priorForwardedFor === undefined ? '' : `${priorForwardedFor}, `}${clientIp}\r\n${tail(config, minor)}`
}
