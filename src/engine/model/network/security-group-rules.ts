import {isIPv6} from 'node:net'
import {errorClass, InvalidParameterValue} from '../errors.js'
import type {SecurityGroupRuleRecord} from '../network-types.js'
import {formatCidr, parseCidr} from './addresses.js'

/**
 * Security-group permissions as EC2 takes them (an IpPermission: a protocol, a port range and
 * several peers) and as it keeps them (one rule per peer, `SecurityGroupRuleRecord`): validation
 * with EC2's codes, normalization (protocol numbers to names, ports of all-protocol rules to -1)
 * and the identity of a rule (what makes two of them duplicates). Pure: no state.
 */

export const InvalidPermissionDuplicate = errorClass('InvalidPermission.Duplicate')
export const InvalidPermissionNotFound = errorClass('InvalidPermission.NotFound')
export const InvalidPermissionMalformed = errorClass('InvalidPermission.Malformed')
export const RulesPerSecurityGroupLimitExceeded = errorClass('RulesPerSecurityGroupLimitExceeded')

/** AWS's default quota: 60 inbound and 60 outbound rules per security group. */
export const MAX_RULES_PER_DIRECTION = 60
/** Peers in one request: a bound on work before the rule limit refuses the rest. */
export const MAX_PEERS_PER_REQUEST = 1000
const MAX_RULE_DESCRIPTION = 255

export type Direction = 'ingress' | 'egress'

/** A peer as the request names it; a group by id, or by name (default VPC / EC2-Classic). */
export type PeerInput =
  | {readonly kind: 'cidrIpv4'; readonly value: string; readonly description?: string}
  | {readonly kind: 'cidrIpv6'; readonly value: string; readonly description?: string}
  | {readonly kind: 'prefixListId'; readonly value: string; readonly description?: string}
  | {readonly kind: 'group'; readonly groupId?: string; readonly groupName?: string; readonly description?: string}

/** One IpPermission of a request (IpPermissions.N, or the legacy flat parameters). */
export interface PermissionInput {
  readonly ipProtocol?: string
  readonly fromPort?: number
  readonly toPort?: number
  readonly peers: readonly PeerInput[]
}

/** A rule before it has an id. */
export type RuleSpec = Omit<SecurityGroupRuleRecord, 'ruleId'>

const PROTOCOL_NAMES: Readonly<Record<string, string>> = {'6': 'tcp', '17': 'udp', '1': 'icmp', '58': 'icmpv6'}
const NAMED_PROTOCOLS = new Set(['tcp', 'udp', 'icmp', 'icmpv6', '-1'])

/** `tcp`/`6` → `tcp`, `-1` → `-1`, another protocol number 0-255 as itself; anything else is refused. */
export function normalizeProtocol(text: string | undefined): string {
  if (text === undefined || text === '') throw new InvalidPermissionMalformed('Invalid IpPermissions: the IP protocol is missing.')
  const lower = text.toLowerCase()
  if (NAMED_PROTOCOLS.has(lower)) return lower
  if (/^\d{1,3}$/.test(lower) && Number(lower) <= 255) return PROTOCOL_NAMES[String(Number(lower))] ?? String(Number(lower))
  throw new InvalidParameterValue(`Invalid value '${text}' for IP protocol. Unknown protocol.`)
}

/** The port range a rule keeps: TCP/UDP 0-65535 (both required), ICMP type and code (-1 = all), else -1/-1. */
export function portRange(protocol: string, from: number | undefined, to: number | undefined): {fromPort: number; toPort: number} {
  if (protocol === 'tcp' || protocol === 'udp') {
    if (from === undefined || to === undefined) throw new InvalidParameterValue('Invalid value \'Must specify both from and to ports with TCP/UDP.\' for portRange.')
    if (from < 0 || from > 65535 || to < 0 || to > 65535) throw new InvalidParameterValue(`Invalid value '${from}-${to}' for portRange. Ports must be between 0 and 65535.`)
    if (from > to) throw new InvalidParameterValue(`Invalid value '${from}-${to}' for portRange. The from port must not be greater than the to port.`)
    return {fromPort: from, toPort: to}
  }
  if (protocol === 'icmp' || protocol === 'icmpv6') {
    const type = from ?? -1
    const code = to ?? -1
    if (type < -1 || type > 255 || code < -1 || code > 255) throw new InvalidParameterValue(`Invalid value '${type}' for ICMP type or '${code}' for ICMP code.`)
    return {fromPort: type, toPort: code}
  }
  return {fromPort: -1, toPort: -1}
}

