import type {Draft} from '../draft.js'
import type {NetworkState, RouteRecord, RouteTableAssociationRecord, RouteTableRecord} from '../network-types.js'
import type {RegionState, TagRecord} from '../types.js'
import {formatCidr, parseCidr} from './addresses.js'
import {
  DependencyViolation, InvalidAssociationIdNotFound, InvalidGatewayIdNotFound, InvalidParameterValue, InvalidRouteNotFound,
  InvalidRouteTableIdMalformed, InvalidRouteTableIdNotFound, ResourceAlreadyAssociated, RouteAlreadyExists, RouteLimitExceeded,
  RouteTableLimitExceeded,
} from './errors.js'
import {isResourceId, type IdSource} from './ids.js'
import {requireSubnet} from './subnets.js'
import {requireVpc} from './vpcs.js'

/**
 * Route tables: each VPC has one main table (its association has `main`), any other table is
 * associated explicitly with subnets. Routes: the VPC's `local` route (fixed) and routes to an
 * internet gateway of the same VPC or to an instance in it.
 */

/** AWS's default quotas: 200 route tables per VPC, 50 routes per table. */
export const MAX_ROUTE_TABLES_PER_VPC = 200
export const MAX_ROUTES_PER_TABLE = 50

export function createRouteTable(network: Draft<NetworkState>, base: NetworkState, ids: IdSource, vpcId: string, tags: readonly TagRecord[]): RouteTableRecord {
  const vpc = requireVpc(base, vpcId)
  if (base.routeTables.filter((table) => table.vpcId === vpcId).length >= MAX_ROUTE_TABLES_PER_VPC) {
    throw new RouteTableLimitExceeded('The maximum number of route tables has been reached.')
  }
  const table: RouteTableRecord = {
    routeTableId: ids('rtb'), vpcId, routes: [{destinationCidrBlock: vpc.cidrBlock, gatewayId: 'local', origin: 'CreateRouteTable'}], associations: [], tags,
  }
  network.routeTables.push(structuredClone(table) as Draft<RouteTableRecord>)
  return table
}

export function routeTableIndex(base: NetworkState, id: string): number {
  if (!isResourceId('rtb', id)) throw new InvalidRouteTableIdMalformed(`Invalid id: "${id}" (expecting "rtb-...")`)
  const index = base.routeTables.findIndex((table) => table.routeTableId === id)
  if (index < 0) throw new InvalidRouteTableIdNotFound(`The routeTable ID '${id}' does not exist`)
  return index
}

export function deleteRouteTable(network: Draft<NetworkState>, base: NetworkState, id: string): void {
  const table = base.routeTables[routeTableIndex(base, id)] as RouteTableRecord
  if (table.associations.length > 0) throw new DependencyViolation(`The routeTable '${id}' has dependencies and cannot be deleted.`)
  network.routeTables = base.routeTables.filter((candidate) => candidate.routeTableId !== id) as Draft<RouteTableRecord>[]
}

/** Where a route sends traffic: exactly one target. */
export interface RouteTarget {
  readonly gatewayId?: string
  readonly instanceId?: string
}

function destination(text: string): string {
  const cidr = parseCidr(text)
  if (cidr === undefined) throw new InvalidParameterValue(`Value (${text}) for parameter destinationCidrBlock is invalid. This is not a valid CIDR block.`)
  return formatCidr(cidr)
}

function checkTarget(base: NetworkState, region: RegionState, table: RouteTableRecord, target: RouteTarget): RouteRecord {
  const given = [target.gatewayId, target.instanceId].filter((value) => value !== undefined)
  if (given.length !== 1) {
    throw new InvalidParameterValue('The request must contain exactly one of gatewayId, instanceId (the route targets the engine models).')
  }
  if (target.gatewayId !== undefined) {
    const gateway = base.internetGateways.find((candidate) => candidate.internetGatewayId === target.gatewayId)
    if (gateway === undefined) throw new InvalidGatewayIdNotFound(`The gateway ID '${target.gatewayId}' does not exist`)
    if (!gateway.attachments.some((attachment) => attachment.vpcId === table.vpcId)) {
      throw new InvalidParameterValue(`route table ${table.routeTableId} and network gateway ${target.gatewayId} belong to different networks`)
    }
    return {destinationCidrBlock: '', gatewayId: target.gatewayId, origin: 'CreateRoute'}
  }
  const instance = region.instances.find((candidate) => candidate.instanceId === target.instanceId && candidate.state !== 'terminated')
  if (instance === undefined) throw new InvalidParameterValue(`The instance ID '${target.instanceId ?? ''}' does not exist`)
  if (instance.vpcId !== table.vpcId) {
    throw new InvalidParameterValue(`route table ${table.routeTableId} and instance ${instance.instanceId} belong to different networks`)
  }
  return {destinationCidrBlock: '', instanceId: instance.instanceId, origin: 'CreateRoute'}
}

