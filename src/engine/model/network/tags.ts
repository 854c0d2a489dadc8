import type {Draft} from '../draft.js'
import {NETWORK_COLLECTIONS, type NetworkCollection, type NetworkState} from '../network-types.js'
import type {ServiceError} from '../errors.js'
import type {RegionState, TagRecord} from '../types.js'
import {
  InvalidId, InvalidInternetGatewayIdNotFound, InvalidNetworkAclIdNotFound, InvalidParameterValue, InvalidRouteTableIdNotFound,
  InvalidSubnetIdNotFound, InvalidVpcIdNotFound, TagLimitExceeded,
} from './errors.js'
import {errorClass} from '../errors.js'
import {isResourceId} from './ids.js'

/**
 * EC2 tags (CreateTags, DeleteTags, DescribeTags) over every resource kind the engine keeps: VPCs,
 * subnets, internet gateways, route tables, network ACLs, security groups and instances. EC2's
 * limits: 50 tags per resource, keys of 1-128 characters not starting with `aws:`, values of at
 * most 256. An id of a kind the engine does not keep is `InvalidID`; a well-formed id of a known
 * kind that does not exist is that kind's NotFound.
 */

export const MAX_TAGS = 50
const MAX_TAG_KEY = 128
const MAX_TAG_VALUE = 256

const InvalidGroupNotFound = errorClass('InvalidGroup.NotFound')
const InvalidInstanceIdNotFound = errorClass('InvalidInstanceID.NotFound')

interface TaggedKind {
  readonly prefix: string
  /** DescribeTags' `resourceType`. */
  readonly resourceType: string
  /** Undefined for instances, which live in RegionState.instances. */
  readonly collection?: NetworkCollection
  readonly notFound: (id: string) => ServiceError
}

const KINDS: readonly TaggedKind[] = [
  {prefix: 'vpc', resourceType: 'vpc', collection: 'vpcs', notFound: (id) => new InvalidVpcIdNotFound(`The vpc ID '${id}' does not exist`)},
  {prefix: 'subnet', resourceType: 'subnet', collection: 'subnets', notFound: (id) => new InvalidSubnetIdNotFound(`The subnet ID '${id}' does not exist`)},
  {prefix: 'igw', resourceType: 'internet-gateway', collection: 'internetGateways',
    notFound: (id) => new InvalidInternetGatewayIdNotFound(`The internetGateway ID '${id}' does not exist`)},
  {prefix: 'rtb', resourceType: 'route-table', collection: 'routeTables', notFound: (id) => new InvalidRouteTableIdNotFound(`The routeTable ID '${id}' does not exist`)},
  {prefix: 'acl', resourceType: 'network-acl', collection: 'networkAcls', notFound: (id) => new InvalidNetworkAclIdNotFound(`The networkAcl ID '${id}' does not exist`)},
  {prefix: 'sg', resourceType: 'security-group', collection: 'securityGroups', notFound: (id) => new InvalidGroupNotFound(`The security group '${id}' does not exist`)},
  {prefix: 'i', resourceType: 'instance', notFound: (id) => new InvalidInstanceIdNotFound(`The instance ID '${id}' does not exist`)},
]

interface Tagged {
  readonly id: string
  readonly tags: readonly TagRecord[]
  /** Its position in its own collection. */
  readonly index: number
}

/** One row of DescribeTags. */
export interface TagRow {
  readonly resourceId: string
  readonly resourceType: string
  readonly key: string
  readonly value: string
}

/** A tag as given: EC2's limits on keys and values. */
export function checkTag(tag: TagRecord): void {
  if (tag.key === '' || Array.from(tag.key).length > MAX_TAG_KEY) throw new InvalidParameterValue(`Tag key must be between 1 and ${MAX_TAG_KEY} characters long.`)
  if (tag.key.toLowerCase().startsWith('aws:')) throw new InvalidParameterValue(`Tag keys starting with 'aws:' are reserved for internal use`)
  if (Array.from(tag.value ?? '').length > MAX_TAG_VALUE) throw new InvalidParameterValue(`Tag value cannot be longer than ${MAX_TAG_VALUE} characters.`)
}

function records(region: RegionState, kind: TaggedKind): readonly Tagged[] {
  if (kind.collection === undefined) {
    return region.instances.flatMap((instance, index) =>
      instance.state === 'terminated' ? [] : [{id: instance.instanceId, tags: instance.tags ?? [], index}])
  }
  const keyOf = NETWORK_COLLECTIONS[kind.collection] as (record: unknown) => string
  const collection = (region.network?.[kind.collection] ?? []) as readonly {readonly tags: readonly TagRecord[]}[]
  return collection.map((record, index) => ({id: keyOf(record), tags: record.tags, index}))
}

function kindOf(id: string): TaggedKind {
  const kind = KINDS.find((candidate) => isResourceId(candidate.prefix, id))
  if (kind === undefined) throw new InvalidId(`The ID '${id}' is not valid`)
  return kind
}

/** Where each named resource is (its kind and position), or the first id's error. */
function locate(region: RegionState, ids: readonly string[]): {kind: TaggedKind; index: number}[] {
  return ids.map((id) => {
    const kind = kindOf(id)
    const found = records(region, kind).find((record) => record.id === id)
    if (found === undefined) throw kind.notFound(id)
    return {kind, index: found.index}
  })
}

function tagsDraft(network: Draft<NetworkState>, regionDraft: Draft<RegionState>, kind: TaggedKind, index: number): {tags?: Draft<TagRecord>[]} | undefined {
  if (kind.collection === undefined) return regionDraft.instances[index]
  return (network[kind.collection] as {tags: Draft<TagRecord>[]}[])[index]
}

/** Sets the tags on each resource (a key given again takes the new value). */
export function createTags(network: Draft<NetworkState>, regionDraft: Draft<RegionState>, region: RegionState, ids: readonly string[], tags: readonly TagRecord[]): void {
  tags.forEach(checkTag)
  for (const {kind, index} of locate(region, ids)) {
    const draft = tagsDraft(network, regionDraft, kind, index)
    if (draft === undefined) continue
    const merged = new Map((draft.tags ?? []).map((tag) => [tag.key, tag.value ?? '']))
    for (const tag of tags) merged.set(tag.key, tag.value ?? '')
    if (merged.size > MAX_TAGS) throw new TagLimitExceeded(`The maximum number of Tags for a resource has been reached (${MAX_TAGS}).`)
    draft.tags = [...merged].map(([key, value]) => ({key, value}))
  }
}

/** Removes tags by key (and only where the value matches, when a value is given); no tags: all of them. */
export function deleteTags(network: Draft<NetworkState>, regionDraft: Draft<RegionState>, region: RegionState, ids: readonly string[], tags: readonly TagRecord[]): void {
  for (const {kind, index} of locate(region, ids)) {
    const draft = tagsDraft(network, regionDraft, kind, index)
    if (draft === undefined) continue
    const doomed = (tag: TagRecord) => tags.length === 0 ||
      tags.some((wanted) => wanted.key === tag.key && (wanted.value === undefined || wanted.value === (tag.value ?? '')))
    draft.tags = (draft.tags ?? []).filter((tag) => !doomed(tag))
  }
}

/** Every tag of the Region's resources, kind by kind (as DescribeTags lists them). */
export function tagRows(region: RegionState): TagRow[] {
  return KINDS.flatMap((kind) => records(region, kind).flatMap((record) => record.tags.map((tag) => ({
    resourceId: record.id, resourceType: kind.resourceType, key: tag.key, value: tag.value ?? '',
  }))))
}
