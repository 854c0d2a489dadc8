import type {Socket} from 'node:net'
import type {ListenerConfig} from './config.js'
import type {LoadBalancerRuntime} from './load-balancer.js'
import type {Observation} from './observer.js'

/**
 * What a proxied connection reads from its listener. `config` and `observation` are immutable
 * snapshots, each swapped whole on change; an exchange keeps the ones it started with.
 */
export interface ListenerContext {
  readonly lb: LoadBalancerRuntime
  config: ListenerConfig
  /** The LB node address clients connect to (the LB's loopback address). */
  readonly address: string
  readonly stickySecret: Buffer
  /** The load balancer's exchange observers (access log, metrics); `NO_OBSERVATION` when none. */
  observation: Observation
  /** Client connections of this listener, ended when the listener is deleted. */
  readonly connections: Set<Socket>
}

/** `::ffff:127.0.0.1` → `127.0.0.1`. */
export function plainAddress(address: string | undefined): string {
  if (address === undefined) return '0.0.0.0'
  return address.startsWith('::ffff:') ? address.slice(7) : address
}
