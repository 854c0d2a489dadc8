/**
 * Failures to reach an instance — refused or unreachable connections, TLS errors, back-end
 * authentication that rejects the instance's key — each answered 502 (or a closed TCP
 * connection) to the client. Logged in the engine log (at most once per load balancer, instance
 * and reason every LOG_INTERVAL_MS, with how many were not logged) and counted for
 * `elb-local status`. Called only on failure, so traffic that works pays nothing.
 */
import {BackendAuthenticationError} from './upstream/auth.js'

export interface BackendFailure {
  readonly region: string
  readonly loadBalancerName: string
  readonly instanceId: string
  /** host:port the load balancer tried. */
  readonly address: string
  readonly error: Error | undefined
}

export type BackendFailureReason = 'authentication' | 'tls' | 'connect' | 'connection'

export interface BackendFailureCount {
  readonly region: string
  readonly loadBalancerName: string
  readonly instanceId: string
  readonly reason: BackendFailureReason
  readonly count: number
  readonly lastError: string
}

const LOG_INTERVAL_MS = 10_000
const CONNECT_CODES = new Set(['ECONNREFUSED', 'EHOSTUNREACH', 'ENETUNREACH', 'EADDRNOTAVAIL', 'ETIMEDOUT', 'ECONNRESET'])

export function backendFailureReason(error: Error | undefined): BackendFailureReason {
  if (error instanceof BackendAuthenticationError) return 'authentication'
  const code = (error as NodeJS.ErrnoException | undefined)?.code ?? ''
  if (code.startsWith('ERR_SSL') || code.startsWith('ERR_TLS') || code.startsWith('CERT_') || code.includes('SELF_SIGNED')) return 'tls'
  if (CONNECT_CODES.has(code)) return 'connect'
  return 'connection'
}

interface Tally {
  count: BackendFailureCount
  loggedAt: number
  unlogged: number
}

export class BackendFailureLog {
  private readonly tallies = new Map<string, Tally>()

  constructor(private readonly log: (line: string) => void, private readonly now: () => number = Date.now) {}

  readonly record = (failure: BackendFailure): void => {
    const reason = backendFailureReason(failure.error)
    const key = `${failure.region}\u0000${failure.loadBalancerName}\u0000${failure.instanceId}\u0000${reason}`
    const message = failure.error?.message ?? 'closed'
    const tally = this.tallies.get(key)
    const count: BackendFailureCount = {
      region: failure.region, loadBalancerName: failure.loadBalancerName, instanceId: failure.instanceId, reason,
      count: (tally?.count.count ?? 0) + 1, lastError: message,
    }
    const now = this.now()
    if (tally !== undefined && now - tally.loggedAt < LOG_INTERVAL_MS) {
      this.tallies.set(key, {count, loggedAt: tally.loggedAt, unlogged: tally.unlogged + 1})
      return
    }
    const unlogged = tally?.unlogged ?? 0
    this.tallies.set(key, {count, loggedAt: now, unlogged: 0})
    this.log(`WARN backend: load balancer ${failure.loadBalancerName} (${failure.region}) cannot use instance ` +
      `${failure.instanceId} at ${failure.address}: ${reason} failure: ${message}` +
      (unlogged === 0 ? '' : ` (${unlogged} more since the last report)`))
  }

  counts(): BackendFailureCount[] {
    return [...this.tallies.values()].map((tally) => tally.count)
  }
}
