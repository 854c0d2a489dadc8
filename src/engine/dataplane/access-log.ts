import {createWriteStream, mkdirSync, type WriteStream} from 'node:fs'
import {randomBytes} from 'node:crypto'
import {join, resolve, sep} from 'node:path'
import {TLSSocket} from 'node:tls'
import {escapeQuotedLogField} from '../log-escape.js'
import type {AccessLogConfig} from './config.js'
import type {ExchangeObserver, ExchangeRecord} from './observer.js'

/**
 * Classic ELB access logs, written to `<stateDir>/access-logs/<bucket>/<prefix>/AWSLogs/...`
 * instead of S3, one file per emit interval, in AWS's line format. The writer is an exchange
 * observer (see `observer.ts`): it turns each `ExchangeRecord` into one line.
 */

export interface AccessLogEntry {
  readonly time: Date
  readonly client: string
  /** `ip:port` of the instance, or `-` when none was reached. */
  readonly backend: string
  /** Seconds, or -1 when the request was not forwarded (AWS prints -1 then). */
  readonly requestProcessing: number
  readonly backendProcessing: number
  readonly responseProcessing: number
  /** `-` for TCP/SSL listeners. */
  readonly elbStatus: string
  readonly backendStatus: string
  readonly receivedBytes: number
  readonly sentBytes: number
  /** `"GET http://host:80/ HTTP/1.1"`-style text, or `- - - ` for TCP/SSL. */
  readonly request: string
  readonly userAgent: string
  readonly sslCipher: string
  readonly sslProtocol: string
}

function seconds(value: number): string {
  return value < 0 ? '-1' : value.toFixed(6)
}

/** A quoted field: nothing inside can end the quotes or the line (see escapeQuotedLogField). */
function quote(value: string): string {
  return `"${escapeQuotedLogField(value)}"`
}

export function formatAccessLogLine(loadBalancerName: string, e: AccessLogEntry): string {
  const time = `${e.time.toISOString().slice(0, -1)}000Z`
  return [
    time,
    loadBalancerName,
    e.client,
    e.backend,
    seconds(e.requestProcessing),
    seconds(e.backendProcessing),
    seconds(e.responseProcessing),
    e.elbStatus,
    e.backendStatus,
    String(e.receivedBytes),
    String(e.sentBytes),
    quote(e.request),
    quote(e.userAgent),
    e.sslCipher,
    e.sslProtocol,
  ].join(' ')
}

function two(n: number): string {
  return String(n).padStart(2, '0')
}

export function accessLogPath(
  root: string,
  config: AccessLogConfig,
  identity: {accountId: string; region: string; loadBalancerName: string; nodeIp: string},
  intervalStart: Date,
  random: string,
): string {
  const y = intervalStart.getUTCFullYear()
  const m = two(intervalStart.getUTCMonth() + 1)
  const d = two(intervalStart.getUTCDate())
  const stamp = `${y}${m}${d}T${two(intervalStart.getUTCHours())}${two(intervalStart.getUTCMinutes())}Z`
  const file = `${identity.accountId}_elasticloadbalancing_${identity.region}_${identity.loadBalancerName}_${stamp}_${identity.nodeIp}_${random}.log`
  const prefix = config.prefix.replace(/^\/+|\/+$/g, '')
  const path = join(root, config.bucket, ...(prefix ? [prefix] : []), 'AWSLogs', identity.accountId, 'elasticloadbalancing', identity.region, String(y), m, d, file)
  // The model refuses `..` in bucket and prefix; state written before that rule must not escape either.
  if (!resolve(path).startsWith(resolve(root) + sep)) {
    throw new Error(`access log path ${path} is outside ${root}: not written`)
  }
  return path
}

