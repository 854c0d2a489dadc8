import type {Draft} from '../draft.js'
import {errorClass, InvalidParameterValue, MissingParameter} from '../errors.js'
import type {SecurityGroupRecord, SecurityGroupRuleRecord, VpcRecord} from '../network-types.js'
import type {TagRecord} from '../types.js'
import {DependencyViolation, InvalidVpcIdNotFound} from './errors.js'
import {isResourceId} from './ids.js'
import type {NetworkModel} from './network-model.js'
import {
  checkDescription, checkNewRules, expandPermissions, InvalidPermissionNotFound, ruleKey, type Direction, type PermissionInput, type RuleSpec,
} from './security-group-rules.js'

/**
 * The security groups of a VPC account, per region: create, delete, authorize and revoke rules,
 * edit rules by id. Rules and state only; the EC2 Query layer (ec2/security-groups.ts) reads the
 * parameters and writes the answers. Every write is one store update that touches one group (or
 * none, when it is refused).
 */

export const InvalidGroupNotFound = errorClass('InvalidGroup.NotFound')
export const InvalidGroupDuplicate = errorClass('InvalidGroup.Duplicate')
export const InvalidGroupIdMalformed = errorClass('InvalidGroupId.Malformed')
export const VpcIdNotSpecified = errorClass('VPCIdNotSpecified')
export const CannotDelete = errorClass('CannotDelete')
export const SecurityGroupLimitExceeded = errorClass('SecurityGroupLimitExceeded')
export const InvalidSecurityGroupRuleIdNotFound = errorClass('InvalidSecurityGroupRuleId.NotFound')
export const InvalidSecurityGroupRuleIdMalformed = errorClass('InvalidSecurityGroupRuleId.Malformed')

