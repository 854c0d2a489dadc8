import {InvalidInternetGatewayIdNotFound, InvalidRouteTableIdNotFound} from '../../model/network/errors.js'
import {
  attachInternetGateway, createInternetGateway, deleteInternetGateway, detachInternetGateway, internetGatewayIndex,
} from '../../model/network/internet-gateways.js'
import type {NetworkModel} from '../../model/network/network-model.js'
import {
  associateRouteTable, createRoute, createRouteTable, deleteRoute, deleteRouteTable, disassociateRouteTable, replaceRoute,
  replaceRouteTableAssociation, routeTableIndex, type RouteTarget,
} from '../../model/network/route-tables.js'
import type {InternetGatewayRecord, RouteTableRecord} from '../../model/network-types.js'
import type {RequestContext} from '../../model/types.js'
import {InvalidParameterValue} from '../errors.js'
import {optionalString, requiredString, type QueryParams} from '../params.js'
import type {Wire} from '../views.js'
import {describeSelection, pageView} from './describe.js'
import {dryRun} from './dry-run.js'
import {tagSpecifications} from './tag-params.js'
import {internetGatewayView, routeState, routeTableView, tagMatchers} from './views.js'

/** EC2's internet gateway and route table calls over the NetworkModel. */

/** Route targets the engine does not model: named so a client learns why, not a silent drop. */
const UNMODELED_TARGETS = [
  'NatGatewayId', 'NetworkInterfaceId', 'VpcPeeringConnectionId', 'TransitGatewayId', 'EgressOnlyInternetGatewayId', 'LocalGatewayId',
  'CarrierGatewayId', 'VpcEndpointId', 'CoreNetworkArn', 'DestinationIpv6CidrBlock', 'DestinationPrefixListId',
]

export class RoutingApi {
  constructor(private readonly model: NetworkModel) {}

  createInternetGateway(ctx: RequestContext, params: QueryParams): Wire {
    const tags = tagSpecifications(params, 'internet-gateway')
    dryRun(params)
    const gateway = this.model.update(ctx.region, (network, base) => createInternetGateway(network, base, this.model.ids, tags))
    return {internetGateway: internetGatewayView(gateway, this.model.accountId)}
  }

  attachInternetGateway(ctx: RequestContext, params: QueryParams): Wire {
    const id = requiredString(params, 'InternetGatewayId')
    const vpcId = requiredString(params, 'VpcId')
    dryRun(params)
    this.model.update(ctx.region, (network, base) => { attachInternetGateway(network, base, id, vpcId) })
    return {return: true}
  }

  detachInternetGateway(ctx: RequestContext, params: QueryParams): Wire {
    const id = requiredString(params, 'InternetGatewayId')
    const vpcId = requiredString(params, 'VpcId')
    dryRun(params)
    this.model.update(ctx.region, (network, base) => { detachInternetGateway(network, base, id, vpcId) })
    return {return: true}
  }

  deleteInternetGateway(ctx: RequestContext, params: QueryParams): Wire {
    const id = requiredString(params, 'InternetGatewayId')
    internetGatewayIndex(this.model.network(ctx.region), id)
    dryRun(params)
    this.model.update(ctx.region, (network, base) => { deleteInternetGateway(network, base, id) })
    return {return: true}
  }

  describeInternetGateways(ctx: RequestContext, params: QueryParams): Wire {
    const page = describeSelection(this.model.network(ctx.region).internetGateways, params, {
      operation: 'DescribeInternetGateways',
      idParam: 'InternetGatewayId',
      idOf: (gateway) => gateway.internetGatewayId,
      notFound: (id) => new InvalidInternetGatewayIdNotFound(`The internetGateway ID '${id}' does not exist`),
      matchers: {
        'internet-gateway-id': (gateway) => [gateway.internetGatewayId],
        'attachment.vpc-id': (gateway) => gateway.attachments.map((a) => a.vpcId),
        'attachment.state': (gateway) => gateway.attachments.map(() => 'available'),
        'owner-id': () => [this.model.accountId],
        ...tagMatchers<InternetGatewayRecord>((gateway) => gateway.tags),
      },
    })
    return pageView('internetGatewaySet', page, (gateway) => internetGatewayView(gateway, this.model.accountId))
  }

  createRouteTable(ctx: RequestContext, params: QueryParams): Wire {
    const vpcId = requiredString(params, 'VpcId')
    const tags = tagSpecifications(params, 'route-table')
    dryRun(params)
    const table = this.model.update(ctx.region, (network, base) => createRouteTable(network, base, this.model.ids, vpcId, tags))
    return {routeTable: routeTableView(table, this.model.network(ctx.region), this.model.accountId, this.liveInstances(ctx.region))}
  }

  deleteRouteTable(ctx: RequestContext, params: QueryParams): Wire {
    const id = requiredString(params, 'RouteTableId')
    routeTableIndex(this.model.network(ctx.region), id)
    dryRun(params)
    this.model.update(ctx.region, (network, base) => { deleteRouteTable(network, base, id) })
    return {return: true}
  }

