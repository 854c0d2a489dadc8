import type {
  AddAvailabilityZonesInput,
  AddAvailabilityZonesOutput,
  ApplySecurityGroupsToLoadBalancerInput,
  ApplySecurityGroupsToLoadBalancerOutput,
  AttachLoadBalancerToSubnetsInput,
  AttachLoadBalancerToSubnetsOutput,
  CreateAccessPointInput,
  DetachLoadBalancerFromSubnetsInput,
  DetachLoadBalancerFromSubnetsOutput,
  RemoveAvailabilityZonesInput,
  RemoveAvailabilityZonesOutput,
} from '@aws-sdk/client-elastic-load-balancing'
import {InvalidConfigurationRequest, InvalidSecurityGroup, SubnetNotFound, ValidationError} from '../errors.js'
import type {NetworkState} from '../network-types.js'
import {baseOf, type Draft} from '../store.js'
import type {EngineState, LoadBalancerRecord, RegionState, RequestContext} from '../types.js'
import {platformOf} from '../network/default-vpc.js'
import {defaultElbGroup} from './default-elb-group.js'
import {messages} from './messages.js'
import {ElbPolicyOperations} from './policy-operations.js'
import type {LoadBalancerDraft} from './service-base.js'
import {required, unique} from './validation.js'
import {
  defaultSubnetsOf,
  defaultVpcOf,
  placeBySubnets,
  placeByZones,
  requireInternetGateway,
  securityGroupsFor,
  type Placement,
} from './vpc-placement.js'

/** Where CreateLoadBalancer puts a new load balancer: zones only (EC2-Classic), or a VPC placement. */
export interface NewLoadBalancerPlace {
  readonly availabilityZones: readonly string[]
  readonly subnets: readonly string[]
  readonly securityGroups: readonly string[]
  readonly vpcId?: string
}

/**
 * The zone, subnet and security-group operations, in both worlds: an EC2-Classic account has zones
 * only (the VPC operations are refused); a VPC account places every load balancer in subnets of one
 * VPC, zones following the subnets (docs/decisions.md, "Classic ELB in a VPC").
 */
export abstract class ElbNetworkOperations extends ElbPolicyOperations {
  /** Validates what CreateLoadBalancer says about zones, subnets and groups before the store is touched. */
  protected validatePlaceRequest(ctx: RequestContext, input: CreateAccessPointInput): void {
    const subnets = input.Subnets ?? []
    const zones = unique(input.AvailabilityZones ?? [])
    if (platformOf(this.store.state) === 'ec2-classic') {
      // The 2011 world: there is no VPC, hence no subnet and no VPC security group.
      if (subnets.length > 0) throw new SubnetNotFound(messages.subnetNotFound(unique(subnets)))
      if (zones.length === 0) throw new ValidationError(messages.zonesOrSubnetsRequired)
      for (const zone of zones) this.validateZone(ctx, zone)
      if ((input.SecurityGroups ?? []).length > 0) throw new InvalidSecurityGroup(messages.vpcOnly('SecurityGroups'))
      return
    }
    if (subnets.length > 0 && zones.length > 0) throw new ValidationError(messages.zonesAndSubnets)
    if (subnets.length === 0 && zones.length === 0) throw new ValidationError(messages.zonesOrSubnetsRequired)
    for (const zone of zones) this.validateZone(ctx, zone)
  }

  /** The new load balancer's place, read from the region being written (inside its mutation). */
  protected placeNewLoadBalancer(
    input: CreateAccessPointInput,
    scheme: LoadBalancerRecord['scheme'],
    listenerPorts: readonly number[],
    region: Draft<RegionState>,
    state: Draft<EngineState>,
  ): NewLoadBalancerPlace {
    const zones = unique(input.AvailabilityZones ?? [])
    if (platformOf(baseOf(state)) === 'ec2-classic') return {availabilityZones: zones, subnets: [], securityGroups: []}
    const network = baseOf(region).network
    const placement: Placement = zones.length > 0 ? placeByZones(network, zones) : placeBySubnets(network, input.Subnets ?? [])
    requireInternetGateway(network, placement.vpcId, scheme)
    // In the default VPC, a load balancer without groups gets ELB's own default_elb_ group (AWS).
    const inDefaultVpc = defaultVpcOf(network)?.vpcId === placement.vpcId
    const securityGroups = (input.SecurityGroups ?? []).length === 0 && inDefaultVpc && region.network !== undefined
      ? [defaultElbGroup(region.network, placement.vpcId, listenerPorts)]
      : securityGroupsFor(network, placement.vpcId, input.SecurityGroups)
    return {...placement, securityGroups}
  }

