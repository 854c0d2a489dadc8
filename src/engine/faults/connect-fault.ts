/**
 * The connector's fault hook (upstream/connector.ts calls it first thing): a connection to an
 * instance whose fault says so fails the way a real one would — refused (`refuse`, and for health
 * checks only `fail-health-checks`) or host unreachable (`zone-outage`) — asynchronously, as a
 * socket error arrives. The connector's `failOver` then ejects and redispatches as for any
 * unreachable instance, and the health checker sees a failed probe.
 */
import {Socket} from 'node:net'
import {FAULTS_BY_HOST, hits, type FaultPurpose} from './active.js'

export type FaultedDone = (error: Error | undefined, socket: undefined) => void

/** Undefined: connect normally. A socket (never connected): `done` gets the fault's error on the next turn. */
export function faultedConnect(target: {readonly host: string; readonly port: number}, purpose: FaultPurpose, done: FaultedDone): Socket | undefined {
  if (FAULTS_BY_HOST.size === 0) return undefined
  const faults = FAULTS_BY_HOST.get(target.host)?.connect
  if (faults === undefined) return undefined
  for (const fault of faults) {
    if (!fault.purposes.has(purpose) || !hits(fault.probability)) continue
    const verb = fault.code === 'ECONNREFUSED' ? 'refused' : 'host unreachable'
    const error = Object.assign(new Error(`connect ${fault.code} ${target.host}:${target.port} (${verb} by fault ${fault.id})`), {code: fault.code})
    setImmediate(() => { done(error, undefined); })
    return new Socket()
  }
  return undefined
}
