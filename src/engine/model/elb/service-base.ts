import type {Instance} from '@aws-sdk/client-elastic-load-balancing'
import {InvalidConfigurationRequest, LoadBalancerNotFound, ServiceError, ValidationError} from '../errors.js'
import {baseOf, type Draft, type Store} from '../store.js'
import {isZoneOf} from '../network/zones.js'
import type {
  CertificateLookup,
  HealthView,
  ListenerRecord,
  LoadBalancerRecord,
  PolicyRecord,
  RegionState,
  RequestContext,
} from '../types.js'
import {POLICY_TYPES, defaultSecurityPolicyName} from './catalogue.js'
import {findLoadBalancer, loadBalancerPosition} from './lb-index.js'
import {isSecure} from './listeners.js'
import {messages} from './messages.js'
import {defaultSecurityPolicyAttributes} from './ssl-policy.js'
import {listAtMost, required, unique} from './validation.js'

export const LIMITS = {
  loadBalancersPerRegion: 20,
  listenersPerLoadBalancer: 100,
  instancesPerLoadBalancer: 1000,
} as const

/** Tagging calls accept up to 20 load balancer names. */
export const MAX_TAGGED_NAMES = 20

export interface ElbServiceDeps {
  readonly health: HealthView
  readonly certificates: CertificateLookup
  readonly now?: () => Date
  /** First two octets of the load-balancer address range (default 127.1). */
  readonly loadBalancerNetwork?: string
}

export type LoadBalancerDraft = Draft<LoadBalancerRecord>

/** What every group of ELB operations shares: the store, its dependencies and the look-up helpers. */
export abstract class ElbServiceBase {
  protected readonly now: () => Date

  constructor(
    protected readonly store: Store,
    protected readonly deps: ElbServiceDeps,
  ) {
    this.now = deps.now ?? (() => new Date())
  }

  // ---- Helpers --------------------------------------------------------------------------------

  protected regionState(ctx: RequestContext): RegionState {
    return this.store.region(ctx.region)
  }

  protected loadBalancer(ctx: RequestContext, name: string | undefined): LoadBalancerRecord {
    const wanted = required(name, 'loadBalancerName')
    const lb = findLoadBalancer(this.regionState(ctx).loadBalancers, wanted)
    if (lb === undefined) throw new LoadBalancerNotFound(messages.noActiveLoadBalancer(wanted))
    return lb
  }

  /** Applies `mutate` to the named load balancer; returns the load balancer as stored afterwards. */
  protected mutateLoadBalancer(
    ctx: RequestContext,
    name: string | undefined,
    mutate: (lb: LoadBalancerDraft, region: Draft<RegionState>) => void,
  ): LoadBalancerRecord {
    const wanted = this.loadBalancer(ctx, name).name
    this.store.updateRegion(ctx.region, (region) => {
      mutate(findDraft(region, wanted), region)
    })
    return this.loadBalancer(ctx, wanted)
  }

  protected validateZone(ctx: RequestContext, zone: string): void {
    // The Region's real zones (data/aws-zones.json), not any letter.
    if (!isZoneOf(ctx.region, zone)) throw new ValidationError(messages.invalidAvailabilityZone(zone))
  }

  protected notInVpc(lb: LoadBalancerRecord, action: string): ServiceError {
    return new InvalidConfigurationRequest(`${messages.vpcOnly(action)}; ${lb.name} is not in a VPC.`)
  }

  protected taggedNames(names: string[] | undefined): string[] {
    const list = required(names, 'loadBalancerNames')
    listAtMost(list, 'loadBalancerNames', MAX_TAGGED_NAMES)
    return unique(list)
  }
}


/** The named load balancer's draft, found in the base so that only this one record is drafted. */
export function findDraft(region: Draft<RegionState>, name: string): LoadBalancerDraft {
  const index = loadBalancerPosition(baseOf(region.loadBalancers), name)
  const lb = region.loadBalancers[index]
  if (lb === undefined) throw new LoadBalancerNotFound(messages.noActiveLoadBalancer(name))
  return lb
}

export function instanceIds(instances: readonly Instance[]): string[] {
  return unique(instances.map((instance, index) => required(instance.InstanceId, `instances.member.${index + 1}.instanceId`)))
}

export function addPolicy(lb: LoadBalancerDraft, policy: PolicyRecord): void {
  lb.policies.push({name: policy.name, typeName: policy.typeName, attributes: policy.attributes.map((a) => ({...a}))})
}

/**
 * Every HTTPS/SSL listener without an SSL negotiation policy gets AWS's default one,
 * ELBSecurityPolicy-2016-08, created on the load balancer (as a Reference-Security-Policy copy)
 * the first time it is needed.
 */
export function attachDefaultSecurityPolicy(lb: LoadBalancerDraft): void {
  const defaultName = defaultSecurityPolicyName()
  const sslPolicyNames = new Set(lb.policies.filter((p) => p.typeName === POLICY_TYPES.sslNegotiation).map((p) => p.name))
  for (const listener of lb.listeners) {
    if (!isSecure(listener.protocol) || listener.policyNames.some((name) => sslPolicyNames.has(name))) continue
    if (!lb.policies.some((p) => p.name === defaultName)) {
      lb.policies.push({name: defaultName, typeName: POLICY_TYPES.sslNegotiation, attributes: defaultSecurityPolicyAttributes()})
      sslPolicyNames.add(defaultName)
    }
    listener.policyNames.push(defaultName)
  }
}

/** The parameters a repeated CreateLoadBalancer must match to be a no-op (zones, or subnets when given by subnet). */
export function sameConfiguration(
  lb: LoadBalancerRecord,
  listeners: readonly ListenerRecord[],
  place: {readonly AvailabilityZones?: readonly string[] | undefined; readonly Subnets?: readonly string[] | undefined},
  scheme: string,
): boolean {
  const key = (l: ListenerRecord) => `${l.protocol}|${l.loadBalancerPort}|${l.instanceProtocol}|${l.instancePort}|${l.sslCertificateId ?? ''}`
  const sameSet = (a: readonly string[], b: readonly string[]) => {
    const other = new Set(b)
    return a.length === other.size && a.every((x) => other.has(x))
  }
  const zones = unique(place.AvailabilityZones ?? [])
  const samePlace = zones.length > 0 ? sameSet(lb.availabilityZones, zones) : sameSet(lb.subnets, unique(place.Subnets ?? []))
  return lb.scheme === scheme && sameSet(lb.listeners.map(key), listeners.map(key)) && samePlace
}
