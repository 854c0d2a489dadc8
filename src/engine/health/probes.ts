/**
 * The four probe kinds, on real sockets. Each resolves (never rejects) within the timeout:
 * TCP = connect; SSL = TLS handshake without verification; HTTP/HTTPS = `GET path` (on a plain or
 * unverified TLS socket), healthy only on status 200.
 *
 * The HTTP probes write a fixed request and read only the status line, on a bare socket: node's
 * HTTP client (agent, parser, header objects) cost about half of a probe's CPU, and a probe never
 * needs more than the status code. One connection per probe, closed at once, as ELB does.
 */
import {connectToInstance, type InstanceTarget} from '../dataplane/upstream/connector.js'
import type {Probe, ProbeResult, ProbeTarget} from './types.js'

export const HEALTH_CHECK_USER_AGENT = 'ELB-HealthChecker/1.0'

/** A status line longer than this is not one. */
const MAX_STATUS_LINE = 1024
const STATUS_LINE = /^HTTP\/1\.[01] (\d{3})[ \r]/

export const probe: Probe = (target, timeoutMs) => {
  const tls = target.protocol === 'SSL' || target.protocol === 'HTTPS'
  const request = target.protocol === 'HTTP' || target.protocol === 'HTTPS' ? httpRequestOf(target) : undefined
  return socketProbe({instanceId: target.instanceId ?? '', host: target.host, port: target.port, tls, keys: undefined, securityGroups: target.securityGroups}, timeoutMs, request)
}

/** The request bytes of an HTTP probe (cached per target: the same few targets are probed forever). */
const requests = new Map<string, Buffer>()

function httpRequestOf(target: ProbeTarget): Buffer {
  const path = target.path ?? '/'
  const key = `${target.host} ${path}`
  let request = requests.get(key)
  if (request === undefined) {
    request = Buffer.from(`GET ${path} HTTP/1.1\r\nHost: ${target.host}\r\nUser-Agent: ${HEALTH_CHECK_USER_AGENT}\r\n` +
      'Accept: */*\r\nConnection: close\r\n\r\n', 'latin1')
    if (requests.size >= 10_000) requests.clear()
    requests.set(key, request)
  }
  return request
}

/**
 * Opens the socket (through the data plane's one connector); healthy once connected (TLS:
 * handshake done) — or, with an HTTP `request`, on a 200 status line after sending it.
 */
function socketProbe(target: InstanceTarget, timeoutMs: number, request?: Buffer): Promise<ProbeResult> {
  return new Promise((resolve) => {
    let settled = false
    let head = ''
    const finish = (result: ProbeResult) => {
      if (settled) return
      settled = true
      clearTimeout(timer)
      socket.destroy()
      resolve(result)
    }
    const timer = setTimeout(() => { finish({ok: false, detail: `no answer within ${timeoutMs} ms`}) }, timeoutMs)
    const socket = connectToInstance(target, 'health-check', timeoutMs, (error) => {
      if (error !== undefined) {
        finish({ok: false, detail: (error as NodeJS.ErrnoException).code === 'ETIMEDOUT' ? `no answer within ${timeoutMs} ms` : error.message})
        return
      }
      if (request === undefined) {
        finish({ok: true})
        return
      }
      socket.on('error', (e) => { finish({ok: false, detail: e.message}) })
      socket.once('close', () => { finish({ok: false, detail: 'connection closed'}) })
      socket.write(request)
    })
    if (request !== undefined) {
      socket.on('data', (chunk: Buffer) => {
        head += chunk.toString('latin1', 0, Math.min(chunk.length, MAX_STATUS_LINE))
        const end = head.indexOf('\n')
        if (end < 0 && head.length < MAX_STATUS_LINE) return
        const status = end < 0 ? undefined : STATUS_LINE.exec(head.slice(0, end + 1))?.[1]
        if (status === undefined) finish({ok: false, detail: 'not an HTTP response'})
        else finish(status === '200' ? {ok: true} : {ok: false, detail: `status ${status}`})
      })
    }
  })
}