  enableAvailabilityZonesForLoadBalancer(ctx: RequestContext, input: AddAvailabilityZonesInput): AddAvailabilityZonesOutput {
    const zones = unique(required(input.AvailabilityZones, 'availabilityZones'))
    for (const zone of zones) this.validateZone(ctx, zone)
    const lb = this.mutateLoadBalancer(ctx, input.LoadBalancerName, (lb, region) => {
      const network = this.defaultVpcNetwork(lb, region, messages.cannotEnableZonesInVpc)
      const adding = zones.filter((zone) => !lb.availabilityZones.includes(zone))
      if (network !== undefined && lb.vpcId !== undefined) {
        lb.subnets.push(...defaultSubnetsOf(network, lb.vpcId, adding))
      }
      lb.availabilityZones.push(...adding)
    })
    return {AvailabilityZones: [...lb.availabilityZones]}
  }

  disableAvailabilityZonesForLoadBalancer(ctx: RequestContext, input: RemoveAvailabilityZonesInput): RemoveAvailabilityZonesOutput {
    const zones = required(input.AvailabilityZones, 'availabilityZones')
    const lb = this.mutateLoadBalancer(ctx, input.LoadBalancerName, (lb, region) => {
      const network = this.defaultVpcNetwork(lb, region, messages.cannotDisableZonesInVpc)
      const remaining = lb.availabilityZones.filter((zone) => !zones.includes(zone))
      if (remaining.length === 0) throw new InvalidConfigurationRequest(messages.cannotRemoveAllZones)
      if (network !== undefined) {
        const zoneOf = new Map(network.subnets.map((subnet) => [subnet.subnetId, subnet.availabilityZone]))
        lb.subnets = baseOf(lb.subnets).filter((id) => !zones.includes(zoneOf.get(id) ?? ''))
      }
      lb.availabilityZones = remaining
    })
    return {AvailabilityZones: [...lb.availabilityZones]}
  }

  attachLoadBalancerToSubnets(ctx: RequestContext, input: AttachLoadBalancerToSubnetsInput): AttachLoadBalancerToSubnetsOutput {
    const subnets = required(input.Subnets, 'subnets')
    const lb = this.mutateLoadBalancer(ctx, input.LoadBalancerName, (lb, region) => {
      const vpcId = this.requireVpc(lb, 'AttachLoadBalancerToSubnets')
      const network = baseOf(region).network
      const placement = placeBySubnets(network, subnets, {vpcId, subnets: baseOf(lb.subnets)})
      requireInternetGateway(network, vpcId, lb.scheme)
      lb.subnets = [...placement.subnets]
      lb.availabilityZones = [...placement.availabilityZones]
    })
    return {Subnets: [...lb.subnets]}
  }

  detachLoadBalancerFromSubnets(ctx: RequestContext, input: DetachLoadBalancerFromSubnetsInput): DetachLoadBalancerFromSubnetsOutput {
    const leaving = new Set(required(input.Subnets, 'subnets'))
    const lb = this.mutateLoadBalancer(ctx, input.LoadBalancerName, (lb, region) => {
      this.requireVpc(lb, 'DetachLoadBalancerFromSubnets')
      // Subnets the load balancer is not attached to are ignored, as AWS does.
      const remaining = baseOf(lb.subnets).filter((id) => !leaving.has(id))
      if (remaining.length === 0) throw new InvalidConfigurationRequest(messages.cannotDetachAllSubnets)
      const zoneOf = new Map((baseOf(region).network?.subnets ?? []).map((subnet) => [subnet.subnetId, subnet.availabilityZone]))
      lb.subnets = remaining
      lb.availabilityZones = unique(remaining.flatMap((id) => zoneOf.get(id) ?? []))
    })
    return {Subnets: [...lb.subnets]}
  }

  applySecurityGroupsToLoadBalancer(
    ctx: RequestContext,
    input: ApplySecurityGroupsToLoadBalancerInput,
  ): ApplySecurityGroupsToLoadBalancerOutput {
    const groups = required(input.SecurityGroups, 'securityGroups')
    const lb = this.mutateLoadBalancer(ctx, input.LoadBalancerName, (lb, region) => {
      const vpcId = this.requireVpc(lb, 'ApplySecurityGroupsToLoadBalancer')
      if (groups.length === 0) throw new InvalidSecurityGroup(messages.securityGroupsNotFound)
      lb.securityGroups = securityGroupsFor(baseOf(region).network, vpcId, groups)
    })
    return {SecurityGroups: [...lb.securityGroups]}
  }

  /**
   * Zones may be enabled and disabled on an EC2-Classic load balancer (no network: undefined) or one
   * in the default VPC (its network, to map zones to default subnets); AWS refuses them elsewhere.
   */
  private defaultVpcNetwork(lb: LoadBalancerDraft, region: Draft<RegionState>, refusal: string): NetworkState | undefined {
    if (lb.vpcId === undefined) return undefined
    const network = baseOf(region).network
    if (network === undefined || defaultVpcOf(network)?.vpcId !== lb.vpcId) throw new ValidationError(refusal)
    return network
  }

  private requireVpc(lb: LoadBalancerDraft, action: string): string {
    if (lb.vpcId === undefined) throw this.notInVpc(baseOf(lb), action)
    return lb.vpcId
  }
}
