import type {Backend} from '../backends/backend.js'
import type {Selector} from './selector.js'

/**
 * Least outstanding requests (Classic ELB's HTTP/HTTPS algorithm): the back end with the fewest
 * requests in flight; ties go round-robin, so equal back ends share the load evenly.
 */
export class LeastOutstanding implements Selector {
  private next = 0

  select(candidates: readonly Backend[]): Backend | undefined {
    const n = candidates.length
    if (n <= 1) return candidates[0]
    const start = this.next++ % n
    let best: Backend | undefined
    for (let i = 0; i < n; i++) {
      const backend = candidates[(start + i) % n]
      if (backend !== undefined && (best === undefined || backend.load < best.load)) best = backend
    }
    return best
  }
}
