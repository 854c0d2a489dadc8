/**
 * The four probe kinds, on real sockets. Each resolves (never rejects) within the timeout:
 * TCP = connect; SSL = TLS handshake without verification; HTTP/HTTPS = `GET path`, healthy only
 * on status 200.
 */
import {request as httpRequest, type IncomingMessage} from 'node:http'
import {request as httpsRequest} from 'node:https'
import {connect as tcpConnect, type Socket} from 'node:net'
import {connect as tlsConnect} from 'node:tls'
import type {Probe, ProbeResult, ProbeTarget} from './types.js'

export const HEALTH_CHECK_USER_AGENT = 'ELB-HealthChecker/1.0'

export const probe: Probe = (target, timeoutMs) => {
  switch (target.protocol) {
    case 'TCP':
      return socketProbe(() => tcpConnect({host: target.host, port: target.port}), 'connect', timeoutMs)
    case 'SSL':
      return socketProbe(
        () => tlsConnect({host: target.host, port: target.port, rejectUnauthorized: false}),
        'secureConnect',
        timeoutMs,
      )
    case 'HTTP':
    case 'HTTPS':
      return httpProbe(target, timeoutMs)
  }
}

function socketProbe(open: () => Socket, readyEvent: string, timeoutMs: number): Promise<ProbeResult> {
  return new Promise((resolve) => {
    const socket = open()
    let settled = false
    const finish = (result: ProbeResult) => {
      if (settled) return
      settled = true
      clearTimeout(timer)
      socket.destroy()
      resolve(result)
    }
    const timer = setTimeout(() => { finish({ok: false, detail: `no answer within ${timeoutMs} ms`}); }, timeoutMs)
    socket.once(readyEvent, () => { finish({ok: true}); })
    socket.once('error', (error) => { finish({ok: false, detail: error.message}); })
    socket.once('close', () => { finish({ok: false, detail: 'connection closed'}); })
  })
}

function httpProbe(target: ProbeTarget, timeoutMs: number): Promise<ProbeResult> {
  return new Promise((resolve) => {
    let settled = false
    const finish = (result: ProbeResult) => {
      if (settled) return
      settled = true
      clearTimeout(timer)
      req.destroy()
      resolve(result)
    }
    const options = {
      host: target.host,
      port: target.port,
      path: target.path ?? '/',
      method: 'GET',
      agent: false as const,
      headers: {Host: target.host, 'User-Agent': HEALTH_CHECK_USER_AGENT, Accept: '*/*'},
    }
    const onResponse = (res: IncomingMessage) => {
      const status = res.statusCode ?? 0
      res.resume()
      res.once('error', () => undefined)
      finish(status === 200 ? {ok: true} : {ok: false, detail: `status ${status}`})
    }
    const req = target.protocol === 'HTTPS'
      ? httpsRequest({...options, rejectUnauthorized: false}, onResponse)
      : httpRequest(options, onResponse)
    const timer = setTimeout(() => { finish({ok: false, detail: `no answer within ${timeoutMs} ms`}); }, timeoutMs)
    req.once('error', (error) => { finish({ok: false, detail: error.message}); })
    req.end()
  })
}
