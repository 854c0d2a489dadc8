import {afterAll, beforeAll, describe, expect, test} from '@jest/globals'
import {
  AuthorizeSecurityGroupEgressCommand,
  AuthorizeSecurityGroupIngressCommand,
  CreateSecurityGroupCommand,
  DeleteSecurityGroupCommand,
  DescribeSecurityGroupRulesCommand,
  DescribeSecurityGroupsCommand,
  EC2Client,
  ModifySecurityGroupRulesCommand,
  RevokeSecurityGroupEgressCommand,
  RevokeSecurityGroupIngressCommand,
  UpdateSecurityGroupRuleDescriptionsIngressCommand,
} from '@aws-sdk/client-ec2'
import {request} from 'node:http'
import {ec2Rejection} from '../../helpers/api-server.js'
import {startTestEngine, TEST_CREDENTIALS, type TestEngine} from '../../helpers/engine.js'
import {ensureDefaultNetwork, type DefaultNetwork} from '../../helpers/vpc-records.js'

/** The security-group Actions of the EC2 Query API through the real SDK v3 client, against the whole engine. */

let api: TestEngine
let ec2: EC2Client

beforeAll(async () => {
  api = await startTestEngine()
  ec2 = new EC2Client({endpoint: api.endpoint, region: api.region, credentials: TEST_CREDENTIALS, maxAttempts: 1})
})

afterAll(async () => {
  ec2.destroy()
  await api.close()
})

async function expectError(promise: Promise<unknown>, code: string, message: string | RegExp): Promise<void> {
  const error = await ec2Rejection(promise)
  expect(error.name).toBe(code)
  expect(error.$metadata.httpStatusCode).toBe(400)
  if (typeof message === 'string') expect(error.message).toBe(message)
  else expect(error.message).toMatch(message)
}

function rawQuery(params: Record<string, string>): Promise<{status: number; text: string}> {
  const body = new URLSearchParams({Version: '2016-11-15', ...params}).toString()
  return new Promise((resolve, reject) => {
    const req = request(`${api.endpoint}/`, {method: 'POST', headers: {'Content-Type': 'application/x-www-form-urlencoded'}}, (res) => {
      let text = ''
      res.setEncoding('utf8')
      res.on('data', (chunk: string) => { text += chunk })
      res.on('end', () => { resolve({status: res.statusCode ?? 0, text}) })
    })
    req.on('error', reject)
    req.end(body)
  })
}

describe('on an EC2-Classic account (the engine\'s 2011 world)', () => {
  test('DescribeSecurityGroups answers the classic default and amazon-elb-sg groups, and there is no default VPC to create one in', async () => {
    const classic = await startTestEngine({platform: 'ec2-classic'})
    const client = new EC2Client({endpoint: classic.endpoint, region: classic.region, credentials: TEST_CREDENTIALS, maxAttempts: 1})
    try {
      const all = await client.send(new DescribeSecurityGroupsCommand({}))
      expect(all.SecurityGroups?.map((g) => [g.GroupName, g.OwnerId, g.VpcId])).toEqual([['default', '123456789012', undefined], ['amazon-elb-sg', 'amazon-elb', undefined]])
      const elbGroup = await client.send(new DescribeSecurityGroupsCommand({GroupNames: ['amazon-elb-sg']}))
      expect(elbGroup.SecurityGroups?.[0]).toMatchObject({GroupName: 'amazon-elb-sg', OwnerId: 'amazon-elb', IpPermissions: [], IpPermissionsEgress: []})
      const byOwner = await client.send(new DescribeSecurityGroupsCommand({Filters: [{Name: 'owner-id', Values: ['amazon-elb']}]}))
      expect(byOwner.SecurityGroups?.map((g) => g.GroupName)).toEqual(['amazon-elb-sg'])
      await expectError(client.send(new CreateSecurityGroupCommand({GroupName: 'web', Description: 'web'})), 'VPCIdNotSpecified', 'No default VPC for this user')
    } finally {
      client.destroy()
      await classic.close()
    }
  })
})

