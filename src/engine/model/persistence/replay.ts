/**
 * Rebuilds the state from a snapshot and journal ops. Collections are kept as Maps while replaying
 * (a Map keeps insertion order, `set` of a present key keeps its place, `delete` removes it), so
 * each op costs O(1) and a long journal replays in time linear in its length.
 */
import type {EngineState, InstanceRecord, LoadBalancerRecord, ServerCertificateRecord} from '../types.js'
import type {ChangeOp} from './changes.js'

interface ReplayRegion {
  readonly loadBalancers: Map<string, LoadBalancerRecord>
  readonly instances: Map<string, InstanceRecord>
}

export class Replay {
  private accountId: string
  private readonly regions = new Map<string, ReplayRegion>()
  private readonly certificates = new Map<string, ServerCertificateRecord>()

  constructor(state: EngineState) {
    this.accountId = state.accountId
    this.load(state)
  }

  apply(op: ChangeOp): void {
    switch (op.kind) {
      case 'account':
        this.accountId = op.accountId
        return
      case 'region':
        this.region(op.region)
        return
      case 'loadBalancer':
        upsert(this.region(op.region).loadBalancers, op.name, op.record)
        return
      case 'instance':
        upsert(this.region(op.region).instances, op.instanceId, op.record)
        return
      case 'certificate':
        upsert(this.certificates, op.id, op.record)
        return
      case 'state':
        this.regions.clear()
        this.certificates.clear()
        this.accountId = op.state.accountId
        this.load(op.state)
    }
  }

  state(): EngineState {
    const regions: Record<string, EngineState['regions'][string]> = {}
    for (const [name, region] of this.regions) {
      regions[name] = {loadBalancers: [...region.loadBalancers.values()], instances: [...region.instances.values()]}
    }
    return {formatVersion: 1, accountId: this.accountId, regions, iam: {serverCertificates: [...this.certificates.values()]}}
  }

  private load(state: EngineState): void {
    for (const [name, region] of Object.entries(state.regions)) {
      this.regions.set(name, {
        loadBalancers: new Map(region.loadBalancers.map((lb) => [lb.name, lb])),
        instances: new Map(region.instances.map((instance) => [instance.instanceId, instance])),
      })
    }
    for (const certificate of state.iam.serverCertificates) this.certificates.set(certificate.id, certificate)
  }

  private region(name: string): ReplayRegion {
    let region = this.regions.get(name)
    if (region === undefined) this.regions.set(name, (region = {loadBalancers: new Map(), instances: new Map()}))
    return region
  }
}

function upsert<T>(collection: Map<string, T>, key: string, record: T | undefined): void {
  if (record === undefined) collection.delete(key)
  else collection.set(key, record)
}
