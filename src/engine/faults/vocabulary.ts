/**
 * The faults `elb-local fault set` can put on the path to an instance: their names, what each one
 * takes, and the wire shapes of the admin API. Imports nothing, so the admin route table and the
 * browser console use it too (like `model/elb/vocabulary.ts`).
 */

export const FAULT_KINDS = [
  'refuse', 'hang', 'delay', 'status', 'malformed', 'reset', 'close-after-headers', 'fail-health-checks', 'capacity', 'zone-outage',
] as const
export type FaultKind = (typeof FAULT_KINDS)[number]

/** One line per kind: `elb-local fault --help` and the console's menu. */
export const FAULT_SUMMARIES: Readonly<Record<FaultKind, string>> = {
  'refuse': 'connections to the instance are refused (also its health checks)',
  'hang': 'the instance accepts the request and never answers',
  'delay': 'the instance answers after --delay-ms milliseconds',
  'status': 'the instance answers with --status CODE',
  'malformed': 'the instance answers with a response that is not HTTP',
  'reset': 'the instance resets the connection in the middle of its response',
  'close-after-headers': 'the instance reads the request head, then closes the connection without answering',
  'fail-health-checks': 'only the health checks fail (the connection is refused); traffic still flows',
  'capacity': 'the instance takes at most --capacity concurrent requests; the rest wait in the surge queue',
  'zone-outage': 'every instance in --zone is unreachable (connections fail as if the host were down)',
}

/** Kinds that are the instance's own behaviour: played by the engine's stand-in back end (demo-backend.ts). */
export type BehaviourKind = Extract<FaultKind, 'hang' | 'delay' | 'status' | 'malformed' | 'reset' | 'close-after-headers'>

/** `POST faults/set`: what to break, where, for how long, how often. */
export interface FaultRequest {
  readonly kind: FaultKind
  /** Every kind but `zone-outage`. */
  readonly instanceId?: string
  /** `zone-outage` only. */
  readonly availabilityZone?: string
  readonly region?: string
  /** `delay`: milliseconds. */
  readonly delayMs?: number
  /** `status`: the status code the instance answers. */
  readonly status?: number
  /** `capacity`: concurrent requests the instance takes. */
  readonly capacity?: number
  /** The fault clears itself after this many seconds (real time, not time-scaled); none = until cleared. */
  readonly durationSeconds?: number
  /** Each request (or connection, or health check) is hit with this probability; default 1. */
  readonly probability?: number
}

/** A fault in force, as the admin API, `elb-local fault list`, `status` and the console show it. */
export interface ActiveFault {
  readonly id: string
  readonly region: string
  readonly kind: FaultKind
  readonly instanceId?: string
  readonly availabilityZone?: string
  readonly delayMs?: number
  readonly status?: number
  readonly capacity?: number
  readonly probability: number
  readonly setAt: string
  /** When it clears itself (ISO time), if it was set with a duration. */
  readonly expiresAt?: string
}

/** `POST faults/clear`: one fault by id, the faults of an instance or zone, or all of them. */
export interface FaultClearRequest {
  readonly id?: string
  readonly instanceId?: string
  readonly availabilityZone?: string
  readonly all?: boolean
  readonly region?: string
}

/** What a fault shows as one short phrase (`elb-local fault list`, the console). */
export function faultDetail(fault: ActiveFault): string {
  if (fault.delayMs !== undefined) return `${fault.delayMs} ms`
  if (fault.status !== undefined) return `status ${fault.status}`
  if (fault.capacity !== undefined) return `${fault.capacity} concurrent`
  return ''
}
