import type {Stickiness} from '../../config.js'
import type {ResponseHead} from '../parse.js'
import {appCookieHeaderLines, findAppCookie, lbCookieHeaderLines} from '../stickiness.js'
import {isDropped, RESPONSE_HOP_BY_HOP} from './hop-by-hop.js'

/**
 * The response head as it goes to the client: hop-by-hop headers dropped, the stickiness cookie
 * added when the router chose anew (duration-based) or the application set its cookie
 * (application-controlled), and `Connection` stated for the client's side. Pure.
 */

export interface ResponseHeadOptions {
  readonly stickiness: Stickiness | undefined
  /** The router chose the instance without a valid cookie: insert one (duration-based). */
  readonly stickyInsert: boolean
  /** Makes the AWSELB cookie value for the chosen instance (only called when a cookie goes out). */
  readonly cookieValue: () => string
  /** The client connection closes after this response. */
  readonly closeAfter: boolean
  readonly clientMinor: 0 | 1
}

/**
 * The instance's head bytes may go to the client as they are (with only `Connection: close`
 * stated when the client's connection closes, `closingHead`): an HTTP/1.1 client, no cookie to insert.
 */
export function mayRelayResponseHead(clientMinor: 0 | 1, stickiness: Stickiness | undefined, stickyInsert: boolean): boolean {
  if (clientMinor !== 1) return false
  return stickiness === undefined || (stickiness.kind !== 'app-cookie' && !stickyInsert)
}

const CLOSE_LINE = Buffer.from('Connection: close\r\n\r\n', 'latin1')

/**
 * A quick-scanned response head (`data` up to `bodyStart`) as `buildResponseHead` gives it for a
 * closing client connection: its `Connection: keep-alive` line cut, `Connection: close` last.
 * One small copy of the head; the body is not touched.
 */
export function closingHead(data: Buffer, response: ResponseHead, bodyStart: number): Buffer {
  const cut = response.keepAliveLine
  const headEnd = bodyStart - 2 // just past the last header line's CRLF
  if (cut === undefined) return Buffer.concat([data.subarray(0, headEnd), CLOSE_LINE])
  return Buffer.concat([data.subarray(0, cut[0]), data.subarray(cut[1], headEnd), CLOSE_LINE])
}

/** Nothing to strip or add: the instance's head bytes can be relayed as they came. */
export function responseHeadUnchanged(response: ResponseHead): boolean {
  if (response.mustRebuild === true) return false
  for (const token of response.connectionTokens) if (token !== 'keep-alive') return false
  for (const h of response.headers) if (h.key !== 'connection' && RESPONSE_HOP_BY_HOP.has(h.key)) return false
  return true
}

export function buildResponseHead(response: ResponseHead, options: ResponseHeadOptions): string {
  let out = `${response.statusLine}\r\n`
  const tokens = response.connectionTokens
  const appCookie = options.stickiness?.kind === 'app-cookie'
  let setCookies: string[] | undefined
  for (const h of response.headers) {
    const key = h.key
    if (isDropped(RESPONSE_HOP_BY_HOP, key, tokens)) continue
    if (appCookie && key === 'set-cookie') (setCookies ??= []).push(h.value)
    out += `${h.name}: ${h.value}\r\n`
  }
  const sticky = stickyLines(options, setCookies)
  if (sticky !== undefined) for (const line of sticky) out += `${line}\r\n`
  if (options.closeAfter) out += 'Connection: close\r\n'
  else if (options.clientMinor === 0) out += 'Connection: keep-alive\r\n'
  return `${out}\r\n`
}

function stickyLines(options: ResponseHeadOptions, appSetCookies: string[] | undefined): string[] | undefined {
  const stickiness = options.stickiness
  if (stickiness === undefined) return undefined
  if (stickiness.kind === 'lb-cookie') return options.stickyInsert ? lbCookieHeaderLines(options.cookieValue(), stickiness.expirationPeriod) : undefined
  // Application-controlled: a new AWSELB cookie only when the application sets its cookie.
  const appCookie = appSetCookies === undefined ? undefined : findAppCookie(appSetCookies, stickiness.cookieName)
  return appCookie === undefined ? undefined : appCookieHeaderLines(options.cookieValue(), appCookie)
}