/** AWS's default quota: 2,500 VPC security groups per Region. */
export const MAX_GROUPS_PER_REGION = 2500
const MAX_NAME = 255
/** What EC2 accepts in a VPC group's name and description. */
const GROUP_TEXT = /^[\w .\-:/()#,@[\]+=&;{}!$*]*$/
export const isGroupId = (id: string): boolean => isResourceId('sg', id)
const isRuleId = (id: string): boolean => isResourceId('sgr', id)

/** A group as a request names it: by id, or by name (in the default VPC). */
export type GroupReference = {readonly groupId: string} | {readonly groupName: string}

export interface CreateGroupInput {
  readonly groupName: string | undefined
  readonly description: string | undefined
  readonly vpcId: string | undefined
  readonly tags: readonly TagRecord[]
}

/** ModifySecurityGroupRules' replacement for one rule. */
export interface RuleReplacement {
  readonly ruleId: string
  readonly permission: PermissionInput
}

export class SecurityGroupService {
  /** Reads and writes go through the Region's network (NetworkModel: a VPC account's default VPC is there from the start). */
  constructor(private readonly network: NetworkModel) {}

  groups(region: string): readonly SecurityGroupRecord[] {
    return this.network.network(region).securityGroups
  }

  defaultVpc(region: string): VpcRecord | undefined {
    return this.network.network(region).vpcs.find((vpc) => vpc.isDefault)
  }

  /** The group a request names; InvalidGroup.NotFound (in EC2's words for ids and for names) when there is none. */
  group(region: string, reference: GroupReference): SecurityGroupRecord {
    if ('groupId' in reference) {
      if (!isGroupId(reference.groupId)) throw new InvalidGroupIdMalformed(`Invalid id: "${reference.groupId}" (expecting "sg-...")`)
      const found = this.groups(region).find((g) => g.groupId === reference.groupId)
      if (found === undefined) throw new InvalidGroupNotFound(`The security group '${reference.groupId}' does not exist`)
      return found
    }
    const vpc = this.defaultVpc(region)
    const found = vpc === undefined ? undefined : this.groups(region).find((g) => g.vpcId === vpc.vpcId && g.groupName === reference.groupName)
    if (found === undefined) throw new InvalidGroupNotFound(`The security group '${reference.groupName}' does not exist in default VPC '${vpc?.vpcId ?? 'none'}'`)
    return found
  }

  createSecurityGroup(region: string, input: CreateGroupInput): SecurityGroupRecord {
    const name = input.groupName
    if (name === undefined) throw new MissingParameter('The request must contain the parameter groupName')
    if (input.description === undefined) throw new MissingParameter('The request must contain the parameter groupDescription')
    checkGroupText('GroupName', name)
    checkGroupText('GroupDescription', input.description)
    if (name.toLowerCase().startsWith('sg-')) throw new InvalidParameterValue('Group names may not be in the format sg-*.')
    const network = this.network.network(region)
    const vpc = input.vpcId === undefined ? this.defaultVpc(region) : network.vpcs.find((v) => v.vpcId === input.vpcId)
    if (vpc === undefined) {
      if (input.vpcId === undefined) throw new VpcIdNotSpecified('No default VPC for this user')
      throw new InvalidVpcIdNotFound(`The vpc ID '${input.vpcId}' does not exist`)
    }
    if (network.securityGroups.some((g) => g.vpcId === vpc.vpcId && g.groupName === name)) {
      throw new InvalidGroupDuplicate(`The security group '${name}' already exists for VPC '${vpc.vpcId}'`)
    }
    if (network.securityGroups.length >= MAX_GROUPS_PER_REGION) throw new SecurityGroupLimitExceeded('The maximum number of security groups has been reached.')
    // A new VPC group lets everything out and nothing in, as EC2 creates it.
    const record: SecurityGroupRecord = {
      groupId: this.network.ids('sg'),
      groupName: name,
      description: input.description,
      vpcId: vpc.vpcId,
      ingress: [],
      egress: [{ruleId: this.network.ids('sgr'), ipProtocol: '-1', fromPort: -1, toPort: -1, cidrIpv4: '0.0.0.0/0'}],
      tags: input.tags,
    }
    this.network.update(region, (draft) => { draft.securityGroups.push(record as Draft<SecurityGroupRecord>) })
    return record
  }

  deleteSecurityGroup(region: string, reference: GroupReference): SecurityGroupRecord {
    const group = this.group(region, reference)
    if (group.groupName === 'default') throw new CannotDelete(`the specified group: "${group.groupId}" name: "default" cannot be deleted by a user`)
    const regionState = this.network.region(region)
    const dependent = () => new DependencyViolation(`resource ${group.groupId} has a dependent object`)
    const references = (rule: SecurityGroupRuleRecord) => rule.referencedGroupId === group.groupId
    for (const other of this.groups(region)) {
      if (other !== group && (other.ingress.some(references) || other.egress.some(references))) throw dependent()
    }
    if (regionState.instances.some((i) => i.state !== 'terminated' && (i.securityGroupIds ?? []).includes(group.groupId))) throw dependent()
    if (regionState.loadBalancers.some((lb) => lb.securityGroups.includes(group.groupId))) throw dependent()
    this.network.update(region, (draft, base) => { draft.securityGroups.splice(base.securityGroups.findIndex((g) => g.groupId === group.groupId), 1) })
    return group
  }

  /** Adds rules; answers the rules made (AuthorizeSecurityGroupIngress/Egress' securityGroupRuleSet). */
  authorize(region: string, reference: GroupReference, direction: Direction, permissions: readonly PermissionInput[]): {group: SecurityGroupRecord; rules: SecurityGroupRuleRecord[]} {
    const group = this.group(region, reference)
    const specs = expandPermissions(permissions, (peer) => this.peerGroupId(region, peer))
    if (specs.length === 0) throw new MissingParameter('The request must contain the parameter ipPermissions')
    checkNewRules(group[direction], specs)
    const rules = specs.map((spec) => ({ruleId: this.network.ids('sgr'), ...spec}))
    this.editGroup(region, group.groupId, (draft) => { draft[direction].push(...rules) })
    return {group, rules}
  }

  /**
   * Removes the rules `permissions` name. None of them exists: InvalidPermission.NotFound; some do:
   * those go, and the others are answered back (`unknown`), as EC2's unknownIpPermissionSet.
   */
  revoke(region: string, reference: GroupReference, direction: Direction, permissions: readonly PermissionInput[], ruleIds: readonly string[]): {unknown: RuleSpec[]} {
    const group = this.group(region, reference)
    const specs = expandPermissions(permissions, (peer) => this.peerGroupId(region, peer))
    const existing = group[direction]
    for (const id of ruleIds) {
      if (!isRuleId(id)) throw new InvalidSecurityGroupRuleIdMalformed(`Invalid id: "${id}" (expecting "sgr-...")`)
      if (!existing.some((rule) => rule.ruleId === id)) throw new InvalidSecurityGroupRuleIdNotFound(`The security group rule ID '${id}' does not exist`)
    }
    const wanted = new Set(specs.map(ruleKey))
    const byId = new Set(ruleIds)
    const gone = existing.filter((rule) => wanted.has(ruleKey(rule)) || byId.has(rule.ruleId))
    const present = new Set(gone.map(ruleKey))
    const unknown = specs.filter((spec) => !present.has(ruleKey(spec)))
    if (gone.length === 0) throw new InvalidPermissionNotFound('The specified rule does not exist in this security group.')
    const kept = existing.filter((rule) => !gone.includes(rule))
    this.editGroup(region, group.groupId, (draft) => { draft[direction] = kept })
    return {unknown}
  }

  /** ModifySecurityGroupRules: each named rule (ingress or egress) replaced in place, keeping its id. */
  modifyRules(region: string, groupId: string, replacements: readonly RuleReplacement[]): void {
    const group = this.group(region, {groupId})
    if (replacements.length === 0) throw new MissingParameter('The request must contain the parameter SecurityGroupRule')
    const next = {ingress: [...group.ingress], egress: [...group.egress]}
    for (const replacement of replacements) {
      const direction: Direction | undefined = next.ingress.some((r) => r.ruleId === replacement.ruleId) ? 'ingress'
        : next.egress.some((r) => r.ruleId === replacement.ruleId) ? 'egress' : undefined
      if (direction === undefined) {
        if (!isRuleId(replacement.ruleId)) throw new InvalidSecurityGroupRuleIdMalformed(`Invalid id: "${replacement.ruleId}" (expecting "sgr-...")`)
        throw new InvalidSecurityGroupRuleIdNotFound(`The security group rule ID '${replacement.ruleId}' does not exist`)
      }
      const [spec] = expandPermissions([replacement.permission], (peer) => this.peerGroupId(region, peer))
      if (spec === undefined) throw new MissingParameter('The request must contain a peer: CidrIpv4, CidrIpv6, PrefixListId or ReferencedGroupId')
      const others = next[direction].filter((r) => r.ruleId !== replacement.ruleId)
      checkNewRules(others, [spec])
      next[direction] = next[direction].map((r) => (r.ruleId === replacement.ruleId ? {ruleId: r.ruleId, ...spec} : r))
    }
    this.editGroup(region, group.groupId, (draft) => {
      draft.ingress = next.ingress
      draft.egress = next.egress
    })
  }

  /**
   * UpdateSecurityGroupRuleDescriptionsIngress/Egress: the description of each rule named by its
   * permission (or id) is replaced; a permission that names no rule is InvalidPermission.NotFound.
   */
  updateDescriptions(region: string, reference: GroupReference, direction: Direction, permissions: readonly PermissionInput[], byId: ReadonlyMap<string, string | undefined>): void {
    const group = this.group(region, reference)
    const specs = expandPermissions(permissions, (peer) => this.peerGroupId(region, peer))
    const descriptions = new Map(specs.map((spec) => [ruleKey(spec), spec.description]))
    for (const [id, description] of byId) {
      checkDescription(description)
      if (!group[direction].some((rule) => rule.ruleId === id)) throw new InvalidSecurityGroupRuleIdNotFound(`The security group rule ID '${id}' does not exist`)
    }
    const keys = new Set(group[direction].map(ruleKey))
    if (specs.some((spec) => !keys.has(ruleKey(spec)))) throw new InvalidPermissionNotFound('The specified rule does not exist in this security group.')
    if (specs.length === 0 && byId.size === 0) throw new MissingParameter('The request must contain the parameter ipPermissions')
    const described = group[direction].map((rule) => {
      const key = ruleKey(rule)
      if (!descriptions.has(key) && !byId.has(rule.ruleId)) return rule
      const description = byId.has(rule.ruleId) ? byId.get(rule.ruleId) : descriptions.get(key)
      const {ruleId, ipProtocol, fromPort, toPort, cidrIpv4, cidrIpv6, referencedGroupId, prefixListId} = rule
      const bare = {ruleId, ipProtocol, fromPort, toPort, ...defined({cidrIpv4, cidrIpv6, referencedGroupId, prefixListId})}
      return description === undefined || description === '' ? bare : {...bare, description}
    })
    this.editGroup(region, group.groupId, (draft) => { draft[direction] = described })
  }

  /** A referenced group's id: by id anywhere in the region, by name in the default VPC. */
  private peerGroupId(region: string, peer: {groupId?: string; groupName?: string}): string {
    if (peer.groupId !== undefined) return this.group(region, {groupId: peer.groupId}).groupId
    if (peer.groupName !== undefined) return this.group(region, {groupName: peer.groupName}).groupId
    throw new MissingParameter('The request must contain the parameter groupId or groupName of the UserIdGroupPair')
  }

  private editGroup(region: string, groupId: string, edit: (draft: Draft<SecurityGroupRecord>) => void): void {
    this.network.update(region, (draft, base) => {
      const group = draft.securityGroups[base.securityGroups.findIndex((g) => g.groupId === groupId)]
      if (group !== undefined) edit(group)
    })
  }
}

/** The members of `record` that are set. */
function defined<T extends object>(record: T): Partial<T> {
  return Object.fromEntries(Object.entries(record).filter(([, value]) => value !== undefined)) as Partial<T>
}

function checkGroupText(parameter: 'GroupName' | 'GroupDescription', text: string): void {
  if (Array.from(text).length > MAX_NAME) {
    throw new InvalidParameterValue(`Value (${text.slice(0, 300)}) for parameter ${parameter} is invalid. Value exceeds the maximum length of ${MAX_NAME} characters.`)
  }
   
  if (!/^[\x20-\x7e]*$/.test(text)) throw new InvalidParameterValue(`Value (${text}) for parameter ${parameter} is invalid. Character sets beyond ASCII are not supported.`)
  if (!GROUP_TEXT.test(text)) {
    throw new InvalidParameterValue(`Value (${text}) for parameter ${parameter} is invalid. Valid characters are a-z, A-Z, 0-9, spaces, and ._-:/()#,@[]+=&;{}!$*`)
  }
}
