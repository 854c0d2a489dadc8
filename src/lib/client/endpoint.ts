/**
 * Endpoint URLs as people type them: `127.0.0.1:8773` (no scheme), `http://host:99999`,
 * `http://bad host` each get one sentence saying what is wrong and how to write it, instead of
 * `TypeError: Invalid URL` from deep inside a client.
 */

export class EndpointError extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'EndpointError'
  }
}

const SCHEME = /^([a-z][a-z0-9+.-]*):\/\//i

/** Checks `text` (named by `source`, e.g. `ELB_LOCAL_ENDPOINT`) and returns it unchanged. */
export function checkEndpoint(text: string, source: string): string {
  const scheme = SCHEME.exec(text)?.[1]?.toLowerCase()
  if (scheme === undefined) {
    throw new EndpointError(`${source} '${text}' has no scheme: write it as http://${text.replace(/^\/+/, '')}.`)
  }
  if (scheme !== 'http' && scheme !== 'https') {
    throw new EndpointError(`${source} '${text}' is not an http:// or https:// URL.`)
  }
  const authority = text.slice(scheme.length + 3).split(/[/?#]/)[0] ?? ''
  const port = /:([^:\]]*)$/.exec(authority)?.[1]
  if (port !== undefined && port !== '' && !(/^\d+$/.test(port) && Number(port) >= 1 && Number(port) <= 65535)) {
    throw new EndpointError(`${source} '${text}' has a bad port '${port}': a port is a number from 1 to 65535.`)
  }
  let url: URL
  try {
    url = new URL(text)
  } catch {
    url = new URL('http://invalid.')
  }
  if (url.hostname === '' || url.hostname === 'invalid.') {
    const host = port === undefined ? authority : authority.slice(0, -(port.length + 1))
    throw new EndpointError(`${source} '${text}' has a bad host '${host}': give a host name or an IP address.`)
  }
  return text
}

/** Loopback hosts: where a local engine lives (real AWS never does). */
export function isLoopbackHost(host: string): boolean {
  const bare = host.replace(/^\[(.*)\]$/, '$1')
  return bare === 'localhost' || bare === '::1' || /^127\.\d+\.\d+\.\d+$/.test(bare)
}
