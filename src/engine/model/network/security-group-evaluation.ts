import type {SecurityGroupRecord, SecurityGroupRuleRecord} from '../network-types.js'
import {cidrContains, parseCidr, parseIpv4, type Ipv4Cidr} from './addresses.js'

/**
 * Whether a set of security groups admits a connection, as EC2 evaluates them: a connection is
 * admitted when ANY rule of ANY of the groups (of the direction asked) matches its protocol, its
 * destination port and its peer — by IPv4 CIDR, or by a group the peer is a member of. Groups only
 * allow (there are no deny rules), and they are stateful: only the opening of a connection is
 * checked. Pure and linear in the rules; no pattern is built from input.
 *
 * Peers named by an IPv6 CIDR or a prefix list never match here: the engine's traffic is IPv4 on
 * loopback and it models no prefix list's contents.
 */

export interface CompiledRule {
  readonly protocol: string
  readonly fromPort: number
  readonly toPort: number
  readonly cidr?: Ipv4Cidr
  readonly groupId?: string
}

/** A connection's far end: its IPv4 address (as the API shows it) and the groups it is in. */
export interface ConnectionPeer {
  readonly address: string
  readonly groupIds: readonly string[]
}

export type Direction = 'ingress' | 'egress'

/** The rules of `direction` of every group, ready to be matched many times. */
export function compileRules(groups: readonly SecurityGroupRecord[], direction: Direction): CompiledRule[] {
  const compiled: CompiledRule[] = []
  for (const group of groups) for (const rule of group[direction]) {
    const one = compileRule(rule)
    if (one !== undefined) compiled.push(one)
  }
  return compiled
}

function compileRule(rule: SecurityGroupRuleRecord): CompiledRule | undefined {
  const base = {protocol: rule.ipProtocol, fromPort: rule.fromPort, toPort: rule.toPort}
  if (rule.referencedGroupId !== undefined) return {...base, groupId: rule.referencedGroupId}
  const cidr = rule.cidrIpv4 === undefined ? undefined : parseCidr(rule.cidrIpv4)
  return cidr === undefined ? undefined : {...base, cidr}
}

/** Whether `rules` admit a `protocol` connection to `port` with `peer` on the other end. */
export function admitsCompiled(rules: readonly CompiledRule[], protocol: 'tcp' | 'udp', port: number, peer: ConnectionPeer): boolean {
  const address = parseIpv4(peer.address)
  for (const rule of rules) {
    if (rule.protocol !== '-1' && (rule.protocol !== protocol || port < rule.fromPort || port > rule.toPort)) continue
    if (rule.groupId !== undefined ? peer.groupIds.includes(rule.groupId) : address !== undefined && rule.cidr !== undefined && cidrContains(rule.cidr, address)) return true
  }
  return false
}

/** Whether `groups` admit the connection in `direction` (ingress: `peer` is the source; egress: the destination). */
export function admits(groups: readonly SecurityGroupRecord[], direction: Direction, protocol: 'tcp' | 'udp', port: number, peer: ConnectionPeer): boolean {
  return admitsCompiled(compileRules(groups, direction), protocol, port, peer)
}
