/**
 * What one write changed, found by comparing two snapshots by reference: with structural sharing an
 * untouched record keeps its object, so the diff costs a pointer comparison per record of a touched
 * collection and nothing for untouched ones. The same diff serves two readers: the journal (the
 * records to persist, see journal.ts) and the runtime (which load balancers, instances and
 * certificates to reconcile).
 */
import type {EngineState, InstanceRecord, LoadBalancerRecord, RegionState, ServerCertificateRecord} from '../types.js'
import {
  emptyNetwork, NETWORK_COLLECTION_NAMES, NETWORK_COLLECTIONS,
  type AcmCertificateRecord, type NetworkCollection, type NetworkState, type Platform,
} from '../network-types.js'
import type {AlarmRecord} from '../alarm-types.js'
import {findLoadBalancer} from '../elb/lb-index.js'

/** One persisted change. A record of `undefined` deletes; an upsert replaces in place or appends. */
export type ChangeOp =
  | {readonly kind: 'loadBalancer'; readonly region: string; readonly name: string; readonly record?: LoadBalancerRecord}
  | {readonly kind: 'instance'; readonly region: string; readonly instanceId: string; readonly record?: InstanceRecord}
  | {readonly kind: 'certificate'; readonly id: string; readonly record?: ServerCertificateRecord}
  | {readonly kind: 'network'; readonly region: string; readonly collection: NetworkCollection; readonly id: string; readonly record?: NetworkState[NetworkCollection][number]}
  | {readonly kind: 'acmCertificate'; readonly region: string; readonly arn: string; readonly record?: AcmCertificateRecord}
  | {readonly kind: 'platform'; readonly platform: Platform}
  | {readonly kind: 'alarm'; readonly region: string; readonly name: string; readonly record?: AlarmRecord}
  | {readonly kind: 'region'; readonly region: string}
  | {readonly kind: 'account'; readonly accountId: string}
  /** Anything the diff cannot describe record by record: the whole state. */
  | {readonly kind: 'state'; readonly state: EngineState}

/** What the runtime reconciles after a write. */
export interface ChangeSet {
  /** Everything may have changed (the first snapshot, or a change not described record by record). */
  readonly all: boolean
  /** Load balancers created, changed or deleted, as `{region, name}`. */
  readonly loadBalancers: readonly {readonly region: string; readonly name: string}[]
  /** Instances launched, changed or removed from the registry. */
  readonly instances: readonly {readonly region: string; readonly instanceId: string}[]
  /** ARNs of server certificates uploaded, changed (both ARNs when renamed) or deleted. */
  readonly certificateArns: readonly string[]
  /** Regions whose networking records (VPCs, subnets, security groups, …) changed. */
  readonly networkRegions: readonly string[]
}

export const EVERYTHING: ChangeSet = {all: true, loadBalancers: [], instances: [], certificateArns: [], networkRegions: []}

export interface TouchedLoadBalancer {
  readonly region: string
  readonly name: string
  /** As it is in the snapshot; undefined when it was deleted. */
  readonly record: LoadBalancerRecord | undefined
}

/**
 * The load balancers a change set names, with their records: every one in the snapshot when `all`
 * (one pass, no lookup per name), else a lookup for each name the write touched.
 */
export function touchedLoadBalancers(state: EngineState, changes: ChangeSet): TouchedLoadBalancer[] {
  if (changes.all) {
    return Object.entries(state.regions).flatMap(([region, regionState]) =>
      regionState.loadBalancers.map((record) => ({region, name: record.name, record})))
  }
  return changes.loadBalancers.map(({region, name}) =>
    ({region, name, record: findLoadBalancer(state.regions[region]?.loadBalancers ?? [], name)}))
}

export interface Diff {
  readonly ops: readonly ChangeOp[]
  readonly changes: ChangeSet
}

const REGION_KEYS = ['loadBalancers', 'instances']
const OPTIONAL_REGION_KEYS = ['network', 'acmCertificates', 'alarms']
const STATE_KEYS = ['formatVersion', 'accountId', 'regions', 'iam']
const OPTIONAL_STATE_KEYS = ['platform']

