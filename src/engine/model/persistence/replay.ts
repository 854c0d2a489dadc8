/**
 * Rebuilds the state from a snapshot and journal ops. Collections are kept as Maps while replaying
 * (a Map keeps insertion order, `set` of a present key keeps its place, `delete` removes it), so
 * each op costs O(1) and a long journal replays in time linear in its length.
 */
import type {EngineState, InstanceRecord, LoadBalancerRecord, RegionState, ServerCertificateRecord} from '../types.js'
import {
  NETWORK_COLLECTION_NAMES, NETWORK_COLLECTIONS,
  type AcmCertificateRecord, type NetworkCollection, type NetworkState, type Platform,
} from '../network-types.js'
import type {AlarmRecord} from '../alarm-types.js'
import type {ChangeOp} from './changes.js'

type NetworkRecord = NetworkState[NetworkCollection][number]

interface ReplayRegion {
  readonly loadBalancers: Map<string, LoadBalancerRecord>
  readonly instances: Map<string, InstanceRecord>
  /** Present once the region has (or had) networking records. */
  network?: Map<NetworkCollection, Map<string, NetworkRecord>>
  acmCertificates?: Map<string, AcmCertificateRecord>
  alarms?: Map<string, AlarmRecord>
}

export class Replay {
  private accountId: string
  private platform: Platform | undefined
  private readonly regions = new Map<string, ReplayRegion>()
  private readonly certificates = new Map<string, ServerCertificateRecord>()

  constructor(state: EngineState) {
    this.accountId = state.accountId
    this.platform = state.platform
    this.load(state)
  }

  apply(op: ChangeOp): void {
    switch (op.kind) {
      case 'account':
        this.accountId = op.accountId
        return
      case 'platform':
        this.platform = op.platform
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
      case 'network': {
        const region = this.region(op.region)
        region.network ??= emptyNetworkMaps()
        upsert(region.network.get(op.collection) as Map<string, NetworkRecord>, op.id, op.record)
        return
      }
      case 'acmCertificate': {
        const region = this.region(op.region)
        upsert((region.acmCertificates ??= new Map()), op.arn, op.record)
        return
      }
      case 'alarm':
        upsert((this.region(op.region).alarms ??= new Map()), op.name, op.record)
        return
      case 'certificate':
        upsert(this.certificates, op.id, op.record)
        return
      case 'state':
        this.regions.clear()
        this.certificates.clear()
        this.accountId = op.state.accountId
        this.platform = op.state.platform
        this.load(op.state)
    }
  }

  state(): EngineState {
    const regions: Record<string, RegionState> = {}
    for (const [name, region] of this.regions) {
      const network = region.network
      regions[name] = {
        loadBalancers: [...region.loadBalancers.values()],
        instances: [...region.instances.values()],
        ...(network === undefined ? {} : {network: Object.fromEntries(NETWORK_COLLECTION_NAMES.map((collection) =>
          [collection, [...(network.get(collection)?.values() ?? [])]])) as unknown as NetworkState}),
        ...(region.acmCertificates === undefined ? {} : {acmCertificates: [...region.acmCertificates.values()]}),
        ...(region.alarms === undefined ? {} : {alarms: [...region.alarms.values()]}),
      }
    }
    return {
      formatVersion: 1,
      accountId: this.accountId,
      ...(this.platform === undefined ? {} : {platform: this.platform}),
      regions,
      iam: {serverCertificates: [...this.certificates.values()]},
    }
  }

  private load(state: EngineState): void {
    for (const [name, region] of Object.entries(state.regions)) {
      const replayRegion: ReplayRegion = {
        loadBalancers: new Map(region.loadBalancers.map((lb) => [lb.name, lb])),
        instances: new Map(region.instances.map((instance) => [instance.instanceId, instance])),
      }
      const network = region.network
      if (network !== undefined) {
        replayRegion.network = new Map(NETWORK_COLLECTION_NAMES.map((collection) => {
          const keyOf = NETWORK_COLLECTIONS[collection] as (record: NetworkRecord) => string
          return [collection, new Map((network[collection] as readonly NetworkRecord[]).map((record) => [keyOf(record), record]))]
        }))
      }
      if (region.acmCertificates !== undefined) {
        replayRegion.acmCertificates = new Map(region.acmCertificates.map((certificate) => [certificate.arn, certificate]))
      }
      if (region.alarms !== undefined) replayRegion.alarms = new Map(region.alarms.map((alarm) => [alarm.name, alarm]))
      this.regions.set(name, replayRegion)
    }
    for (const certificate of state.iam.serverCertificates) this.certificates.set(certificate.id, certificate)
  }

  private region(name: string): ReplayRegion {
    let region = this.regions.get(name)
    if (region === undefined) this.regions.set(name, (region = {loadBalancers: new Map(), instances: new Map()}))
    return region
  }
}

function emptyNetworkMaps(): Map<NetworkCollection, Map<string, NetworkRecord>> {
  return new Map(NETWORK_COLLECTION_NAMES.map((collection) => [collection, new Map<string, NetworkRecord>()]))
}

function upsert<T>(collection: Map<string, T>, key: string, record: T | undefined): void {
  if (record === undefined) collection.delete(key)
  else collection.set(key, record)
}
