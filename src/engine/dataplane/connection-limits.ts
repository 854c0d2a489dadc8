/**
 * Caps on client connections, like HAProxy's `maxconn` (global and per frontend): without them a
 * client holding thousands of sockets used up the process's descriptors, and then the API, the
 * journal and every other load balancer failed too. The defaults leave headroom below the
 * descriptor limit (Node raises the soft limit to the hard one at start); a connection over a cap
 * is refused at once (Node cannot pause accepting on a listening socket the way HAProxy leaves it
 * in the kernel backlog): an HTTP listener answers 503 first, as Classic ELB does on spillover.
 */
import {readFileSync} from 'node:fs'

export interface ConnectionLimits {
  /** Client connections open on all listeners together. */
  readonly engine: number
  /** Client connections open on one listener. */
  readonly perListener: number
}

/** Descriptors kept for the API server and its clients, the journal, access logs, probes and instances. */
export const RESERVED_DESCRIPTORS = 256
/**
 * What one client connection may cost: its own socket, the instance connection, and — for the
 * engine's own stand-in instances, which run in this process — the instance's end of that one.
 */
const DESCRIPTORS_PER_CONNECTION = 3
/** Assumed where the limit cannot be read (no /proc). */
const UNKNOWN_DESCRIPTOR_LIMIT = 4096

/** This process's soft RLIMIT_NOFILE (Linux: /proc/self/limits). */
export function descriptorLimit(): number {
  try {
    const line = /^Max open files\s+(\d+|unlimited)/m.exec(readFileSync('/proc/self/limits', 'latin1'))
    if (line?.[1] === undefined) return UNKNOWN_DESCRIPTOR_LIMIT
    return line[1] === 'unlimited' ? 1_048_576 : Number(line[1])
  } catch {
    return UNKNOWN_DESCRIPTOR_LIMIT
  }
}

/** The caps for a descriptor limit, with any configured value taking precedence (never above the engine cap). */
export function connectionLimits(configured: Partial<ConnectionLimits> = {}, limit = descriptorLimit()): ConnectionLimits {
  const engine = configured.engine ?? Math.max(64, Math.floor((limit - RESERVED_DESCRIPTORS) / DESCRIPTORS_PER_CONNECTION))
  // One listener may use the engine's whole allowance unless told otherwise (HAProxy's default too).
  return {engine, perListener: Math.min(engine, configured.perListener ?? engine)}
}

/** Client connections open on every listener, against the caps. One per data plane. */
export class ConnectionBudget {
  private open = 0

  constructor(readonly limits: ConnectionLimits) {}

  /** Counts a new connection in, given how many its listener has open; false when a cap is reached. */
  admit(listenerOpen: number): boolean {
    if (this.open >= this.limits.engine || listenerOpen >= this.limits.perListener) return false
    this.open++
    return true
  }

  release(): void {
    this.open--
  }

  get openConnections(): number {
    return this.open
  }
}
