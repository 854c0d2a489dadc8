/**
 * Is what answers at an endpoint an elb-local engine? Asks its health endpoint
 * (`GET /__elb-local/health`, which names the engine) over node:http — cheap, and the same module
 * the SDK loads anyway.
 */
import {request} from 'node:http'
import {ADMIN_PREFIX, ENGINE_IDENTITY} from '../../engine/constants.js'

export const HEALTH_PATH = `${ADMIN_PREFIX}health`

export type ProbeAnswer =
  | {readonly kind: 'engine'; readonly pid: number | undefined}
  | {readonly kind: 'foreign'}
  | {readonly kind: 'nothing'}

export interface JsonAnswer {
  readonly status: number
  readonly text: string
}

/** One HTTP exchange with a JSON body; rejects when nothing accepts the connection or it times out. */
export function httpExchange(method: 'GET' | 'POST', url: string, body?: unknown, timeoutMs = 10_000,
  headers: Readonly<Record<string, string>> = {}): Promise<JsonAnswer> {
  const payload = body === undefined ? undefined : JSON.stringify(body)
  const contentHeaders = payload === undefined ? {} : {'Content-Type': 'application/json', 'Content-Length': String(Buffer.byteLength(payload))}
  return new Promise((resolve, reject) => {
    const outgoing = request(url, {method, timeout: timeoutMs, headers: {...headers, ...contentHeaders}}, (response) => {
      const chunks: Buffer[] = []
      response.on('data', (chunk: Buffer) => chunks.push(chunk))
      response.once('end', () => { resolve({status: response.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8')}); })
      response.once('error', reject)
    })
    outgoing.once('timeout', () => outgoing.destroy(new Error(`no answer within ${timeoutMs / 1000} s`)))
    outgoing.once('error', reject)
    outgoing.end(payload)
  })
}

/** Asks the health endpoint; a connection that fails is `nothing`, any other answer but the engine's is `foreign`. */
export async function probeEngine(endpoint: string, timeoutMs = 2000): Promise<ProbeAnswer> {
  let answer: JsonAnswer
  try {
    answer = await httpExchange('GET', `${endpoint}${HEALTH_PATH}`, undefined, timeoutMs)
  } catch (error) {
    const code = (error as {code?: string}).code
    // Refused or unreachable: nobody there. Anything else (a reset, a timeout, garbage) is somebody.
    return code === 'ECONNREFUSED' || code === 'EADDRNOTAVAIL' || code === 'ENETUNREACH' || code === 'EHOSTUNREACH'
      ? {kind: 'nothing'} : {kind: 'foreign'}
  }
  try {
    const parsed = JSON.parse(answer.text) as {engine?: unknown; pid?: unknown}
    if (answer.status === 200 && parsed.engine === ENGINE_IDENTITY) {
      return {kind: 'engine', pid: typeof parsed.pid === 'number' ? parsed.pid : undefined}
    }
  } catch {
    // not JSON: not an engine
  }
  return {kind: 'foreign'}
}
