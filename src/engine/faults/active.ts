/**
 * The faults in force, compiled per instance address: what the three places that apply them read
 * on the request path — the connector (connect-fault.ts), the stand-in back end (behaviour.ts) and
 * the HTTP proxy's capacity check (capacity.ts). Only `FaultRegistry` (registry.ts) writes it.
 *
 * One table per process, keyed by the instance's private address: engines in one process (tests)
 * each own their instance network, so their addresses never meet. With no fault set the table is
 * empty and each reader's first check (`size === 0`) is all it costs.
 */
import type {BehaviourKind} from './vocabulary.js'

/** Why a connection is opened, as the connector names it (connector.ts `ConnectPurpose`). */
export type FaultPurpose = 'request' | 'connection' | 'health-check'

export interface ConnectFault {
  readonly id: string
  /** The socket error the connect fails with. */
  readonly code: 'ECONNREFUSED' | 'EHOSTUNREACH'
  readonly purposes: ReadonlySet<FaultPurpose>
  readonly probability: number
}

export interface BehaviourFault {
  readonly id: string
  readonly kind: BehaviourKind
  readonly delayMs: number
  readonly status: number
  readonly probability: number
}

export interface HostFaults {
  readonly connect: readonly ConnectFault[]
  readonly behaviour: readonly BehaviourFault[]
  /** Concurrent requests the instance takes (the smallest of its capacity faults); undefined = unbounded. */
  readonly capacity: number | undefined
}

/** Instance address → its faults. Written only by FaultRegistry. */
export const FAULTS_BY_HOST = new Map<string, HostFaults>()

/** How many addresses have a capacity fault: the proxy's one check when none has. */
export const CAPACITY = {limitedHosts: 0}

/** Whether this request (connection, check) is hit: `Math.random` is enough for a test control. */
export function hits(probability: number): boolean {
  return probability >= 1 || Math.random() < probability
}
