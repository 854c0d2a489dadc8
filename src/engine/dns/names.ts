/**
 * The DNS names of the engine's load balancers → their loopback addresses, kept current from the
 * store's snapshots (`apply(state, changes)`): a change costs the load balancers it names, not the
 * whole state. The DNS responder and the /etc/hosts block both read it.
 */
import type {ChangeSet} from '../model/store.js'
import type {EngineState, LoadBalancerRecord} from '../model/types.js'
import type {Lookup} from './message.js'

/** The zones whose every name the engine answers for (AWS's ELB zones). */
export const ELB_ZONES = ['elb.amazonaws.com', 'elb.amazonaws.com.cn'] as const

export class LoadBalancerNames {
  /** `region/name` → the record's DNS name (lower case), to find what a change replaces. */
  private readonly byLoadBalancer = new Map<string, string>()
  /** lower-case DNS name → {address, the name as AWS spells it}. */
  private readonly byDnsName = new Map<string, {readonly address: string; readonly dnsName: string}>()

  apply(state: EngineState, changes: ChangeSet): void {
    if (changes.all) {
      this.byLoadBalancer.clear()
      this.byDnsName.clear()
      for (const [region, regionState] of Object.entries(state.regions)) {
        for (const lb of regionState.loadBalancers) this.add(region, lb)
      }
      return
    }
    // One pass over each touched region's records, however many of them changed.
    const byRegion = new Map<string, Map<string, LoadBalancerRecord>>()
    const record = (region: string, name: string): LoadBalancerRecord | undefined => {
      let records = byRegion.get(region)
      if (records === undefined) {
        records = new Map((state.regions[region]?.loadBalancers ?? []).map((lb) => [lb.name, lb]))
        byRegion.set(region, records)
      }
      return records.get(name)
    }
    for (const {region, name} of changes.loadBalancers) {
      this.remove(region, name)
      const lb = changes.loadBalancers.length === 1 ? state.regions[region]?.loadBalancers.find((one) => one.name === name) : record(region, name)
      if (lb !== undefined) this.add(region, lb)
    }
  }

  lookup(name: string): Lookup {
    const key = name.toLowerCase().replace(/\.$/, '')
    const found = this.byDnsName.get(key)
    if (found !== undefined) return {kind: 'address', address: found.address}
    return ELB_ZONES.some((zone) => key === zone || key.endsWith(`.${zone}`)) ? {kind: 'nxdomain'} : {kind: 'refused'}
  }

  /** Every name with its address, sorted by name (the /etc/hosts block). */
  entries(): {address: string; dnsName: string}[] {
    return [...this.byDnsName.values()].sort((a, b) => (a.dnsName < b.dnsName ? -1 : a.dnsName > b.dnsName ? 1 : 0))
  }

  get size(): number {
    return this.byDnsName.size
  }

  private add(region: string, lb: LoadBalancerRecord): void {
    const key = lb.dnsName.toLowerCase()
    this.byLoadBalancer.set(`${region}/${lb.name}`, key)
    this.byDnsName.set(key, {address: lb.localAddress, dnsName: lb.dnsName})
  }

  private remove(region: string, name: string): void {
    const id = `${region}/${name}`
    const key = this.byLoadBalancer.get(id)
    if (key === undefined) return
    this.byLoadBalancer.delete(id)
    this.byDnsName.delete(key)
  }
}
