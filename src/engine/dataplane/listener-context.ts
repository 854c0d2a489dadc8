import type {Socket} from 'node:net'
import type {AccessLogWriter} from './access-log.js'
import type {ListenerConfig} from './config.js'
import type {LoadBalancerRuntime} from './load-balancer.js'

/** What a proxied connection reads from its listener; `config` is swapped in place on change. */
export interface ListenerContext {
  readonly lb: LoadBalancerRuntime
  config: ListenerConfig
  /** The LB node address clients connect to (the LB's loopback address). */
  readonly address: string
  readonly stickySecret: Buffer
  accessLog: AccessLogWriter | undefined
  /** Client connections of this listener, ended when the listener is deleted. */
  readonly connections: Set<Socket>
}

/** `::ffff:127.0.0.1` → `127.0.0.1`. */
export function plainAddress(address: string | undefined): string {
  if (address === undefined) return '0.0.0.0'
  return address.startsWith('::ffff:') ? address.slice(7) : address
}
