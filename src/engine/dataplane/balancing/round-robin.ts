import type {Backend} from '../backends/backend.js'
import type {Selector} from './selector.js'

/** Round robin (Classic ELB's TCP/SSL algorithm): each new connection goes to the next back end. */
export class RoundRobin implements Selector {
  private next = 0

  select(candidates: readonly Backend[]): Backend | undefined {
    if (candidates.length === 0) return undefined
    return candidates[this.next++ % candidates.length]
  }
}