  describeRouteTables(ctx: RequestContext, params: QueryParams): Wire {
    const network = this.model.network(ctx.region)
    const live = this.liveInstances(ctx.region)
    const page = describeSelection(network.routeTables, params, {
      operation: 'DescribeRouteTables',
      idParam: 'RouteTableId',
      idOf: (table) => table.routeTableId,
      notFound: (id) => new InvalidRouteTableIdNotFound(`The routeTable ID '${id}' does not exist`),
      matchers: {
        'route-table-id': (table) => [table.routeTableId],
        'vpc-id': (table) => [table.vpcId],
        'association.main': (table) => table.associations.map((a) => String(a.main)),
        'association.subnet-id': (table) => table.associations.flatMap((a) => (a.subnetId === undefined ? [] : [a.subnetId])),
        'association.route-table-association-id': (table) => table.associations.map((a) => a.associationId),
        'association.route-table-id': (table) => table.associations.map(() => table.routeTableId),
        'route.destination-cidr-block': (table) => table.routes.map((r) => r.destinationCidrBlock),
        'route.gateway-id': (table) => table.routes.flatMap((r) => (r.gatewayId === undefined ? [] : [r.gatewayId])),
        'route.instance-id': (table) => table.routes.flatMap((r) => (r.instanceId === undefined ? [] : [r.instanceId])),
        'route.origin': (table) => table.routes.map((r) => r.origin),
        'route.state': (table) => table.routes.map((r) => routeState(r, network, table.vpcId, live)),
        'owner-id': () => [this.model.accountId],
        ...tagMatchers<RouteTableRecord>((table) => table.tags),
      },
    })
    return pageView('routeTableSet', page, (table) => routeTableView(table, network, this.model.accountId, live))
  }

  createRoute(ctx: RequestContext, params: QueryParams): Wire {
    const [id, cidr, target] = this.routeParams(params)
    dryRun(params)
    this.model.update(ctx.region, (network, base, region) => { createRoute(network, base, region, id, cidr, target) })
    return {return: true}
  }

  replaceRoute(ctx: RequestContext, params: QueryParams): Wire {
    const [id, cidr, target] = this.routeParams(params)
    dryRun(params)
    this.model.update(ctx.region, (network, base, region) => { replaceRoute(network, base, region, id, cidr, target) })
    return {return: true}
  }

  deleteRoute(ctx: RequestContext, params: QueryParams): Wire {
    const id = requiredString(params, 'RouteTableId')
    const cidr = requiredString(params, 'DestinationCidrBlock')
    dryRun(params)
    this.model.update(ctx.region, (network, base) => { deleteRoute(network, base, id, cidr) })
    return {return: true}
  }

  associateRouteTable(ctx: RequestContext, params: QueryParams): Wire {
    const id = requiredString(params, 'RouteTableId')
    if (optionalString(params, 'GatewayId') !== undefined) {
      throw new InvalidParameterValue('The engine does not model gateway route tables: associate a route table with a SubnetId.')
    }
    const subnetId = requiredString(params, 'SubnetId')
    dryRun(params)
    const associationId = this.model.update(ctx.region, (network, base) => associateRouteTable(network, base, this.model.ids, id, subnetId))
    return {associationId, associationState: {state: 'associated'}}
  }

  disassociateRouteTable(ctx: RequestContext, params: QueryParams): Wire {
    const associationId = requiredString(params, 'AssociationId')
    dryRun(params)
    this.model.update(ctx.region, (network, base) => { disassociateRouteTable(network, base, associationId) })
    return {return: true}
  }

  replaceRouteTableAssociation(ctx: RequestContext, params: QueryParams): Wire {
    const associationId = requiredString(params, 'AssociationId')
    const id = requiredString(params, 'RouteTableId')
    dryRun(params)
    const newAssociationId = this.model.update(ctx.region, (network, base) =>
      replaceRouteTableAssociation(network, base, this.model.ids, associationId, id))
    return {newAssociationId, associationState: {state: 'associated'}}
  }

  private routeParams(params: QueryParams): [string, string, RouteTarget] {
    const id = requiredString(params, 'RouteTableId')
    for (const name of UNMODELED_TARGETS) {
      if (optionalString(params, name) !== undefined) {
        throw new InvalidParameterValue(`The engine models routes to an internet gateway (GatewayId) or an instance (InstanceId) only, not ${name}.`)
      }
    }
    const cidr = requiredString(params, 'DestinationCidrBlock')
    const gatewayId = optionalString(params, 'GatewayId')
    const instanceId = optionalString(params, 'InstanceId')
    return [id, cidr, {...(gatewayId === undefined ? {} : {gatewayId}), ...(instanceId === undefined ? {} : {instanceId})}]
  }

  private liveInstances(region: string): ReadonlySet<string> {
    return new Set(this.model.region(region).instances.filter((instance) => instance.state === 'running').map((instance) => instance.instanceId))
  }
}
