import type {Draft} from '../draft.js'
import type {InternetGatewayRecord, NetworkState} from '../network-types.js'
import type {TagRecord} from '../types.js'
import {
  DependencyViolation, GatewayNotAttached, InternetGatewayLimitExceeded, InvalidInternetGatewayIdMalformed, InvalidInternetGatewayIdNotFound,
  ResourceAlreadyAssociated,
} from './errors.js'
import {isResourceId, type IdSource} from './ids.js'
import {requireVpc} from './vpcs.js'

/**
 * Internet gateways: made detached, attached to at most one VPC (a VPC has at most one), detached
 * before they can be deleted. Routes to a detached gateway stay and show `blackhole`, as on AWS.
 */

/** AWS's default quota: five internet gateways per Region (as many as VPCs). */
export const MAX_INTERNET_GATEWAYS = 5

export function createInternetGateway(network: Draft<NetworkState>, base: NetworkState, ids: IdSource, tags: readonly TagRecord[]): InternetGatewayRecord {
  if (base.internetGateways.length >= MAX_INTERNET_GATEWAYS) {
    throw new InternetGatewayLimitExceeded('The maximum number of internet gateways has been reached.')
  }
  const gateway: InternetGatewayRecord = {internetGatewayId: ids('igw'), attachments: [], tags}
  network.internetGateways.push(structuredClone(gateway) as Draft<InternetGatewayRecord>)
  return gateway
}

export function internetGatewayIndex(base: NetworkState, id: string): number {
  if (!isResourceId('igw', id)) throw new InvalidInternetGatewayIdMalformed(`Invalid id: "${id}" (expecting "igw-...")`)
  const index = base.internetGateways.findIndex((gateway) => gateway.internetGatewayId === id)
  if (index < 0) throw new InvalidInternetGatewayIdNotFound(`The internetGateway ID '${id}' does not exist`)
  return index
}

export function attachInternetGateway(network: Draft<NetworkState>, base: NetworkState, id: string, vpcId: string): void {
  const index = internetGatewayIndex(base, id)
  requireVpc(base, vpcId)
  const gateway = base.internetGateways[index] as InternetGatewayRecord
  const attached = gateway.attachments[0]
  if (attached !== undefined) throw new ResourceAlreadyAssociated(`resource ${id} is already attached to network ${attached.vpcId}`)
  const other = base.internetGateways.find((candidate) => candidate.attachments.some((a) => a.vpcId === vpcId))
  if (other !== undefined) {
    throw new ResourceAlreadyAssociated(`Network ${vpcId} already has an internet gateway attached (${other.internetGatewayId})`)
  }
  network.internetGateways[index]?.attachments.push({vpcId})
}

export function detachInternetGateway(network: Draft<NetworkState>, base: NetworkState, id: string, vpcId: string): void {
  const index = internetGatewayIndex(base, id)
  requireVpc(base, vpcId)
  const gateway = base.internetGateways[index] as InternetGatewayRecord
  if (!gateway.attachments.some((a) => a.vpcId === vpcId)) throw new GatewayNotAttached(`resource ${id} is not attached to network ${vpcId}`)
  const draft = network.internetGateways[index]
  if (draft !== undefined) draft.attachments = []
}

export function deleteInternetGateway(network: Draft<NetworkState>, base: NetworkState, id: string): void {
  const index = internetGatewayIndex(base, id)
  if ((base.internetGateways[index]?.attachments.length ?? 0) > 0) {
    throw new DependencyViolation(`The internetGateway '${id}' has dependencies and cannot be deleted.`)
  }
  network.internetGateways = base.internetGateways.filter((gateway) => gateway.internetGatewayId !== id) as Draft<InternetGatewayRecord>[]
}
