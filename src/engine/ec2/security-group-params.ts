import {MissingParameter} from './errors.js'
import {optionalInteger, optionalString, structureList, type QueryParams} from './params.js'
import type {PeerInput, PermissionInput} from '../model/network/security-group-rules.js'
import type {GroupReference, RuleReplacement} from '../model/network/security-groups.js'

/**
 * The security-group parameters of EC2's Query API: `IpPermissions.N` (with `IpRanges.M`,
 * `Ipv6Ranges.M`, `Groups.M` (UserIdGroupPairs), `PrefixListIds.M`), the legacy flat form (`IpProtocol`,
 * `FromPort`, `ToPort`, `CidrIp`, `SourceSecurityGroupName`), `GroupId`/`GroupName`, and
 * ModifySecurityGroupRules' `SecurityGroupRule.N`. Parsing only; the model checks the values.
 */

function described<T extends object>(peer: T, description: string | undefined): T & {description?: string} {
  return description === undefined ? peer : {...peer, description}
}

function peersOf(row: QueryParams): PeerInput[] {
  const peers: PeerInput[] = []
  for (const range of structureList(row, 'IpRanges')) {
    peers.push(described({kind: 'cidrIpv4', value: range.get('CidrIp') ?? ''} as const, range.get('Description')))
  }
  for (const range of structureList(row, 'Ipv6Ranges')) {
    peers.push(described({kind: 'cidrIpv6', value: range.get('CidrIpv6') ?? ''} as const, range.get('Description')))
  }
  for (const list of structureList(row, 'PrefixListIds')) {
    peers.push(described({kind: 'prefixListId', value: list.get('PrefixListId') ?? ''} as const, list.get('Description')))
  }
  // The SDKs send UserIdGroupPairs under its wire name, `Groups.M`.
  for (const pair of [...structureList(row, 'Groups'), ...structureList(row, 'UserIdGroupPairs')]) {
    const groupId = optionalString(pair, 'GroupId')
    const groupName = optionalString(pair, 'GroupName')
    peers.push(described({kind: 'group', ...(groupId === undefined ? {} : {groupId}), ...(groupName === undefined ? {} : {groupName})} as const, pair.get('Description')))
  }
  return peers
}

function permissionOf(row: QueryParams, peers: readonly PeerInput[]): PermissionInput {
  const ipProtocol = optionalString(row, 'IpProtocol')
  const fromPort = optionalInteger(row, 'FromPort')
  const toPort = optionalInteger(row, 'ToPort')
  return {
    ...(ipProtocol === undefined ? {} : {ipProtocol}),
    ...(fromPort === undefined ? {} : {fromPort}),
    ...(toPort === undefined ? {} : {toPort}),
    peers,
  }
}

/**
 * The permissions of an Authorize/Revoke/Update call. Without `IpPermissions.N`, the legacy flat
 * parameters; a flat `SourceSecurityGroupName` without a protocol admits all TCP, UDP and ICMP from
 * that group, as EC2 documents for it.
 */
export function permissionsOf(params: QueryParams): PermissionInput[] {
  const rows = structureList(params, 'IpPermissions')
  if (rows.length > 0) return rows.map((row) => permissionOf(row, peersOf(row)))
  const cidr = optionalString(params, 'CidrIp')
  const sourceGroup = optionalString(params, 'SourceSecurityGroupName')
  if (cidr === undefined && sourceGroup === undefined) return []
  const peer: PeerInput = cidr !== undefined ? {kind: 'cidrIpv4', value: cidr} : {kind: 'group', groupName: sourceGroup ?? ''}
  if (cidr === undefined && optionalString(params, 'IpProtocol') === undefined) {
    return [
      {ipProtocol: 'tcp', fromPort: 0, toPort: 65535, peers: [peer]},
      {ipProtocol: 'udp', fromPort: 0, toPort: 65535, peers: [peer]},
      {ipProtocol: 'icmp', fromPort: -1, toPort: -1, peers: [peer]},
    ]
  }
  return [permissionOf(params, [peer])]
}

/** `GroupId`, else `GroupName` (default VPC). */
export function groupReferenceOf(params: QueryParams): GroupReference {
  const groupId = optionalString(params, 'GroupId')
  if (groupId !== undefined) return {groupId}
  const groupName = optionalString(params, 'GroupName')
  if (groupName !== undefined) return {groupName}
  throw new MissingParameter('The request must contain the parameter groupName or groupId')
}

const RULE_MEMBER = 'SecurityGroupRule.'

/** ModifySecurityGroupRules' `SecurityGroupRule.N.{SecurityGroupRuleId, SecurityGroupRule.*}`. */
export function ruleReplacementsOf(params: QueryParams): RuleReplacement[] {
  return structureList(params, 'SecurityGroupRule').map((row) => {
    const ruleId = optionalString(row, 'SecurityGroupRuleId')
    if (ruleId === undefined) throw new MissingParameter('The request must contain the parameter SecurityGroupRuleId')
    const spec = new Map<string, string>()
    for (const [key, value] of row) if (key.startsWith(RULE_MEMBER)) spec.set(key.slice(RULE_MEMBER.length), value)
    const description = spec.get('Description')
    const peer = (): PeerInput | undefined => {
      const cidrIpv4 = optionalString(spec, 'CidrIpv4')
      if (cidrIpv4 !== undefined) return {kind: 'cidrIpv4', value: cidrIpv4}
      const cidrIpv6 = optionalString(spec, 'CidrIpv6')
      if (cidrIpv6 !== undefined) return {kind: 'cidrIpv6', value: cidrIpv6}
      const prefixListId = optionalString(spec, 'PrefixListId')
      if (prefixListId !== undefined) return {kind: 'prefixListId', value: prefixListId}
      const groupId = optionalString(spec, 'ReferencedGroupId')
      return groupId === undefined ? undefined : {kind: 'group', groupId}
    }
    const found = peer()
    return {ruleId, permission: permissionOf(spec, found === undefined ? [] : [described(found, description)])}
  })
}

/** UpdateSecurityGroupRuleDescriptions*' `SecurityGroupRuleDescriptions.N` → rule id → description. */
export function ruleDescriptionsOf(params: QueryParams): Map<string, string | undefined> {
  return new Map(structureList(params, 'SecurityGroupRuleDescriptions').map((row) => [row.get('SecurityGroupRuleId') ?? '', row.get('Description')]))
}
