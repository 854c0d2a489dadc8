import type {SecurityGroupRecord, SecurityGroupRuleRecord} from '../model/network-types.js'
import type {RuleSpec} from '../model/network/security-group-rules.js'
import {
  InvalidGroupIdMalformed, isGroupId, InvalidGroupNotFound, InvalidSecurityGroupRuleIdNotFound, type SecurityGroupService,
} from '../model/network/security-groups.js'
import {platformOf} from '../model/network/default-vpc.js'
import type {Store} from '../model/store.js'
import type {RequestContext, TagRecord} from '../model/types.js'
import {filterBy, paginate, type Matchers} from './filtering.js'
import {specificationTags} from './launch-tags.js'
import {dryRun} from './network/dry-run.js'
import {filters, optionalString, stringList, type QueryParams} from './params.js'
import {groupReferenceOf, permissionsOf, ruleDescriptionsOf, ruleReplacementsOf} from './security-group-params.js'
import {securityGroups as classicGroups, tagSet, type Wire} from './views.js'

/**
 * EC2's security-group Actions (2016-11-15) over the model's SecurityGroupService: parameters in,
 * AWS's element names out. On an EC2-Classic account DescribeSecurityGroups also lists the two
 * groups that account has always had (`default` and ELB's `amazon-elb-sg`, views.ts); the groups of
 * VPCs are records of the region's network state.
 */

/** A group as listed: its owner (ELB's own source group is `amazon-elb`'s) and its record. */
interface ListedGroup {
  readonly ownerId: string
  readonly record: SecurityGroupRecord
}

interface ListedRule {
  readonly group: SecurityGroupRecord
  readonly egress: boolean
  readonly rule: SecurityGroupRuleRecord
}

export class Ec2SecurityGroups {
  constructor(private readonly store: Store, private readonly model: SecurityGroupService) {}

  private get accountId(): string {
    return this.store.state.accountId
  }

  private get classic(): boolean {
    return platformOf(this.store.state) === 'ec2-classic'
  }

  createSecurityGroup(ctx: RequestContext, params: QueryParams): Wire {
    const tags = specificationTags(params, 'security-group')
    dryRun(params)
    const group = this.model.createSecurityGroup(ctx.region, {
      groupName: optionalString(params, 'GroupName'),
      description: params.get('GroupDescription'),
      vpcId: optionalString(params, 'VpcId'),
      tags,
    })
    return {
      return: true,
      groupId: group.groupId,
      ...(tags.length > 0 ? {tagSet: tagSet(tags)} : {}),
      securityGroupArn: this.arn(ctx.region, 'security-group', group.groupId),
    }
  }

  deleteSecurityGroup(ctx: RequestContext, params: QueryParams): Wire {
    const reference = groupReferenceOf(params)
    this.model.group(ctx.region, reference)
    dryRun(params)
    const group = this.model.deleteSecurityGroup(ctx.region, reference)
    return {return: true, groupId: group.groupId}
  }

  describeSecurityGroups(ctx: RequestContext, params: QueryParams): Wire {
    const all = this.listed(ctx.region)
    const byId = new Map(all.map((g) => [g.record.groupId, g.record]))
    const names = new Set(stringList(params, 'GroupName'))
    const ids = new Set(stringList(params, 'GroupId'))
    const defaultVpc = this.model.defaultVpc(ctx.region)?.vpcId
    // Names are looked up in the default VPC (EC2-Classic: among the account's classic groups).
    const defaultNames = new Set(all.filter((g) => g.record.vpcId === defaultVpc).map((g) => g.record.groupName))
    for (const id of ids) {
      if (!isGroupId(id)) throw new InvalidGroupIdMalformed(`Invalid id: "${id}" (expecting "sg-...")`)
      if (!byId.has(id)) throw new InvalidGroupNotFound(`The security group '${id}' does not exist`)
    }
    for (const name of names) {
      if (!defaultNames.has(name)) throw new InvalidGroupNotFound(`The security group '${name}' does not exist in default VPC '${defaultVpc ?? 'none'}'`)
    }
    const named = all.filter((g) => (names.size === 0 || (g.record.vpcId === defaultVpc && names.has(g.record.groupName))) && (ids.size === 0 || ids.has(g.record.groupId)))
    const selected = filterBy(named, filters(params), this.groupMatchers(byId))
    const page = paginate(selected, params, 'DescribeSecurityGroups')
    return {
      securityGroupInfo: page.items.map((g) => this.groupView(g, byId)),
      ...(page.nextToken === undefined ? {} : {nextToken: page.nextToken}),
    }
  }

  authorizeSecurityGroupIngress(ctx: RequestContext, params: QueryParams): Wire {
    return this.authorize(ctx, params, 'ingress')
  }

  authorizeSecurityGroupEgress(ctx: RequestContext, params: QueryParams): Wire {
    return this.authorize(ctx, params, 'egress')
  }

  revokeSecurityGroupIngress(ctx: RequestContext, params: QueryParams): Wire {
    return this.revoke(ctx, params, 'ingress')
  }