export function checkDescription(description: string | undefined): void {
  if (description === undefined) return
  if (Array.from(description).length > MAX_RULE_DESCRIPTION || !/^[\w .\-:/()#,@[\]+=&;{}!$*]*$/.test(description)) {
    throw new InvalidParameterValue(`Invalid rule description. Valid descriptions are strings less than ${MAX_RULE_DESCRIPTION + 1} characters from the following set:  a-zA-Z0-9. _-:/()#,@[]+=&;{}!$*`)
  }
}

/** The peer half of a rule, checked: CIDRs in canonical form, prefix list ids, groups resolved to ids. */
export function peerOf(peer: PeerInput, resolveGroup: (peer: {groupId?: string; groupName?: string}) => string): Pick<RuleSpec, 'cidrIpv4' | 'cidrIpv6' | 'referencedGroupId' | 'prefixListId'> {
  switch (peer.kind) {
    case 'cidrIpv4': {
      const cidr = parseCidr(peer.value, true)
      if (cidr === undefined) throw new InvalidPermissionMalformed(`CIDR block ${peer.value} is malformed`)
      return {cidrIpv4: formatCidr(cidr)}
    }
    case 'cidrIpv6': {
      const slash = peer.value.indexOf('/')
      const prefix = peer.value.slice(slash + 1)
      if (slash < 0 || !isIPv6(peer.value.slice(0, slash)) || !/^\d{1,3}$/.test(prefix) || Number(prefix) > 128) {
        throw new InvalidPermissionMalformed(`CIDR block ${peer.value} is malformed`)
      }
      return {cidrIpv6: peer.value.toLowerCase()}
    }
    case 'prefixListId':
      if (!/^pl-[0-9a-f]{8,17}$/.test(peer.value)) throw new InvalidParameterValue(`Invalid id: "${peer.value}" (expecting "pl-...")`)
      return {prefixListId: peer.value}
    case 'group':
      return {referencedGroupId: resolveGroup(peer)}
  }
}

/** IpPermissions → one rule spec per peer, in request order (duplicates inside the request refused). */
export function expandPermissions(permissions: readonly PermissionInput[], resolveGroup: (peer: {groupId?: string; groupName?: string}) => string): RuleSpec[] {
  const specs: RuleSpec[] = []
  let peers = 0
  for (const permission of permissions) {
    peers += permission.peers.length
    if (peers > MAX_PEERS_PER_REQUEST) throw new RulesPerSecurityGroupLimitExceeded('The maximum number of rules per security group has been reached.')
    const ipProtocol = normalizeProtocol(permission.ipProtocol)
    const ports = portRange(ipProtocol, permission.fromPort, permission.toPort)
    for (const peer of permission.peers) {
      checkDescription(peer.description)
      specs.push({ipProtocol, ...ports, ...peerOf(peer, resolveGroup), ...(peer.description === undefined ? {} : {description: peer.description})})
    }
  }
  return specs
}

/** What makes two rules the same rule (the description does not). */
export function ruleKey(rule: RuleSpec): string {
  const peer = rule.cidrIpv4 ?? rule.cidrIpv6 ?? rule.referencedGroupId ?? rule.prefixListId ?? ''
  return `${rule.ipProtocol}|${rule.fromPort}|${rule.toPort}|${peer}`
}

/** EC2's words for a rule in InvalidPermission.Duplicate: `peer: 0.0.0.0/0, TCP, from port: 22, to port: 22, ALLOW`. */
export function describeRule(rule: RuleSpec): string {
  const peer = rule.cidrIpv4 ?? rule.cidrIpv6 ?? rule.referencedGroupId ?? rule.prefixListId ?? ''
  if (rule.ipProtocol === '-1') return `peer: ${peer}, ALL, ALLOW`
  const ports = rule.fromPort === -1 ? '' : `, from port: ${rule.fromPort}, to port: ${rule.toPort}`
  return `peer: ${peer}, ${rule.ipProtocol.toUpperCase()}${ports}, ALLOW`
}

/** The specs to add, checked against the rules the group has (duplicates, the per-direction limit). */
export function checkNewRules(existing: readonly SecurityGroupRuleRecord[], specs: readonly RuleSpec[]): void {
  const keys = new Set(existing.map(ruleKey))
  for (const spec of specs) {
    const key = ruleKey(spec)
    if (keys.has(key)) throw new InvalidPermissionDuplicate(`the specified rule "${describeRule(spec)}" already exists`)
    keys.add(key)
  }
  if (existing.length + specs.length > MAX_RULES_PER_DIRECTION) {
    throw new RulesPerSecurityGroupLimitExceeded('The maximum number of rules per security group has been reached.')
  }
}
