import {afterAll, beforeAll, describe, expect, test} from '@jest/globals'
import {
  CreateTagsCommand, CreateVpcCommand, DescribeAccountAttributesCommand, DescribeAvailabilityZonesCommand, DescribeInternetGatewaysCommand,
  DescribeNetworkAclsCommand, DescribeRouteTablesCommand, DescribeSubnetsCommand, DescribeVpcAttributeCommand, DescribeVpcsCommand, EC2Client,
} from '@aws-sdk/client-ec2'
import {CreateLoadBalancerCommand, ElasticLoadBalancingClient} from '@aws-sdk/client-elastic-load-balancing'
import {mkdtempSync, rmSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {startEngine} from '../../../src/engine/main.js'
import {startTestEngine, TEST_CREDENTIALS, type TestEngine} from '../../helpers/engine.js'

/**
 * The default-VPC account (issue 18): a new state is a VPC account whose every Region has its
 * default VPC from the first read, with the same ids after its first write and a restart; the
 * EC2-Classic account is a start option; a state from before VPC support stays EC2-Classic; the
 * zones are each Region's real ones. Real engine over loopback, SDK v3 clients.
 */

function clients(api: TestEngine, region = api.region): {ec2: EC2Client; elb: ElasticLoadBalancingClient} {
  const config = {endpoint: api.endpoint, region, credentials: TEST_CREDENTIALS, maxAttempts: 1}
  return {ec2: new EC2Client(config), elb: new ElasticLoadBalancingClient(config)}
}

async function rejection(promise: Promise<unknown>): Promise<{name: string; message: string; $metadata: {httpStatusCode?: number}}> {
  try {
    await promise
  } catch (error) {
    if (error instanceof Error) return {name: error.name, message: error.message, $metadata: (error as {$metadata?: {httpStatusCode?: number}}).$metadata ?? {}}
    throw error
  }
  throw new Error('the call succeeded')
}

async function accountAttributes(ec2: EC2Client): Promise<Record<string, string[]>> {
  const out = await ec2.send(new DescribeAccountAttributesCommand({AttributeNames: ['supported-platforms', 'default-vpc']}))
  const entries: [string, string[]][] = (out.AccountAttributes ?? [])
    .map((a) => [a.AttributeName ?? '', (a.AttributeValues ?? []).map((v) => v.AttributeValue ?? '')])
  return Object.fromEntries(entries)
}

describe('a new state is a default-VPC account', () => {
  let api: TestEngine
  const home = mkdtempSync(join(tmpdir(), 'elb-local-default-vpc-'))

  beforeAll(async () => { api = await startTestEngine({home}) })
  afterAll(async () => {
    await api.close()
    rmSync(home, {recursive: true, force: true})
  })

  test('every Region shows its default VPC: 172.31.0.0/16, a /20 per real zone, igw, main route table, default ACL', async () => {
    const {ec2} = clients(api, 'eu-north-1')
    const [vpc, ...others] = (await ec2.send(new DescribeVpcsCommand({}))).Vpcs ?? []
    expect(others).toEqual([])
    expect(vpc).toMatchObject({CidrBlock: '172.31.0.0/16', IsDefault: true, State: 'available', InstanceTenancy: 'default', OwnerId: '123456789012'})
    const vpcId = vpc?.VpcId ?? ''
    for (const Attribute of ['enableDnsSupport', 'enableDnsHostnames'] as const) {
      const attribute = await ec2.send(new DescribeVpcAttributeCommand({VpcId: vpcId, Attribute}))
      expect(attribute.EnableDnsSupport ?? attribute.EnableDnsHostnames).toEqual({Value: true})
    }
    const subnets = (await ec2.send(new DescribeSubnetsCommand({Filters: [{Name: 'default-for-az', Values: ['true']}]}))).Subnets ?? []
    expect(subnets.map((s) => [s.AvailabilityZone, s.CidrBlock, s.MapPublicIpOnLaunch, s.VpcId, s.AvailableIpAddressCount])).toEqual([
      ['eu-north-1a', '172.31.0.0/20', true, vpcId, 4091],
      ['eu-north-1b', '172.31.16.0/20', true, vpcId, 4091],
      ['eu-north-1c', '172.31.32.0/20', true, vpcId, 4091],
    ])
    const [igw] = (await ec2.send(new DescribeInternetGatewaysCommand({Filters: [{Name: 'attachment.vpc-id', Values: [vpcId]}]}))).InternetGateways ?? []
    expect(igw?.Attachments).toEqual([{VpcId: vpcId, State: 'available'}])
    const [main] = (await ec2.send(new DescribeRouteTablesCommand({Filters: [{Name: 'association.main', Values: ['true']}]}))).RouteTables ?? []
    expect(main?.Routes?.map((r) => [r.DestinationCidrBlock, r.GatewayId, r.State])).toEqual([
      ['172.31.0.0/16', 'local', 'active'], ['0.0.0.0/0', igw?.InternetGatewayId, 'active'],
    ])
    const [acl] = (await ec2.send(new DescribeNetworkAclsCommand({Filters: [{Name: 'default', Values: ['true']}]}))).NetworkAcls ?? []
    expect(acl?.Entries?.map((e) => [e.RuleNumber, e.Egress, e.RuleAction, e.Protocol, e.CidrBlock])).toEqual([
      [100, true, 'allow', '-1', '0.0.0.0/0'], [32767, true, 'deny', '-1', '0.0.0.0/0'],
      [100, false, 'allow', '-1', '0.0.0.0/0'], [32767, false, 'deny', '-1', '0.0.0.0/0'],
    ])
    expect(acl?.Associations?.map((a) => a.SubnetId)).toEqual(subnets.map((s) => s.SubnetId))
    expect(await accountAttributes(ec2)).toEqual({'supported-platforms': ['VPC'], 'default-vpc': [vpcId]})
    ec2.destroy()
  })

  test('the default VPC read before the Region\'s first write keeps its ids through the write and a restart', async () => {
    const {ec2} = clients(api, 'ap-northeast-1')
    const read = async () => ({
      vpcs: (await ec2.send(new DescribeVpcsCommand({}))).Vpcs?.map((v) => v.VpcId),
      subnets: (await ec2.send(new DescribeSubnetsCommand({}))).Subnets?.map((s) => [s.SubnetId, s.AvailabilityZone]),
      tables: (await ec2.send(new DescribeRouteTablesCommand({}))).RouteTables?.map((t) => t.RouteTableId),
    })
    const before = await read()
    expect(before.subnets?.map(([, zone]) => zone)).toEqual(['ap-northeast-1a', 'ap-northeast-1c', 'ap-northeast-1d'])
    expect(api.engine.store.state.regions['ap-northeast-1']).toBeUndefined()
    const subnetId = before.subnets?.[0]?.[0] ?? ''
    await ec2.send(new CreateTagsCommand({Resources: [subnetId], Tags: [{Key: 'Name', Value: 'first write'}]}))
    expect(api.engine.store.state.regions['ap-northeast-1']?.network?.subnets.length).toBe(3)
    expect(await read()).toEqual(before)
    ec2.destroy()
    await api.close()
    api = await startTestEngine({home})
    const again = clients(api, 'ap-northeast-1').ec2
    const subnets = (await again.send(new DescribeSubnetsCommand({SubnetIds: [subnetId]}))).Subnets ?? []
    expect(subnets.map((s) => s.Tags)).toEqual([[{Key: 'Name', Value: 'first write'}]])
    expect((await again.send(new DescribeVpcsCommand({}))).Vpcs?.map((v) => v.VpcId)).toEqual(before.vpcs)
    again.destroy()
  })

  test('each Region has its real zones: EC2 lists them, ELB refuses any other, an invented Region is refused', async () => {
    const {ec2, elb} = clients(api, 'eu-north-1')
    const zones = await ec2.send(new DescribeAvailabilityZonesCommand({}))
    expect(zones.AvailabilityZones?.map((z) => [z.ZoneName, z.ZoneId])).toEqual([['eu-north-1a', 'eun1-az1'], ['eu-north-1b', 'eun1-az2'], ['eu-north-1c', 'eun1-az3']])
    const fourth = await rejection(elb.send(new CreateLoadBalancerCommand({
      LoadBalancerName: 'zones', Listeners: [{Protocol: 'HTTP', LoadBalancerPort: 80, InstancePort: 80}], AvailabilityZones: ['eu-north-1d'],
    })))
    expect([fourth.name, fourth.message, fourth.$metadata.httpStatusCode]).toEqual(['ValidationError', expect.stringContaining('eu-north-1d'), 400])
    await expect(api.runInstances({region: 'us-west-1', availabilityZone: 'us-west-1b'})).rejects.toThrow('Invalid availability zone: [us-west-1b]')
    await expect(api.runInstances({region: 'mars-1'})).rejects.toThrow("not 'mars-1'")
    const [instance] = await api.runInstances({region: 'us-west-1'})
    expect(instance?.availabilityZone).toBe('us-west-1a')
    ec2.destroy()
    elb.destroy()
  })
})

describe('the EC2-Classic account', () => {
  test('--platform ec2-classic: no default VPC; EC2 and VPC supported; VPCs can still be made', async () => {
    const api = await startTestEngine({platform: 'ec2-classic'})
    try {
      const {ec2} = clients(api)
      expect((await ec2.send(new DescribeVpcsCommand({}))).Vpcs).toEqual([])
      expect((await ec2.send(new DescribeSubnetsCommand({}))).Subnets).toEqual([])
      expect(await accountAttributes(ec2)).toEqual({'supported-platforms': ['EC2', 'VPC'], 'default-vpc': ['none']})
      const made = await ec2.send(new CreateVpcCommand({CidrBlock: '10.0.0.0/16'}))
      expect(made.Vpc).toMatchObject({CidrBlock: '10.0.0.0/16', IsDefault: false, State: 'pending'})
      expect((await ec2.send(new DescribeVpcsCommand({}))).Vpcs?.map((v) => v.VpcId)).toEqual([made.Vpc?.VpcId])
      ec2.destroy()
    } finally {
      await api.close()
    }
  })

  test('a state written before VPC support (no platform) stays EC2-Classic; asking it for another platform is refused', async () => {
    const home = mkdtempSync(join(tmpdir(), 'elb-local-old-state-'))
    try {
      writeFileSync(join(home, 'state.json'), JSON.stringify({formatVersion: 1, accountId: '123456789012', regions: {}, iam: {serverCertificates: []}}))
      const api = await startTestEngine({home})
      const {ec2} = clients(api)
      expect((await ec2.send(new DescribeVpcsCommand({}))).Vpcs).toEqual([])
      expect(await accountAttributes(ec2)).toEqual({'supported-platforms': ['EC2', 'VPC'], 'default-vpc': ['none']})
      ec2.destroy()
      await api.close()
      await expect(startEngine({home, host: '127.0.0.1', port: 0, platform: 'vpc'}))
        .rejects.toThrow(`The state in ${home} is an ec2-classic account, but --platform vpc was asked for`)
    } finally {
      rmSync(home, {recursive: true, force: true})
    }
  })
})