  revokeSecurityGroupEgress(ctx: RequestContext, params: QueryParams): Wire {
    return this.revoke(ctx, params, 'egress')
  }

  updateSecurityGroupRuleDescriptionsIngress(ctx: RequestContext, params: QueryParams): Wire {
    return this.updateDescriptions(ctx, params, 'ingress')
  }

  updateSecurityGroupRuleDescriptionsEgress(ctx: RequestContext, params: QueryParams): Wire {
    return this.updateDescriptions(ctx, params, 'egress')
  }

  modifySecurityGroupRules(ctx: RequestContext, params: QueryParams): Wire {
    const groupId = optionalString(params, 'GroupId') ?? ''
    const replacements = ruleReplacementsOf(params)
    dryRun(params)
    this.model.modifyRules(ctx.region, groupId, replacements)
    return {return: true}
  }

  describeSecurityGroupRules(ctx: RequestContext, params: QueryParams): Wire {
    const rules: ListedRule[] = this.model.groups(ctx.region).flatMap((group) => [
      ...group.ingress.map((rule) => ({group, egress: false, rule})),
      ...group.egress.map((rule) => ({group, egress: true, rule})),
    ])
    const ids = new Set(stringList(params, 'SecurityGroupRuleId'))
    const known = new Set(rules.map((r) => r.rule.ruleId))
    for (const id of ids) {
      if (!known.has(id)) throw new InvalidSecurityGroupRuleIdNotFound(`The security group rule ID '${id}' does not exist`)
    }
    const named = ids.size === 0 ? rules : rules.filter((r) => ids.has(r.rule.ruleId))
    const selected = filterBy(named, filters(params), {
      'group-id': (r) => [r.group.groupId],
      'security-group-rule-id': (r) => [r.rule.ruleId],
      // Rules carry no tags of their own here: tag filters match none.
      'tag-key': () => [],
      'tag:': () => [],
    })
    const page = paginate(selected, params, 'DescribeSecurityGroupRules')
    return {
      securityGroupRuleSet: page.items.map((r) => this.ruleView(ctx.region, r.group.groupId, r.egress, r.rule)),
      ...(page.nextToken === undefined ? {} : {nextToken: page.nextToken}),
    }
  }

  private authorize(ctx: RequestContext, params: QueryParams, direction: 'ingress' | 'egress'): Wire {
    const reference = groupReferenceOf(params)
    const permissions = permissionsOf(params)
    dryRun(params)
    const {group, rules} = this.model.authorize(ctx.region, reference, direction, permissions)
    return {return: true, securityGroupRuleSet: rules.map((rule) => this.ruleView(ctx.region, group.groupId, direction === 'egress', rule))}
  }

  private revoke(ctx: RequestContext, params: QueryParams, direction: 'ingress' | 'egress'): Wire {
    const reference = groupReferenceOf(params)
    const permissions = permissionsOf(params)
    const ruleIds = stringList(params, 'SecurityGroupRuleId')
    dryRun(params)
    const {unknown} = this.model.revoke(ctx.region, reference, direction, permissions, ruleIds)
    return {return: true, ...(unknown.length > 0 ? {unknownIpPermissionSet: this.permissionsView(unknown)} : {})}
  }

  private updateDescriptions(ctx: RequestContext, params: QueryParams, direction: 'ingress' | 'egress'): Wire {
    const reference = groupReferenceOf(params)
    const permissions = permissionsOf(params)
    const byId = ruleDescriptionsOf(params)
    dryRun(params)
    this.model.updateDescriptions(ctx.region, reference, direction, permissions, byId)
    return {return: true}
  }

  /** EC2-Classic's two fixed groups (today's answer), then the records of the region's VPCs. */
  private listed(region: string): ListedGroup[] {
    const classic: ListedGroup[] = this.classic
      ? classicGroups(this.accountId).map((g) => ({
        ownerId: g.ownerId,
        record: {groupId: g.groupId, groupName: g.groupName, description: g.groupDescription, ingress: [], egress: [], tags: []},
      }))
      : []
    return [...classic, ...this.model.groups(region).map((record) => ({ownerId: this.accountId, record}))]
  }

  private groupView({ownerId, record}: ListedGroup, byId: ReadonlyMap<string, SecurityGroupRecord>): Wire {
    return {
      ownerId,
      groupId: record.groupId,
      groupName: record.groupName,
      groupDescription: record.description,
      ipPermissions: this.permissionsView(record.ingress, byId),
      ipPermissionsEgress: this.permissionsView(record.egress, byId),
      ...(record.vpcId === undefined ? {} : {vpcId: record.vpcId}),
      ...(record.tags.length > 0 ? {tagSet: tagSet(record.tags)} : {}),
    }
  }