describe('in a VPC', () => {
  let network: DefaultNetwork

  beforeAll(() => {
    network = ensureDefaultNetwork(api.engine.store, api.region)
  })

  test('CreateSecurityGroup makes a group in the default VPC that lets everything out and nothing in', async () => {
    const created = await ec2.send(new CreateSecurityGroupCommand({
      GroupName: 'web', Description: 'web servers',
      TagSpecifications: [{ResourceType: 'security-group', Tags: [{Key: 'Name', Value: 'web'}]}],
    }))
    expect(created.GroupId).toMatch(/^sg-[0-9a-f]{17}$/)
    expect(created.Tags).toEqual([{Key: 'Name', Value: 'web'}])
    expect(created.SecurityGroupArn).toBe(`arn:aws:ec2:us-east-1:123456789012:security-group/${created.GroupId ?? ''}`)
    const [group] = (await ec2.send(new DescribeSecurityGroupsCommand({GroupIds: [created.GroupId ?? '']}))).SecurityGroups ?? []
    expect(group).toEqual({
      OwnerId: '123456789012', GroupId: created.GroupId, GroupName: 'web', Description: 'web servers', VpcId: network.vpc.vpcId,
      IpPermissions: [],
      IpPermissionsEgress: [{IpProtocol: '-1', UserIdGroupPairs: [], IpRanges: [{CidrIp: '0.0.0.0/0'}], Ipv6Ranges: [], PrefixListIds: []}],
      Tags: [{Key: 'Name', Value: 'web'}],
    })
    // Named lookups are in the default VPC; the classic groups are gone on a VPC account.
    const byName = await ec2.send(new DescribeSecurityGroupsCommand({GroupNames: ['web', 'default']}))
    expect(byName.SecurityGroups?.map((g) => g.GroupName).sort()).toEqual(['default', 'web'])
  })

  test('CreateSecurityGroup refuses duplicates, unknown VPCs and bad names with EC2\'s codes', async () => {
    await expectError(ec2.send(new CreateSecurityGroupCommand({GroupName: 'web', Description: 'again'})),
      'InvalidGroup.Duplicate', `The security group 'web' already exists for VPC '${network.vpc.vpcId}'`)
    await expectError(ec2.send(new CreateSecurityGroupCommand({GroupName: 'x', Description: 'x', VpcId: 'vpc-0123456789abcdef0'})),
      'InvalidVpcID.NotFound', 'The vpc ID \'vpc-0123456789abcdef0\' does not exist')
    await expectError(ec2.send(new CreateSecurityGroupCommand({GroupName: 'sg-web', Description: 'x'})), 'InvalidParameterValue', 'Group names may not be in the format sg-*.')
    await expectError(ec2.send(new CreateSecurityGroupCommand({GroupName: 'x'.repeat(256), Description: 'x'})), 'InvalidParameterValue', /maximum length of 255/)
    await expectError(ec2.send(new CreateSecurityGroupCommand({GroupName: 'wéb', Description: 'x'})), 'InvalidParameterValue', /Character sets beyond ASCII are not supported/)
    await expectError(ec2.send(new CreateSecurityGroupCommand({GroupName: 'a<b', Description: 'x'})), 'InvalidParameterValue', /Valid characters are/)
    const missing = await rawQuery({Action: 'CreateSecurityGroup', GroupName: 'nodesc'})
    expect(missing.status).toBe(400)
    expect(missing.text).toContain('<Code>MissingParameter</Code>')
    expect((await ec2.send(new DescribeSecurityGroupsCommand({Filters: [{Name: 'group-name', Values: ['nodesc', 'x', 'sg-web']}]}))).SecurityGroups).toEqual([])
  })

  test('Authorize ingress and egress: IpPermissions with CIDRs, IPv6, groups and prefix lists, the flat legacy form, answered with the rules made', async () => {
    const web = await groupId('web')
    const made = await ec2.send(new AuthorizeSecurityGroupIngressCommand({
      GroupId: web,
      IpPermissions: [
        {IpProtocol: 'tcp', FromPort: 80, ToPort: 80, IpRanges: [{CidrIp: '10.0.0.0/8', Description: 'office'}, {CidrIp: '192.168.1.0/24'}], Ipv6Ranges: [{CidrIpv6: '2001:db8::/32'}]},
        {IpProtocol: '6', FromPort: 443, ToPort: 443, UserIdGroupPairs: [{GroupId: network.defaultGroup.groupId}], PrefixListIds: [{PrefixListId: 'pl-12345678'}]},
      ],
    }))
    expect(made.Return).toBe(true)
    expect(made.SecurityGroupRules?.map((r) => [r.IsEgress, r.IpProtocol, r.FromPort, r.ToPort, r.CidrIpv4 ?? r.CidrIpv6 ?? r.PrefixListId ?? r.ReferencedGroupInfo?.GroupId, r.Description])).toEqual([
      [false, 'tcp', 80, 80, '10.0.0.0/8', 'office'],
      [false, 'tcp', 80, 80, '192.168.1.0/24', undefined],
      [false, 'tcp', 80, 80, '2001:db8::/32', undefined],
      [false, 'tcp', 443, 443, 'pl-12345678', undefined],
      [false, 'tcp', 443, 443, network.defaultGroup.groupId, undefined],
    ])
    expect(made.SecurityGroupRules?.[0]?.SecurityGroupRuleId).toMatch(/^sgr-[0-9a-f]{17}$/)
    // The flat legacy form (aws-cli's --protocol/--port/--cidr).
    const flat = await rawQuery({Action: 'AuthorizeSecurityGroupIngress', GroupName: 'web', IpProtocol: 'tcp', FromPort: '22', ToPort: '22', CidrIp: '203.0.113.0/24'})
    expect(flat.status).toBe(200)
    expect(flat.text).toContain('<cidrIpv4>203.0.113.0/24</cidrIpv4>')
    await ec2.send(new AuthorizeSecurityGroupEgressCommand({GroupId: web, IpPermissions: [{IpProtocol: 'udp', FromPort: 53, ToPort: 53, IpRanges: [{CidrIp: '10.0.0.2/32'}]}]}))
    const [group] = (await ec2.send(new DescribeSecurityGroupsCommand({GroupIds: [web]}))).SecurityGroups ?? []
    expect(group?.IpPermissions).toEqual([
      {
        IpProtocol: 'tcp', FromPort: 80, ToPort: 80, UserIdGroupPairs: [],
        IpRanges: [{CidrIp: '10.0.0.0/8', Description: 'office'}, {CidrIp: '192.168.1.0/24'}], Ipv6Ranges: [{CidrIpv6: '2001:db8::/32'}], PrefixListIds: [],
      },
      {
        IpProtocol: 'tcp', FromPort: 443, ToPort: 443, IpRanges: [], Ipv6Ranges: [], PrefixListIds: [{PrefixListId: 'pl-12345678'}],
        UserIdGroupPairs: [{UserId: '123456789012', GroupId: network.defaultGroup.groupId, GroupName: 'default', VpcId: network.vpc.vpcId}],
      },
      {IpProtocol: 'tcp', FromPort: 22, ToPort: 22, UserIdGroupPairs: [], IpRanges: [{CidrIp: '203.0.113.0/24'}], Ipv6Ranges: [], PrefixListIds: []},
    ])
    expect(group?.IpPermissionsEgress?.map((p) => [p.IpProtocol, p.FromPort, p.IpRanges?.map((r) => r.CidrIp)])).toEqual([['-1', undefined, ['0.0.0.0/0']], ['udp', 53, ['10.0.0.2/32']]])
  })

  test('Authorize refuses duplicates, malformed permissions and rules past the limit, changing nothing', async () => {
    const web = await groupId('web')
    const before = await ec2.send(new DescribeSecurityGroupRulesCommand({Filters: [{Name: 'group-id', Values: [web]}]}))
    await expectError(ec2.send(new AuthorizeSecurityGroupIngressCommand({GroupId: web, IpPermissions: [{IpProtocol: 'tcp', FromPort: 80, ToPort: 80, IpRanges: [{CidrIp: '10.0.0.0/8'}]}]})),
      'InvalidPermission.Duplicate', 'the specified rule "peer: 10.0.0.0/8, TCP, from port: 80, to port: 80, ALLOW" already exists')
    await expectError(ec2.send(new AuthorizeSecurityGroupEgressCommand({GroupId: web, IpPermissions: [{IpProtocol: '-1', IpRanges: [{CidrIp: '0.0.0.0/0'}]}]})),
      'InvalidPermission.Duplicate', 'the specified rule "peer: 0.0.0.0/0, ALL, ALLOW" already exists')
    await expectError(ec2.send(new AuthorizeSecurityGroupIngressCommand({GroupId: web, IpPermissions: [{IpProtocol: 'tcp', FromPort: 1, ToPort: 1, IpRanges: [{CidrIp: '10.0.0/8'}]}]})),
      'InvalidPermission.Malformed', 'CIDR block 10.0.0/8 is malformed')
    await expectError(ec2.send(new AuthorizeSecurityGroupIngressCommand({GroupId: web, IpPermissions: [{IpProtocol: 'tcp', FromPort: 2, ToPort: 2, IpRanges: [{CidrIp: '10.0.0.1/8'}]}]})),
      'InvalidPermission.Malformed', 'CIDR block 10.0.0.1/8 is malformed')
    await expectError(ec2.send(new AuthorizeSecurityGroupIngressCommand({GroupId: web, IpPermissions: [{IpProtocol: 'tcp', FromPort: 90, ToPort: 80, IpRanges: [{CidrIp: '10.0.0.0/8'}]}]})),
      'InvalidParameterValue', /portRange/)
    await expectError(ec2.send(new AuthorizeSecurityGroupIngressCommand({GroupId: web, IpPermissions: [{IpProtocol: 'tcp', IpRanges: [{CidrIp: '10.0.0.0/8'}]}]})),
      'InvalidParameterValue', 'Invalid value \'Must specify both from and to ports with TCP/UDP.\' for portRange.')
    await expectError(ec2.send(new AuthorizeSecurityGroupIngressCommand({GroupId: web, IpPermissions: [{IpProtocol: 'bogus', IpRanges: [{CidrIp: '10.0.0.0/8'}]}]})),
      'InvalidParameterValue', 'Invalid value \'bogus\' for IP protocol. Unknown protocol.')
    await expectError(ec2.send(new AuthorizeSecurityGroupIngressCommand({GroupId: web, IpPermissions: [{IpProtocol: 'tcp', FromPort: 5, ToPort: 5, UserIdGroupPairs: [{GroupId: 'sg-0000000000000000f'}]}]})),
      'InvalidGroup.NotFound', 'The security group \'sg-0000000000000000f\' does not exist')
    await expectError(ec2.send(new AuthorizeSecurityGroupIngressCommand({GroupId: 'sg-0000000000000000f', IpPermissions: [{IpProtocol: '-1', IpRanges: [{CidrIp: '10.0.0.0/8'}]}]})),
      'InvalidGroup.NotFound', 'The security group \'sg-0000000000000000f\' does not exist')
    // 60 rules a direction: the request that would pass it adds none of its rules.
    const ranges = Array.from({length: 61}, (_, i) => ({CidrIp: `10.1.${i}.0/24`}))
    await expectError(ec2.send(new AuthorizeSecurityGroupIngressCommand({GroupId: web, IpPermissions: [{IpProtocol: 'tcp', FromPort: 8080, ToPort: 8080, IpRanges: ranges}]})),
      'RulesPerSecurityGroupLimitExceeded', 'The maximum number of rules per security group has been reached.')
    const after = await ec2.send(new DescribeSecurityGroupRulesCommand({Filters: [{Name: 'group-id', Values: [web]}]}))
    expect(after.SecurityGroupRules).toEqual(before.SecurityGroupRules)
  })

  test('DescribeSecurityGroups filters on names, rules (ingress and egress), VPC and tags, and pages', async () => {
    const names = async (filters: {Name: string; Values: string[]}[]) =>
      ((await ec2.send(new DescribeSecurityGroupsCommand({Filters: filters}))).SecurityGroups ?? []).map((g) => g.GroupName).sort()
    expect(await names([{Name: 'ip-permission.cidr', Values: ['10.0.0.0/8']}])).toEqual(['web'])
    expect(await names([{Name: 'ip-permission.group-id', Values: [network.defaultGroup.groupId]}])).toEqual(['default', 'web'])
    expect(await names([{Name: 'ip-permission.group-name', Values: ['default']}])).toEqual(['default', 'web'])
    expect(await names([{Name: 'ip-permission.from-port', Values: ['443']}, {Name: 'ip-permission.protocol', Values: ['tcp']}])).toEqual(['web'])
    expect(await names([{Name: 'egress.ip-permission.protocol', Values: ['udp']}])).toEqual(['web'])
    expect(await names([{Name: 'egress.ip-permission.cidr', Values: ['0.0.0.0/0']}])).toEqual(['default', 'web'])
    expect(await names([{Name: 'ip-permission.ipv6-cidr', Values: ['2001:db8::/32']}])).toEqual(['web'])
    expect(await names([{Name: 'ip-permission.prefix-list-id', Values: ['pl-*']}])).toEqual(['web'])
    expect(await names([{Name: 'vpc-id', Values: [network.vpc.vpcId]}, {Name: 'tag:Name', Values: ['w?b']}])).toEqual(['web'])
    expect(await names([{Name: 'description', Values: ['default VPC*']}])).toEqual(['default'])
    await expectError(ec2.send(new DescribeSecurityGroupsCommand({Filters: [{Name: 'ip-permission.colour', Values: ['x']}]})),
      'InvalidParameterValue', 'The filter \'ip-permission.colour\' is invalid')
    for (let i = 0; i < 5; i++) await ec2.send(new CreateSecurityGroupCommand({GroupName: `page-${i}`, Description: 'paging'}))
    const first = await ec2.send(new DescribeSecurityGroupsCommand({MaxResults: 5}))
    expect(first.SecurityGroups).toHaveLength(5)
    const second = await ec2.send(new DescribeSecurityGroupsCommand({MaxResults: 5, NextToken: first.NextToken ?? ''}))
    expect(second.NextToken).toBeUndefined()
    expect([...(first.SecurityGroups ?? []), ...(second.SecurityGroups ?? [])].map((g) => g.GroupName)).toEqual(['default', 'web', 'page-0', 'page-1', 'page-2', 'page-3', 'page-4'])
  })

  test('DescribeSecurityGroupRules by id and filter, paged; ModifySecurityGroupRules and UpdateSecurityGroupRuleDescriptionsIngress edit in place', async () => {
    const web = await groupId('web')
    const rules = (await ec2.send(new DescribeSecurityGroupRulesCommand({Filters: [{Name: 'group-id', Values: [web]}], MaxResults: 5}))).SecurityGroupRules ?? []
    expect(rules).toHaveLength(5)
    const all: string[] = []
    let token: string | undefined
    do {
      const page = await ec2.send(new DescribeSecurityGroupRulesCommand({Filters: [{Name: 'group-id', Values: [web]}], MaxResults: 5, ...(token === undefined ? {} : {NextToken: token})}))
      all.push(...(page.SecurityGroupRules ?? []).map((r) => r.SecurityGroupRuleId ?? ''))
      token = page.NextToken
    } while (token !== undefined)
    expect(all).toHaveLength(8)
    const ssh = (await ec2.send(new DescribeSecurityGroupRulesCommand({Filters: [{Name: 'group-id', Values: [web]}]}))).SecurityGroupRules?.find((r) => r.FromPort === 22)
    expect(ssh).toMatchObject({GroupId: web, GroupOwnerId: '123456789012', IsEgress: false, IpProtocol: 'tcp', FromPort: 22, ToPort: 22, CidrIpv4: '203.0.113.0/24'})
    const id = ssh?.SecurityGroupRuleId ?? ''
    await ec2.send(new ModifySecurityGroupRulesCommand({
      GroupId: web, SecurityGroupRules: [{SecurityGroupRuleId: id, SecurityGroupRule: {IpProtocol: 'tcp', FromPort: 2222, ToPort: 2222, CidrIpv4: '203.0.113.0/24', Description: 'ssh'}}],
    }))
    const [modified] = (await ec2.send(new DescribeSecurityGroupRulesCommand({SecurityGroupRuleIds: [id]}))).SecurityGroupRules ?? []
    expect(modified).toMatchObject({SecurityGroupRuleId: id, FromPort: 2222, ToPort: 2222, Description: 'ssh'})
    await ec2.send(new UpdateSecurityGroupRuleDescriptionsIngressCommand({
      GroupId: web, IpPermissions: [{IpProtocol: 'tcp', FromPort: 80, ToPort: 80, IpRanges: [{CidrIp: '192.168.1.0/24', Description: 'lan'}]}],
    }))
    const lan = (await ec2.send(new DescribeSecurityGroupRulesCommand({Filters: [{Name: 'group-id', Values: [web]}]}))).SecurityGroupRules?.find((r) => r.CidrIpv4 === '192.168.1.0/24')
    expect(lan?.Description).toBe('lan')
    await expectError(ec2.send(new DescribeSecurityGroupRulesCommand({SecurityGroupRuleIds: ['sgr-0000000000000000f']})),
      'InvalidSecurityGroupRuleId.NotFound', 'The security group rule ID \'sgr-0000000000000000f\' does not exist')
    await expectError(ec2.send(new UpdateSecurityGroupRuleDescriptionsIngressCommand({
      GroupId: web, IpPermissions: [{IpProtocol: 'tcp', FromPort: 81, ToPort: 81, IpRanges: [{CidrIp: '192.168.1.0/24', Description: 'lan'}]}],
    })), 'InvalidPermission.NotFound', 'The specified rule does not exist in this security group.')
  })

  test('Revoke removes the rules named (by permission or id); one that names none is InvalidPermission.NotFound', async () => {
    const web = await groupId('web')
    await ec2.send(new RevokeSecurityGroupIngressCommand({GroupId: web, IpPermissions: [{IpProtocol: 'tcp', FromPort: 80, ToPort: 80, IpRanges: [{CidrIp: '10.0.0.0/8'}]}]}))
    await expectError(ec2.send(new RevokeSecurityGroupIngressCommand({GroupId: web, IpPermissions: [{IpProtocol: 'tcp', FromPort: 80, ToPort: 80, IpRanges: [{CidrIp: '10.0.0.0/8'}]}]})),
      'InvalidPermission.NotFound', 'The specified rule does not exist in this security group.')
    const partly = await ec2.send(new RevokeSecurityGroupIngressCommand({
      GroupId: web, IpPermissions: [{IpProtocol: 'tcp', FromPort: 80, ToPort: 80, IpRanges: [{CidrIp: '192.168.1.0/24'}, {CidrIp: '172.16.0.0/12'}]}],
    }))
    expect(partly.Return).toBe(true)
    expect(partly.UnknownIpPermissions?.map((p) => p.IpRanges?.map((r) => r.CidrIp))).toEqual([['172.16.0.0/12']])
    const egress = (await ec2.send(new DescribeSecurityGroupRulesCommand({Filters: [{Name: 'group-id', Values: [web]}]}))).SecurityGroupRules?.find((r) => r.IsEgress === true && r.IpProtocol === 'udp')
    await ec2.send(new RevokeSecurityGroupEgressCommand({GroupId: web, SecurityGroupRuleIds: [egress?.SecurityGroupRuleId ?? '']}))
    const left = (await ec2.send(new DescribeSecurityGroupRulesCommand({Filters: [{Name: 'group-id', Values: [web]}]}))).SecurityGroupRules ?? []
    expect(left.map((r) => r.CidrIpv4 ?? r.CidrIpv6 ?? r.PrefixListId ?? r.ReferencedGroupInfo?.GroupId).sort())
      .toEqual(['0.0.0.0/0', '2001:db8::/32', '203.0.113.0/24', network.defaultGroup.groupId, 'pl-12345678'].sort())
  })

  test('DeleteSecurityGroup: the default group cannot go, a group in use is a DependencyViolation, an unused one goes', async () => {
    const store = api.engine.store
    await expectError(ec2.send(new DeleteSecurityGroupCommand({GroupId: network.defaultGroup.groupId})),
      'CannotDelete', `the specified group: "${network.defaultGroup.groupId}" name: "default" cannot be deleted by a user`)
    const target = (await ec2.send(new CreateSecurityGroupCommand({GroupName: 'target', Description: 'referenced'}))).GroupId ?? ''
    const web = await groupId('web')
    await ec2.send(new AuthorizeSecurityGroupIngressCommand({GroupId: web, IpPermissions: [{IpProtocol: 'tcp', FromPort: 9000, ToPort: 9000, UserIdGroupPairs: [{GroupId: target}]}]}))
    await expectError(ec2.send(new DeleteSecurityGroupCommand({GroupId: target})), 'DependencyViolation', `resource ${target} has a dependent object`)
    await ec2.send(new RevokeSecurityGroupIngressCommand({GroupId: web, IpPermissions: [{IpProtocol: 'tcp', FromPort: 9000, ToPort: 9000, UserIdGroupPairs: [{GroupId: target}]}]}))
    // In use by an instance, then by a load balancer.
    const [instance] = await api.runInstances({count: 1})
    store.update((state) => {
      const record = state.regions[api.region]?.instances.find((i) => i.instanceId === instance?.instanceId)
      if (record !== undefined) record.securityGroupIds = [target]
    })
    await expectError(ec2.send(new DeleteSecurityGroupCommand({GroupName: 'target'})), 'DependencyViolation', `resource ${target} has a dependent object`)
    await api.terminateInstances(instance?.instanceId ?? '')
    await api.elb.send(new (await import('@aws-sdk/client-elastic-load-balancing')).CreateLoadBalancerCommand({
      LoadBalancerName: 'sg-user', AvailabilityZones: ['us-east-1a'], Listeners: [{Protocol: 'HTTP', LoadBalancerPort: 80, InstancePort: 80}],
    }))
    store.update((state) => {
      const lb = state.regions[api.region]?.loadBalancers.find((l) => l.name === 'sg-user')
      if (lb !== undefined) lb.securityGroups = [target]
    })
    await expectError(ec2.send(new DeleteSecurityGroupCommand({GroupId: target})), 'DependencyViolation', `resource ${target} has a dependent object`)
    await api.elb.send(new (await import('@aws-sdk/client-elastic-load-balancing')).DeleteLoadBalancerCommand({LoadBalancerName: 'sg-user'}))
    const deleted = await ec2.send(new DeleteSecurityGroupCommand({GroupName: 'target'}))
    expect(deleted.Return).toBe(true)
    expect(deleted.GroupId).toBe(target)
    await expectError(ec2.send(new DescribeSecurityGroupsCommand({GroupIds: [target]})), 'InvalidGroup.NotFound', `The security group '${target}' does not exist`)
    await expectError(ec2.send(new DeleteSecurityGroupCommand({GroupName: 'target'})), 'InvalidGroup.NotFound', `The security group 'target' does not exist in default VPC '${network.vpc.vpcId}'`)
    await expectError(ec2.send(new DeleteSecurityGroupCommand({GroupId: 'sg-bad'})), 'InvalidGroupId.Malformed', 'Invalid id: "sg-bad" (expecting "sg-...")')
  })

  test('STS GetCallerIdentity names the account (Ansible asks it before it edits groups)', async () => {
    const answer = await rawQuery({Action: 'GetCallerIdentity', Version: '2011-06-15'})
    expect(answer.status).toBe(200)
    expect(answer.text.replace(/\s+</g, '<')).toContain('<GetCallerIdentityResult><UserId>123456789012</UserId><Account>123456789012</Account><Arn>arn:aws:iam::123456789012:root</Arn></GetCallerIdentityResult>')
  })

  test('DescribeNetworkInterfaces takes the group-id filter (Terraform looks for a group\'s interfaces before deleting it)', async () => {
    expect((await rawQuery({Action: 'DescribeNetworkInterfaces', 'Filter.1.Name': 'group-id', 'Filter.1.Value.1': network.defaultGroup.groupId})).text).toContain('<networkInterfaceSet/>')
  })

  test('DryRun answers DryRunOperation and changes nothing', async () => {
    const dry = await rawQuery({Action: 'CreateSecurityGroup', GroupName: 'dry', GroupDescription: 'dry', DryRun: 'true'})
    expect(dry.status).toBe(412)
    expect(dry.text).toContain('<Code>DryRunOperation</Code>')
    await expectError(ec2.send(new DescribeSecurityGroupsCommand({GroupNames: ['dry']})), 'InvalidGroup.NotFound', /does not exist in default VPC/)
  })
})

async function groupId(name: string): Promise<string> {
  const [group] = (await ec2.send(new DescribeSecurityGroupsCommand({Filters: [{Name: 'group-name', Values: [name]}]}))).SecurityGroups ?? []
  return group?.GroupId ?? ''
}