/** The ops that turn `before` into `after`, and the change set they make. */
export function diffStates(before: EngineState, after: EngineState): Diff {
  const ops: ChangeOp[] = []
  const loadBalancers: {region: string; name: string}[] = []
  const instances: {region: string; instanceId: string}[] = []
  const certificateArns: string[] = []
  const networkRegions: string[] = []
  const whole = (): Diff => ({ops: [{kind: 'state', state: after}], changes: EVERYTHING})

  if (!sameKeys(after, STATE_KEYS, OPTIONAL_STATE_KEYS)) return whole()
  if (before.accountId !== after.accountId) ops.push({kind: 'account', accountId: after.accountId})
  if (before.platform !== after.platform) {
    if (after.platform === undefined) return whole()
    ops.push({kind: 'platform', platform: after.platform})
  }
  if (before.regions !== after.regions) {
    for (const region of Object.keys(before.regions)) if (!Object.hasOwn(after.regions, region)) return whole()
    for (const [region, next] of Object.entries(after.regions)) {
      const previous = Object.hasOwn(before.regions, region) ? before.regions[region] : undefined
      if (previous === next) continue
      if (!sameKeys(next, REGION_KEYS, OPTIONAL_REGION_KEYS)) return whole()
      if (previous === undefined) ops.push({kind: 'region', region})
      const prior: RegionState = previous ?? {loadBalancers: [], instances: []}
      if (prior.network !== undefined && next.network === undefined) return whole()
      if (prior.acmCertificates !== undefined && next.acmCertificates === undefined) return whole()
      if (prior.alarms !== undefined && next.alarms === undefined) return whole()
      diffCollection(prior.loadBalancers, next.loadBalancers, (lb) => lb.name, (name, record) => {
        ops.push({kind: 'loadBalancer', region, name, ...(record === undefined ? {} : {record})})
        loadBalancers.push({region, name})
      })
      diffCollection(prior.instances, next.instances, (i) => i.instanceId, (instanceId, record) => {
        ops.push({kind: 'instance', region, instanceId, ...(record === undefined ? {} : {record})})
        instances.push({region, instanceId})
      })
      if (prior.network !== next.network && next.network !== undefined) {
        const network = next.network
        const priorNetwork = prior.network ?? emptyNetwork()
        for (const collection of NETWORK_COLLECTION_NAMES) {
          const keyOf = NETWORK_COLLECTIONS[collection] as (record: NetworkState[NetworkCollection][number]) => string
          diffCollection(priorNetwork[collection], network[collection], keyOf, (id, record) => {
            ops.push({kind: 'network', region, collection, id, ...(record === undefined ? {} : {record})})
          })
        }
        networkRegions.push(region)
      }
      diffCollection(prior.acmCertificates ?? [], next.acmCertificates ?? [], (c) => c.arn, (arn, record) => {
        ops.push({kind: 'acmCertificate', region, arn, ...(record === undefined ? {} : {record})})
        certificateArns.push(arn)
      })
      // Alarms have no runtime consumer to reconcile (the evaluator reads the state each minute).
      diffCollection(prior.alarms ?? [], next.alarms ?? [], (alarm) => alarm.name, (name, record) => {
        ops.push({kind: 'alarm', region, name, ...(record === undefined ? {} : {record})})
      })
    }
  }
  if (before.iam !== after.iam) {
    if (!sameKeys(after.iam, ['serverCertificates'])) return whole()
    const arnsBefore = new Map(before.iam.serverCertificates.map((c) => [c.id, c.arn]))
    diffCollection(before.iam.serverCertificates, after.iam.serverCertificates, (c) => c.id, (id, record) => {
      ops.push({kind: 'certificate', id, ...(record === undefined ? {} : {record})})
      const arnBefore = arnsBefore.get(id)
      if (arnBefore !== undefined) certificateArns.push(arnBefore)
      if (record !== undefined && record.arn !== arnBefore) certificateArns.push(record.arn)
    })
  }
  return {ops, changes: {all: false, loadBalancers, instances, certificateArns, networkRegions}}
}

/**
 * Walks both arrays in step. Equal references are untouched; the same key with a new object is a
 * change; an old element whose key differs from the new one here was removed (or moved); what is
 * left of the new array once the old one is used up was appended. Replaying removals, then upserts
 * in order (replace in place, else append), rebuilds `after` exactly, whatever the edit was,
 * because every new element before that tail was matched in order.
 */
function diffCollection<T>(
  before: readonly T[],
  after: readonly T[],
  keyOf: (record: T) => string,
  emit: (key: string, record: T | undefined) => void,
): void {
  if (before === after) return
  const upserts: T[] = []
  let i = 0
  let j = 0
  while (i < before.length && j < after.length) {
    const old = before[i] as T
    const next = after[j] as T
    if (old === next) {
      i++
      j++
    } else if (keyOf(old) === keyOf(next)) {
      upserts.push(next)
      i++
      j++
    } else {
      emit(keyOf(old), undefined)
      i++
    }
  }
  for (; i < before.length; i++) emit(keyOf(before[i] as T), undefined)
  for (; j < after.length; j++) upserts.push(after[j] as T)
  for (const record of upserts) emit(keyOf(record), record)
}

/** `value` has every one of `keys`, and no key but those and `optional`. */
function sameKeys(value: object, keys: readonly string[], optional: readonly string[] = []): boolean {
  const own = Object.keys(value)
  return keys.every((key) => Object.hasOwn(value, key)) && own.every((key) => keys.includes(key) || optional.includes(key))
}
