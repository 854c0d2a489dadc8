import {isIP} from 'node:net'
import type {IncomingHttpHeaders, IncomingMessage} from 'node:http'

/**
 * Keeps web pages from driving the engine. A browser lets any page send requests to loopback: a
 * cross-site form POST (`Action=DeleteLoadBalancer`, `POST /__elb-local/shutdown` as text/plain),
 * an `<img>` GET, or a page on a name that later resolves to 127.0.0.1 (DNS rebinding). None of
 * them can choose the `Host`, `Origin` or `Sec-Fetch-Site` headers the browser sends, so:
 *  - `Host` must name this machine: a loopback address, `localhost`/`*.localhost`, the address the
 *    engine was told to bind (`--host`; any IP literal when that is a wildcard), or an AWS endpoint
 *    name (`*.amazonaws.com`, for clients that point AWS names at the engine through /etc/hosts:
 *    no page can make a browser send those for a rebinding attack);
 *  - `Origin`, when present, must be the engine's own origin (`http://` + that Host): pages the
 *    engine serves itself (`/console/`) keep working;
 *  - `Sec-Fetch-Site`, when present, must be `same-origin` or `none` (a browser's no-cors GET,
 *    e.g. an `<img>`, carries no Origin; a page on another port of localhost is `same-site`);
 *  - `Referer`, when present, must be a page of the engine's own origin (a browser without Fetch
 *    Metadata sends only that with an `<img>` GET);
 *  - a GET never writes for a browser: the pipeline refuses a write Action over GET that carries
 *    any browser marker (`writeOverBrowserGet`). The legacy tools' SigV2 GETs and curl send none.
 * Non-browser clients (SDKs, CLIs, curl) send none of these headers but Host, so they are unaffected.
 */

export interface BrowserGuardOptions {
  /** The address the engine binds (`--host`). */
  readonly bindHost: string
}

const WILDCARD_HOSTS = new Set(['0.0.0.0', '::', ''])

/** The host name of a Host header value (`[::1]:8773` → `::1`, `Localhost:80` → `localhost`). */
export function hostName(hostHeader: string): string {
  const value = hostHeader.trim().toLowerCase()
  if (value.startsWith('[')) return value.slice(1, Math.max(1, value.indexOf(']')))
  const colon = value.lastIndexOf(':')
  return colon < 0 ? value : value.slice(0, colon)
}

function isLoopbackAddress(host: string): boolean {
  if (isIP(host) === 4) return host.startsWith('127.')
  if (isIP(host) === 6) return host === '::1' || host === '0:0:0:0:0:0:0:1' || /^::ffff:127\./.test(host)
  return false
}

export function isAllowedHost(host: string, options: BrowserGuardOptions): boolean {
  const bind = options.bindHost.toLowerCase()
  if (isLoopbackAddress(host) || host === 'localhost' || host.endsWith('.localhost')) return true
  if (host === bind) return true
  if (WILDCARD_HOSTS.has(bind) && isIP(host) !== 0) return true
  return /^[a-z0-9.-]+\.amazonaws\.com(\.cn)?$/.test(host)
}

/** Why a request looks like a browser driving the engine from elsewhere, or undefined if it does not. */
export function browserRefusal(req: IncomingMessage, options: BrowserGuardOptions): string | undefined {
  const hostHeader = req.headers.host
  // HTTP/1.0 without Host: not a browser (Node refuses HTTP/1.1 without one).
  if (hostHeader !== undefined && !isAllowedHost(hostName(hostHeader), options)) {
    return `Host ${hostHeader} is not a name of this engine; use a loopback address, localhost or --host.`
  }
  // A browser marks every request; only the engine's own pages (same-origin) and what a person
  // types (none) may pass. `same-site` covers other ports of localhost: another origin all the same.
  const fetchSite = req.headers['sec-fetch-site']
  if (fetchSite !== undefined && fetchSite !== 'same-origin' && fetchSite !== 'none') {
    return `Requests from other web sites are refused (Sec-Fetch-Site: ${fetchSite}).`
  }
  const origin = req.headers.origin
  if (origin !== undefined && !isOwnOrigin(origin, hostHeader)) {
    return `Requests from the web origin ${origin} are refused; only pages this engine serves may call it.`
  }
  const referer = req.headers.referer
  if (referer !== undefined && !isOwnOrigin(originOf(referer), hostHeader)) {
    return `Requests from the web page ${referer.slice(0, 200)} are refused; only pages this engine serves may call it.`
  }
  return undefined
}

function isOwnOrigin(origin: string, hostHeader: string | undefined): boolean {
  return hostHeader !== undefined && origin.toLowerCase() === `http://${hostHeader.toLowerCase()}`
}

/** `http://host:port` of a Referer URL; '' when it is not a URL. */
function originOf(url: string): string {
  return URL.canParse(url) ? new URL(url).origin : ''
}

/**
 * What browsers put in Accept for a page or an image and other clients do not. Not `text/html` or
 * `image/gif`: Java's default Accept, which the legacy tools send, is `text/html, image/gif,
 * image/jpeg, *; q=.2, *\/*; q=.2`.
 */
const BROWSER_ACCEPT = /\bimage\/(?:\*|webp|avif|apng|png|svg\+xml)|\bapplication\/xhtml\+xml\b/i

/**
 * The header that shows a browser sent the request, or undefined: every browser request carries
 * one of these (Fetch Metadata, Origin, Referer, a cookie, a browser's Accept, or a `Mozilla/`
 * User-Agent, which no page can change).
 */
export function browserMarker(headers: IncomingHttpHeaders): string | undefined {
  for (const name of ['origin', 'referer', 'cookie', 'sec-fetch-site', 'sec-fetch-mode', 'sec-fetch-dest', 'sec-fetch-user']) {
    if (headers[name] !== undefined) return name
  }
  if (BROWSER_ACCEPT.test(headers.accept ?? '')) return `accept: ${headers.accept ?? ''}`
  return headers['user-agent']?.startsWith('Mozilla/') === true ? 'a browser\'s user-agent' : undefined
}

/** Why a write Action over GET is refused (a browser sent it), or undefined. */
export function writeOverBrowserGet(method: string, isWrite: boolean, headers: IncomingHttpHeaders): string | undefined {
  if (method !== 'GET' || !isWrite) return undefined
  const marker = browserMarker(headers)
  return marker === undefined
    ? undefined
    : `A browser may not change anything with a GET (the request carries ${marker.slice(0, 100)}); send the Action as a POST.`
}