  /** Rules grouped back into IpPermissions: one per protocol and port range, its peers in rule order. */
  private permissionsView(rules: readonly RuleSpec[], byId?: ReadonlyMap<string, SecurityGroupRecord>): Wire[] {
    const permissions = new Map<string, {rule: RuleSpec; groups: Wire[]; ipRanges: Wire[]; ipv6Ranges: Wire[]; prefixListIds: Wire[]}>()
    for (const rule of rules) {
      const key = `${rule.ipProtocol}|${rule.fromPort}|${rule.toPort}`
      let permission = permissions.get(key)
      if (permission === undefined) permissions.set(key, permission = {rule, groups: [], ipRanges: [], ipv6Ranges: [], prefixListIds: []})
      const description = rule.description === undefined ? {} : {description: rule.description}
      if (rule.cidrIpv4 !== undefined) permission.ipRanges.push({cidrIp: rule.cidrIpv4, ...description})
      if (rule.cidrIpv6 !== undefined) permission.ipv6Ranges.push({cidrIpv6: rule.cidrIpv6, ...description})
      if (rule.prefixListId !== undefined) permission.prefixListIds.push({prefixListId: rule.prefixListId, ...description})
      if (rule.referencedGroupId !== undefined) {
        const peer = byId?.get(rule.referencedGroupId)
        permission.groups.push({
          ...description, userId: this.accountId, groupId: rule.referencedGroupId,
          ...(peer?.vpcId === undefined ? {} : {groupName: peer.groupName, vpcId: peer.vpcId}),
        })
      }
    }
    return [...permissions.values()].map(({rule, groups, ipRanges, ipv6Ranges, prefixListIds}) => ({
      ipProtocol: rule.ipProtocol,
      ...(portsShown(rule) ? {fromPort: rule.fromPort, toPort: rule.toPort} : {}),
      groups, ipRanges, ipv6Ranges, prefixListIds,
    }))
  }

  private ruleView(region: string, groupId: string, egress: boolean, rule: SecurityGroupRuleRecord): Wire {
    return {
      securityGroupRuleId: rule.ruleId,
      groupId,
      groupOwnerId: this.accountId,
      isEgress: egress,
      ipProtocol: rule.ipProtocol,
      fromPort: rule.fromPort,
      toPort: rule.toPort,
      ...(rule.cidrIpv4 === undefined ? {} : {cidrIpv4: rule.cidrIpv4}),
      ...(rule.cidrIpv6 === undefined ? {} : {cidrIpv6: rule.cidrIpv6}),
      ...(rule.prefixListId === undefined ? {} : {prefixListId: rule.prefixListId}),
      ...(rule.referencedGroupId === undefined ? {} : {referencedGroupInfo: {groupId: rule.referencedGroupId, userId: this.accountId}}),
      ...(rule.description === undefined ? {} : {description: rule.description}),
      tagSet: [],
      securityGroupRuleArn: this.arn(region, 'security-group-rule', rule.ruleId),
    }
  }

  private groupMatchers(byId: ReadonlyMap<string, SecurityGroupRecord>): Matchers<ListedGroup> {
    const rules = (direction: 'ingress' | 'egress') => (pick: (rule: SecurityGroupRuleRecord) => string | undefined) => (g: ListedGroup) =>
      g.record[direction].flatMap((rule) => pick(rule) ?? [])
    const nameOf = (id: string | undefined) => (id === undefined ? undefined : byId.get(id)?.groupName)
    const permissionMatchers = (prefix: string, direction: 'ingress' | 'egress'): Matchers<ListedGroup> => {
      const of = rules(direction)
      return {
        [`${prefix}.cidr`]: of((r) => r.cidrIpv4),
        [`${prefix}.ipv6-cidr`]: of((r) => r.cidrIpv6),
        [`${prefix}.prefix-list-id`]: of((r) => r.prefixListId),
        [`${prefix}.group-id`]: of((r) => r.referencedGroupId),
        [`${prefix}.group-name`]: of((r) => nameOf(r.referencedGroupId)),
        [`${prefix}.user-id`]: of((r) => (r.referencedGroupId === undefined ? undefined : this.accountId)),
        [`${prefix}.protocol`]: of((r) => r.ipProtocol),
        [`${prefix}.from-port`]: of((r) => String(r.fromPort)),
        [`${prefix}.to-port`]: of((r) => String(r.toPort)),
      }
    }
    return {
      'group-name': (g) => [g.record.groupName],
      'group-id': (g) => [g.record.groupId],
      'owner-id': (g) => [g.ownerId],
      'description': (g) => [g.record.description],
      'vpc-id': (g) => (g.record.vpcId === undefined ? [] : [g.record.vpcId]),
      'tag-key': (g) => g.record.tags.map((t) => t.key),
      'tag-value': (g) => g.record.tags.map((t) => t.value ?? ''),
      'tag:': (g, key) => g.record.tags.filter((t: TagRecord) => t.key === key).map((t) => t.value ?? ''),
      ...permissionMatchers('ip-permission', 'ingress'),
      ...permissionMatchers('egress.ip-permission', 'egress'),
    }
  }

  private arn(region: string, type: string, id: string): string {
    return `arn:aws:ec2:${region}:${this.accountId}:${type}/${id}`
  }
}

/** EC2 leaves the ports out of an all-protocol permission (and of protocols without ports). */
function portsShown(rule: RuleSpec): boolean {
  return rule.ipProtocol === 'tcp' || rule.ipProtocol === 'udp' || rule.ipProtocol === 'icmp' || rule.ipProtocol === 'icmpv6'
}