export function createRoute(network: Draft<NetworkState>, base: NetworkState, region: RegionState, id: string, cidr: string, target: RouteTarget): void {
  const index = routeTableIndex(base, id)
  const table = base.routeTables[index] as RouteTableRecord
  const wanted = destination(cidr)
  if (table.routes.some((route) => route.destinationCidrBlock === wanted)) throw new RouteAlreadyExists(`The route identified by ${wanted} already exists.`)
  if (table.routes.length >= MAX_ROUTES_PER_TABLE) throw new RouteLimitExceeded(`The maximum number of routes has been reached for route table ${id}.`)
  const route = {...checkTarget(base, region, table, target), destinationCidrBlock: wanted}
  network.routeTables[index]?.routes.push(route)
}

export function replaceRoute(network: Draft<NetworkState>, base: NetworkState, region: RegionState, id: string, cidr: string, target: RouteTarget): void {
  const index = routeTableIndex(base, id)
  const table = base.routeTables[index] as RouteTableRecord
  const wanted = destination(cidr)
  const position = routePosition(table, wanted)
  if (table.routes[position]?.gatewayId === 'local') throw new InvalidParameterValue(`cannot replace local route ${wanted} in route table ${id}`)
  const route = {...checkTarget(base, region, table, target), destinationCidrBlock: wanted}
  const draft = network.routeTables[index]
  if (draft !== undefined) draft.routes[position] = route
}

export function deleteRoute(network: Draft<NetworkState>, base: NetworkState, id: string, cidr: string): void {
  const index = routeTableIndex(base, id)
  const table = base.routeTables[index] as RouteTableRecord
  const wanted = destination(cidr)
  const position = routePosition(table, wanted)
  if (table.routes[position]?.gatewayId === 'local') throw new InvalidParameterValue(`cannot remove local route ${wanted} in route table ${id}`)
  network.routeTables[index]?.routes.splice(position, 1)
}

function routePosition(table: RouteTableRecord, cidr: string): number {
  const position = table.routes.findIndex((route) => route.destinationCidrBlock === cidr)
  if (position < 0) throw new InvalidRouteNotFound(`no route with destination-cidr-block ${cidr} in route table ${table.routeTableId}`)
  return position
}

/** Associates a table with a subnet of its VPC (one explicit association per subnet); the new association id. */
export function associateRouteTable(network: Draft<NetworkState>, base: NetworkState, ids: IdSource, id: string, subnetId: string): string {
  const index = routeTableIndex(base, id)
  const table = base.routeTables[index] as RouteTableRecord
  const subnet = requireSubnet(base, subnetId)
  if (subnet.vpcId !== table.vpcId) throw new InvalidParameterValue(`route table ${id} and subnet ${subnetId} belong to different networks`)
  const existing = base.routeTables.find((candidate) => candidate.associations.some((association) => association.subnetId === subnetId))
  if (existing !== undefined) {
    throw new ResourceAlreadyAssociated(`the specified association for route table ${id} conflicts with an existing association`)
  }
  const associationId = ids('rtbassoc')
  network.routeTables[index]?.associations.push({associationId, main: false, subnetId})
  return associationId
}

function associationPosition(base: NetworkState, associationId: string): {table: number; association: number} {
  for (let table = 0; table < base.routeTables.length; table++) {
    const association = base.routeTables[table]?.associations.findIndex((candidate) => candidate.associationId === associationId) ?? -1
    if (association >= 0) return {table, association}
  }
  throw new InvalidAssociationIdNotFound(`The association ID '${associationId}' does not exist`)
}

export function disassociateRouteTable(network: Draft<NetworkState>, base: NetworkState, associationId: string): void {
  const at = associationPosition(base, associationId)
  if (base.routeTables[at.table]?.associations[at.association]?.main === true) {
    throw new InvalidParameterValue(`cannot disassociate the main route table association ${associationId}`)
  }
  network.routeTables[at.table]?.associations.splice(at.association, 1)
}

/** Moves an association (a subnet's, or the VPC's main one) to another table of the same VPC; the new association id. */
export function replaceRouteTableAssociation(network: Draft<NetworkState>, base: NetworkState, ids: IdSource, associationId: string, id: string): string {
  const at = associationPosition(base, associationId)
  const from = base.routeTables[at.table] as RouteTableRecord
  const association = from.associations[at.association] as RouteTableAssociationRecord
  const index = routeTableIndex(base, id)
  const to = base.routeTables[index] as RouteTableRecord
  if (to.vpcId !== from.vpcId) throw new InvalidParameterValue(`route table ${id} and association ${associationId} belong to different networks`)
  const moved = {...association, associationId: ids('rtbassoc')}
  network.routeTables[at.table]?.associations.splice(at.association, 1)
  network.routeTables[index]?.associations.push(moved)
  return moved.associationId
}
