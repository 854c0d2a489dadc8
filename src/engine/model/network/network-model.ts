import type {Draft} from '../draft.js'
import {emptyNetwork, type NetworkState, type Platform} from '../network-types.js'
import {baseOf, type Store} from '../store.js'
import type {RegionState} from '../types.js'
import {platformOf} from './default-vpc.js'
import {randomIds, type IdSource} from './ids.js'

const NO_NETWORK: NetworkState = Object.freeze(emptyNetwork())

/**
 * The networking records of each Region over the Store: reads see a VPC account's default VPC
 * from the start (Store.region), writes edit the Region's NetworkState draft in one journaled
 * update with the Region's instances and load balancers at hand for dependency checks. The rules
 * per resource kind are the functions of vpcs.ts, subnets.ts, internet-gateways.ts, route-tables.ts
 * and tags.ts.
 */
export class NetworkModel {
  constructor(private readonly store: Store, readonly ids: IdSource = randomIds) {}

  get accountId(): string {
    return this.store.state.accountId
  }

  get platform(): Platform {
    return platformOf(this.store.state)
  }

  region(region: string): RegionState {
    return this.store.region(region)
  }

  network(region: string): NetworkState {
    return this.store.region(region).network ?? NO_NETWORK
  }

  /** One write: `mutate` edits the network draft; `base` is the same network before the write (scan that). */
  update<T>(region: string, mutate: (network: Draft<NetworkState>, base: NetworkState, region: RegionState, regionDraft: Draft<RegionState>) => T): T {
    return this.store.updateRegion(region, (regionDraft) => {
      // An EC2-Classic account has no network until it makes its first VPC (VPC accounts are seeded by updateRegion).
      regionDraft.network ??= emptyNetwork() as Draft<NetworkState>
      const regionBase: RegionState = baseOf(regionDraft)
      const base: NetworkState = baseOf(regionDraft.network)
      return mutate(regionDraft.network, base, regionBase, regionDraft)
    })
  }
}
