import {createHmac, timingSafeEqual} from 'node:crypto'

/**
 * Classic ELB session stickiness cookies. The `AWSELB` value is opaque upper-case hex that names
 * the instance and the listener's back-end port (stickiness is lost when a client moves to a
 * listener with another back-end port); an HMAC makes it unforgeable.
 */

export const LB_COOKIE = 'AWSELB'
export const LB_CORS_COOKIE = 'AWSELBCORS'
/** Added whenever the LB inserts its cookie, so shared caches do not store it (sic: lower-case c). */
export const CACHE_CONTROL_LINE = 'Cache-control: no-cache="set-cookie"'

const MAC_BYTES = 16

export function encodeStickyCookie(secret: Buffer, instanceId: string, instancePort: number): string {
  const payload = Buffer.from(`${instanceId}:${instancePort}`, 'utf8')
  const mac = createHmac('sha256', secret).update(payload).digest().subarray(0, MAC_BYTES)
  return Buffer.concat([payload, mac]).toString('hex').toUpperCase()
}

/** The instance id a cookie value names for this back-end port, or undefined if forged/foreign. */
export function decodeStickyCookie(secret: Buffer, value: string, instancePort: number): string | undefined {
  if (!/^[0-9A-Fa-f]+$/.test(value) || value.length % 2 !== 0 || value.length <= MAC_BYTES * 2) return undefined
  const raw = Buffer.from(value, 'hex')
  const payload = raw.subarray(0, raw.length - MAC_BYTES)
  const mac = raw.subarray(raw.length - MAC_BYTES)
  const expected = createHmac('sha256', secret).update(payload).digest().subarray(0, MAC_BYTES)
  if (!timingSafeEqual(mac, expected)) return undefined
  const text = payload.toString('utf8')
  const colon = text.lastIndexOf(':')
  if (colon <= 0 || text.slice(colon + 1) !== String(instancePort)) return undefined
  return text.slice(0, colon)
}

/** The value of a cookie in `Cookie` request header values, or undefined. */
export function findCookie(cookieHeaders: readonly string[], name: string): string | undefined {
  for (const header of cookieHeaders) {
    for (const pair of header.split(';')) {
      const eq = pair.indexOf('=')
      if (eq === -1) continue
      if (pair.slice(0, eq).trim() === name) return pair.slice(eq + 1).trim().replace(/^"(.*)"$/, '$1')
    }
  }
  return undefined
}

/** `Set-Cookie` lines for duration-based stickiness (LBCookieStickinessPolicyType). */
export function lbCookieHeaderLines(value: string, expirationPeriod: number | undefined): string[] {
  const maxAge = expirationPeriod === undefined ? '' : `;MAX-AGE=${expirationPeriod}`
  return [
    `Set-Cookie: ${LB_COOKIE}=${value};PATH=/${maxAge}`,
    `Set-Cookie: ${LB_CORS_COOKIE}=${value};PATH=/${maxAge};SECURE;SAMESITE=None`,
    CACHE_CONTROL_LINE,
  ]
}

/** Attributes AWS copies from the application cookie onto its own. */
const COPIED_ATTRIBUTES = new Set(['path', 'port', 'domain', 'secure', 'httponly', 'discard', 'max-age', 'expires', 'version', 'comment', 'commenturl', 'samesite'])

export interface AppCookie {
  /** Attributes as `name[=value]`, in the order the application gave them. */
  readonly attributes: readonly string[]
}

/**
 * Find the application's cookie in response `Set-Cookie` values. A value ending in `;` is ignored,
 * as AWS does (documented quirk).
 */
export function findAppCookie(setCookieValues: readonly string[], cookieName: string): AppCookie | undefined {
  let found: AppCookie | undefined
  for (const value of setCookieValues) {
    if (value.trimEnd().endsWith(';')) continue
    const parts = value.split(';')
    const first = parts[0] ?? ''
    const eq = first.indexOf('=')
    if (eq === -1 || first.slice(0, eq).trim() !== cookieName) continue
    const attributes: string[] = []
    for (const part of parts.slice(1)) {
      const text = part.trim()
      const key = (text.split('=')[0] ?? '').trim().toLowerCase()
      if (!COPIED_ATTRIBUTES.has(key)) continue
      // AWS URI-encodes underscores in the cookie path ("/my_path" → "/my%5Fpath").
      attributes.push(key === 'path' ? text.replace(/_/g, '%5F') : text)
    }
    found = {attributes}
  }
  return found
}

/** `Set-Cookie` lines for application-controlled stickiness, mirroring the app cookie. */
export function appCookieHeaderLines(value: string, appCookie: AppCookie): string[] {
  const attributes = appCookie.attributes.length > 0 ? `;${appCookie.attributes.join(';')}` : ''
  const hasPath = appCookie.attributes.some(a => a.toLowerCase().startsWith('path'))
  const path = hasPath ? '' : ';PATH=/'
  const cors = appCookie.attributes.filter(a => !/^(secure|samesite)\b/i.test(a))
  const corsAttributes = cors.length > 0 ? `;${cors.join(';')}` : ''
  return [
    `Set-Cookie: ${LB_COOKIE}=${value}${path}${attributes}`,
    `Set-Cookie: ${LB_CORS_COOKIE}=${value}${path}${corsAttributes};SECURE;SAMESITE=None`,
    CACHE_CONTROL_LINE,
  ]
}
