import type {Backend} from '../backends/backend.js'

/**
 * A balancing algorithm: choose one of the available back ends (the candidates of the client's
 * LB node, already filtered to routable ones), or undefined when there are none. One
 * algorithm per file; a selector may keep state (a rotation), one instance per load balancer.
 */
export interface Selector {
  select(candidates: readonly Backend[]): Backend | undefined
}
