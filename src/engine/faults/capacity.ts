/**
 * The `capacity` fault as the HTTP proxy reads it: an instance that already has its capacity of
 * requests in flight takes no more; the request waits in the load balancer's surge queue
 * (dataplane/backends/surge-queue.ts). With no capacity fault the proxy's one check is
 * `CAPACITY.limitedHosts > 0`.
 */
import {CAPACITY, FAULTS_BY_HOST} from './active.js'

export {CAPACITY}

/** Whether the instance at `host` with `load` requests in flight is full. */
export function atCapacity(host: string, load: number): boolean {
  if (CAPACITY.limitedHosts === 0) return false
  const capacity = FAULTS_BY_HOST.get(host)?.capacity
  return capacity !== undefined && load >= capacity
}
