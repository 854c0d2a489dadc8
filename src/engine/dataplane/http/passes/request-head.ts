import type {Socket} from 'node:net'
import type {ListenerConfig} from '../../config.js'
import type {RequestHead} from '../parse.js'
import {forwardedLines} from './forwarded.js'
import {isDropped, REQUEST_HOP_BY_HOP} from './hop-by-hop.js'

/**
 * The request head as it goes to the instance: hop-by-hop headers dropped, repeated identical
 * `Content-Length` lines merged, `Host` supplied for HTTP/1.0, `X-Forwarded-*` appended.
 * Pure (but `writeClientHead`, which only writes given bytes): the same head, client and listener
 * give the same text.
 */

/** Headers the proxy must remove or merge; a head without any of them is forwarded as it came. */
const REWRITTEN: ReadonlySet<string> = new Set([...REQUEST_HOP_BY_HOP, 'content-length'])

/**
 * True when the client's head bytes can go to the instance as they are, with only the
 * `X-Forwarded-*` lines appended (see `forwardedSuffix`): no header to strip, merge or add.
 */
export function headForwardsUnchanged(request: RequestHead): boolean {
  // Unfolded, sanitised, canonical framing or absolute-form: the records are what goes on.
  if (request.mustRebuild === true) return false
  // A quick-scanned head (no header records) was checked for all of this already.
  if (request.headers.length === 0 && request.minor === 1 && request.classification === 'compliant') return true
  // Folded lines are unfolded before forwarding, so they take the rebuilding path.
  if (request.connectionTokens.length > 0 || request.classification === 'ambiguous' || request.classification === 'severe') return false
  let host = false
  let lengths = 0
  for (const h of request.headers) {
    const key = h.key
    if (key === 'host') host = true
    else if (REWRITTEN.has(key) && (key !== 'content-length' || ++lengths > 1)) return false
  }
  return host
}

/** Writes the client's head bytes (without the line `cut`, when given) and then `forwarded`, no copy. */
export function writeClientHead(socket: Socket, raw: Buffer, cut: readonly [number, number] | undefined, forwarded: Buffer): void {
  if (cut === undefined) socket.write(raw)
  else {
    socket.write(raw.subarray(0, cut[0]))
    if (cut[1] < raw.length) socket.write(raw.subarray(cut[1]))
  }
  socket.write(forwarded)
}

/** The rebuilt head, ending with the blank line. `nodeAddress` is the Host for HTTP/1.0 without one. */
export function buildRequestHead(request: RequestHead, clientIp: string, config: ListenerConfig, nodeAddress: string): string {
  let out = `${request.method} ${request.target} HTTP/1.${request.minor}\r\n`
  let forwardedFor: string | undefined
  let host = false
  let contentLength = false
  const tokens = request.connectionTokens
  for (const h of request.headers) {
    const key = h.key
    if (isDropped(REQUEST_HOP_BY_HOP, key, tokens)) {
      if (key === 'x-forwarded-for') forwardedFor = forwardedFor === undefined ? h.value : `${forwardedFor}, ${h.value}`
      continue
    }
    if (key === 'host') host = true
    else if (key === 'content-length') {
      // Repeated identical lengths (ambiguous, let through) reach the instance only once.
      if (contentLength) continue
      contentLength = true
    }
    out += `${h.name}: ${h.value}\r\n`
  }
  // An HTTP/1.0 request without Host gets the LB node's address.
  if (!host) out += `Host: ${nodeAddress}\r\n`
  return out + forwardedLines(clientIp, forwardedFor, config, request.minor)
}