/** The access-log line for an exchange; undefined for one that was cut off (not logged). */
export function accessLogEntry(record: ExchangeRecord, nodeAddress: string): AccessLogEntry | undefined {
  if (record.aborted) return undefined
  const config = record.listener
  const tls = record.client instanceof TLSSocket ? record.client : undefined
  const common = {
    time: new Date(),
    client: `${record.clientAddress}:${record.clientPort}`,
    receivedBytes: record.receivedBytes,
    sentBytes: record.sentBytes,
    sslCipher: tls === undefined ? '-' : tls.getCipher().name,
    sslProtocol: tls?.getProtocol() ?? '-',
  }
  if (!config.layer7) {
    const connected = record.instanceHost !== undefined
    return {
      ...common,
      backend: connected ? `${record.instanceHost}:${config.instancePort}` : '-',
      requestProcessing: connected ? 0 : -1,
      backendProcessing: connected ? (record.endedAt - record.startedAt) / 1000 : -1,
      responseProcessing: connected ? 0 : -1,
      elbStatus: '-',
      backendStatus: '-',
      request: '- - - ',
      userAgent: '-',
    }
  }
  // Timings and the back end appear only for answers relayed from an instance.
  const relayed = record.origin === 'backend' && record.forwardedAt > 0 && record.respondedAt > 0
  const request = record.request
  const scheme = config.protocol === 'HTTPS' ? 'https' : 'http'
  const host = request?.headers.find(h => h.key === 'host')?.value ?? nodeAddress
  const hostPort = host.includes(':') ? host : `${host}:${config.loadBalancerPort}`
  return {
    ...common,
    backend: relayed ? `${record.instanceHost ?? '-'}:${config.instancePort}` : '-',
    requestProcessing: relayed ? (record.forwardedAt - record.startedAt) / 1000 : -1,
    backendProcessing: relayed ? (record.respondedAt - record.forwardedAt) / 1000 : -1,
    responseProcessing: relayed ? (record.endedAt - record.respondedAt) / 1000 : -1,
    elbStatus: String(record.status),
    backendStatus: relayed ? String(record.status) : '-',
    request: request === undefined ? '- - - ' : `${request.method} ${scheme}://${hostPort}${request.target} HTTP/1.${request.minor}`,
    userAgent: request?.headers.find(h => h.key === 'user-agent')?.value ?? '-',
  }
}

export class AccessLogWriter implements ExchangeObserver {
  /** Access-log lines carry Host and User-Agent. */
  readonly needsHeaders = true

  private stream: WriteStream | undefined
  private intervalStart = 0

  constructor(
    private readonly root: string,
    public config: AccessLogConfig,
    private readonly identity: {accountId: string; region: string; loadBalancerName: string; nodeIp: string},
  ) {}

  onExchangeComplete(record: ExchangeRecord): void {
    const entry = accessLogEntry(record, this.identity.nodeIp)
    if (entry !== undefined) this.write(entry)
  }

  /** Never throws into the request path: a log that cannot be written is skipped. */
  write(entry: AccessLogEntry): void {
    try {
      this.append(entry)
    } catch {
      this.stream = undefined
    }
  }

  private append(entry: AccessLogEntry): void {
    const intervalMs = this.config.emitIntervalMinutes * 60_000
    const start = Math.floor(entry.time.getTime() / intervalMs) * intervalMs
    if (this.stream === undefined || start !== this.intervalStart) {
      this.stream?.end()
      this.intervalStart = start
      const path = accessLogPath(this.root, this.config, this.identity, new Date(start), randomBytes(4).toString('hex'))
      // Logs hold client addresses and URLs: readable by the engine's user only, like its state.
      mkdirSync(join(path, '..'), {recursive: true, mode: 0o700})
      this.stream = createWriteStream(path, {flags: 'a', mode: 0o600})
      this.stream.on('error', () => {
        this.stream = undefined
      })
    }
    this.stream.write(`${formatAccessLogLine(this.identity.loadBalancerName, entry)}\n`)
  }

  close(): void {
    this.stream?.end()
    this.stream = undefined
  }
}
