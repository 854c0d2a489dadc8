import {createHash} from 'node:crypto'
import {loadData} from '../../../common/data.js'
import {InvalidConfigurationRequest, ValidationError} from '../errors.js'
import type {EngineState} from '../types.js'
import {messages} from './messages.js'

export const MAX_NAME_LENGTH = 32

/** LoadBalancerName: 1-32 letters, digits or hyphens, not beginning or ending with a hyphen. */
export function validateLoadBalancerName(name: string): void {
  if (name.length === 0) throw new ValidationError(messages.nameEmpty)
  if (name.length > MAX_NAME_LENGTH) throw new ValidationError(messages.nameTooLong)
  if (!/^[A-Za-z0-9-]+$/.test(name)) throw new ValidationError(messages.nameBadCharacters)
  if (name.startsWith('-') || name.endsWith('-')) throw new ValidationError(messages.nameHyphenEnds)
}

/** Policy names: alphanumerics and dashes; the AWS prefixes are reserved for AWS's own policies. */
export function validatePolicyName(name: string): void {
  if (!/^[A-Za-z0-9-]+$/.test(name)) throw new ValidationError(messages.policyNameInvalid(name))
  if (name.startsWith('ELBSecurityPolicy-') || name.startsWith('ELBSample-')) {
    throw new InvalidConfigurationRequest(messages.policyNameReserved(name))
  }
}

/**
 * AWS's DNS names carry an opaque 9-10 digit id (`tests-144598086.us-east-1.elb.amazonaws.com`).
 * Ours is derived from account, region and name so the same load balancer always gets the same name.
 */
export function dnsNameFor(accountId: string, region: string, name: string, scheme: 'internet-facing' | 'internal'): string {
  const digest = createHash('sha256').update(`${accountId}/${region}/${name}`).digest()
  const id = 100_000_000 + (digest.readUInt32BE(0) % 1_900_000_000)
  const prefix = scheme === 'internal' ? 'internal-' : ''
  const suffix = region.startsWith('cn-') ? 'elb.amazonaws.com.cn' : 'elb.amazonaws.com'
  return `${prefix}${name}-${id}.${region}.${suffix}`
}

interface HostedZoneData {
  readonly hostedZoneIds: Readonly<Record<string, string>>
}

/** Route 53 zone id of ELB in `region`; undefined for a region AWS does not have. */
export function hostedZoneIdFor(region: string): string | undefined {
  return loadData<HostedZoneData>('elb-hosted-zone-ids.json').hostedZoneIds[region]
}

/** The /16 the engine gives load balancers unless told otherwise (`ELB_LOCAL_LB_NETWORK`). */
export const DEFAULT_LOAD_BALANCER_NETWORK = '127.1'

/**
 * The first loopback address of 127.1.0.1, 127.1.0.2, … that no load balancer in any region uses:
 * each load balancer binds its own address so several can listen on the same port. `network` is
 * the first two octets (tests give each engine its own, so parallel engines never collide).
 */
export function allocateLocalAddress(state: EngineState, network = DEFAULT_LOAD_BALANCER_NETWORK): string {
  // Hosts as numbers (third * 256 + fourth): no string is built per address tried.
  const prefix = `${network}.`
  const used = new Set<number>()
  for (const region of Object.values(state.regions)) {
    for (const lb of region.loadBalancers) {
      if (!lb.localAddress.startsWith(prefix)) continue
      const dot = lb.localAddress.indexOf('.', prefix.length)
      used.add(Number(lb.localAddress.slice(prefix.length, dot)) * 256 + Number(lb.localAddress.slice(dot + 1)))
    }
  }
  for (let third = 0; third < 256; third++) {
    for (let fourth = 1; fourth < 255; fourth++) {
      if (!used.has(third * 256 + fourth)) return `${prefix}${third}.${fourth}`
    }
  }
  throw new InvalidConfigurationRequest('No free local address is left for another load balancer.')
}
