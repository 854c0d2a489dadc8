/**
 * Load balancers by name: a Map per region's `loadBalancers` array, built on the first look-up and
 * kept beside the immutable snapshot (a WeakMap keyed by the frozen array). A write that leaves a
 * region's load balancers alone keeps the same array, so its index; a write that changes one builds
 * a new array, whose index is built on its first look-up and dropped with the array. Writes pay
 * nothing; each look-up is one Map get instead of a scan.
 */
import type {LoadBalancerRecord} from '../types.js'

const indexes = new WeakMap<readonly LoadBalancerRecord[], ReadonlyMap<string, number>>()

/** The position of the named load balancer in `loadBalancers` (a frozen snapshot array), or -1. */
export function loadBalancerPosition(loadBalancers: readonly LoadBalancerRecord[], name: string): number {
  // An array still being written (not frozen) may change under a cached index: scan it instead.
  if (!Object.isFrozen(loadBalancers)) return loadBalancers.findIndex((candidate) => candidate.name === name)
  let index = indexes.get(loadBalancers)
  if (index === undefined) {
    index = new Map(loadBalancers.map((lb, position) => [lb.name, position]))
    indexes.set(loadBalancers, index)
  }
  return index.get(name) ?? -1
}

/** The named load balancer of a snapshot's region, or undefined. */
export function findLoadBalancer(loadBalancers: readonly LoadBalancerRecord[], name: string): LoadBalancerRecord | undefined {
  return loadBalancers[loadBalancerPosition(loadBalancers, name)]
}
