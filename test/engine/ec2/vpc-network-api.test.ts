import {afterAll, beforeAll, describe, expect, test} from '@jest/globals'
import {
  AssociateRouteTableCommand, AttachInternetGatewayCommand, CreateInternetGatewayCommand, CreateRouteCommand, CreateRouteTableCommand,
  CreateSubnetCommand, CreateTagsCommand, CreateVpcCommand, DeleteInternetGatewayCommand, DeleteRouteCommand, DeleteRouteTableCommand,
  DeleteSubnetCommand, DeleteTagsCommand, DeleteVpcCommand, DescribeDhcpOptionsCommand, DescribeInternetGatewaysCommand,
  DescribeNetworkAclsCommand, DescribeRouteTablesCommand, DescribeSubnetsCommand, DescribeTagsCommand, DescribeVpcAttributeCommand,
  DescribeVpcsCommand, DetachInternetGatewayCommand, DisassociateRouteTableCommand, EC2Client, ModifySubnetAttributeCommand,
  ModifyVpcAttributeCommand, ReplaceRouteCommand, ReplaceRouteTableAssociationCommand,
} from '@aws-sdk/client-ec2'
import {failure} from '../../helpers/ec2-failure.js'
import {startTestEngine, TEST_CREDENTIALS, type TestEngine} from '../../helpers/engine.js'

/**
 * The EC2 networking API (issue 18) through the real SDK v3 client against the whole engine: VPCs,
 * subnets, internet gateways, route tables, ACLs, DHCP options and tags, with each error's AWS code,
 * message and HTTP status, filters and pagination.
 */

let api: TestEngine
let ec2: EC2Client

beforeAll(async () => {
  // A Region of its own per test file run: eu-west-1 has three zones.
  api = await startTestEngine({region: 'eu-west-1'})
  ec2 = new EC2Client({endpoint: api.endpoint, region: api.region, credentials: TEST_CREDENTIALS, maxAttempts: 1})
})

afterAll(async () => {
  ec2.destroy()
  await api.close()
})

async function newVpc(cidr: string): Promise<string> {
  const out = await ec2.send(new CreateVpcCommand({CidrBlock: cidr}))
  return out.Vpc?.VpcId ?? ''
}

describe('VPCs', () => {
  test('create (tags, pending), describe (filters), DNS attributes, and the errors', async () => {
    const made = await ec2.send(new CreateVpcCommand({
      CidrBlock: '10.1.0.0/16', TagSpecifications: [{ResourceType: 'vpc', Tags: [{Key: 'Name', Value: 'one'}]}],
    }))
    expect(made.Vpc).toMatchObject({CidrBlock: '10.1.0.0/16', State: 'pending', IsDefault: false, Tags: [{Key: 'Name', Value: 'one'}]})
    const vpcId = made.Vpc?.VpcId ?? ''
    const byTag = await ec2.send(new DescribeVpcsCommand({Filters: [{Name: 'tag:Name', Values: ['on*']}]}))
    expect(byTag.Vpcs?.map((v) => [v.VpcId, v.State])).toEqual([[vpcId, 'available']])
    // A new VPC resolves names but gives no DNS host names (AWS's defaults); both can be changed.
    expect((await ec2.send(new DescribeVpcAttributeCommand({VpcId: vpcId, Attribute: 'enableDnsHostnames'}))).EnableDnsHostnames).toEqual({Value: false})
    await ec2.send(new ModifyVpcAttributeCommand({VpcId: vpcId, EnableDnsHostnames: {Value: true}}))
    expect((await ec2.send(new DescribeVpcAttributeCommand({VpcId: vpcId, Attribute: 'enableDnsHostnames'}))).EnableDnsHostnames).toEqual({Value: true})
    // Each new VPC has its own main route table, default ACL (and default group).
    const tables = await ec2.send(new DescribeRouteTablesCommand({Filters: [{Name: 'vpc-id', Values: [vpcId]}]}))
    expect(tables.RouteTables?.map((t) => [t.Associations?.[0]?.Main, t.Routes?.map((r) => r.GatewayId)])).toEqual([[true, ['local']]])
    const acls = await ec2.send(new DescribeNetworkAclsCommand({Filters: [{Name: 'vpc-id', Values: [vpcId]}]}))
    expect(acls.NetworkAcls?.map((a) => a.IsDefault)).toEqual([true])

    expect(await failure(ec2.send(new CreateVpcCommand({CidrBlock: '10.0.0.0/8'})))).toEqual(['InvalidVpc.Range', "The CIDR '10.0.0.0/8' is invalid.", 400])
    expect(await failure(ec2.send(new CreateVpcCommand({CidrBlock: '10.0.0.0/33'}))))
      .toEqual(['InvalidParameterValue', 'Value (10.0.0.0/33) for parameter cidrBlock is invalid. This is not a valid CIDR block.', 400])
    expect(await failure(ec2.send(new DescribeVpcsCommand({VpcIds: ['vpc-0123456789abcdef0']}))))
      .toEqual(['InvalidVpcID.NotFound', "The vpc ID 'vpc-0123456789abcdef0' does not exist", 400])
    expect(await failure(ec2.send(new DeleteVpcCommand({VpcId: 'vpc-0123456789abcdef0'}))))
      .toEqual(['InvalidVpcID.NotFound', "The vpc ID 'vpc-0123456789abcdef0' does not exist", 400])
    expect(await failure(ec2.send(new ModifyVpcAttributeCommand({VpcId: vpcId}))))
      .toEqual(['InvalidParameterCombination', expect.stringContaining('exactly one of enableDnsSupport'), 400])
    // Five VPCs per Region (the default one counts): the fifth is refused, nothing is left half made.
    await newVpc('10.2.0.0/16')
    await newVpc('10.3.0.0/16')
    await newVpc('10.4.0.0/16')
    expect(await failure(ec2.send(new CreateVpcCommand({CidrBlock: '10.5.0.0/16'})))).toEqual(['VpcLimitExceeded', 'The maximum number of VPCs has been reached.', 400])
    expect((await ec2.send(new DescribeVpcsCommand({}))).Vpcs).toHaveLength(5)
    for (const vpc of (await ec2.send(new DescribeVpcsCommand({Filters: [{Name: 'cidr', Values: ['10.2.0.0/16', '10.3.0.0/16', '10.4.0.0/16']}]}))).Vpcs ?? []) {
      await ec2.send(new DeleteVpcCommand({VpcId: vpc.VpcId}))
    }
    expect((await ec2.send(new DescribeVpcsCommand({}))).Vpcs).toHaveLength(2)
  })
})

describe('a VPC built as Terraform builds one, then torn down', () => {
  test('subnets, internet gateway, route table, routes, associations, dependency errors', async () => {
    const vpcId = await newVpc('10.10.0.0/16')
    const subnet = async (cidr: string, zone?: string) => (await ec2.send(new CreateSubnetCommand({
      VpcId: vpcId, CidrBlock: cidr, ...(zone === undefined ? {} : {AvailabilityZone: zone}),
    }))).Subnet
    const first = await subnet('10.10.1.0/24', 'eu-west-1b')
    expect(first).toMatchObject({VpcId: vpcId, AvailabilityZone: 'eu-west-1b', AvailabilityZoneId: 'euw1-az2', DefaultForAz: false, MapPublicIpOnLaunch: false,
      AvailableIpAddressCount: 251, SubnetArn: `arn:aws:ec2:eu-west-1:123456789012:subnet/${first?.SubnetId ?? ''}`})
    const second = await subnet('10.10.2.0/24')
    const subnetA = first?.SubnetId ?? ''
    const subnetB = second?.SubnetId ?? ''
    expect(await failure(subnet('10.10.1.128/25'))).toEqual(['InvalidSubnet.Conflict', "The CIDR '10.10.1.128/25' conflicts with another subnet", 400])
    expect(await failure(subnet('10.11.0.0/24'))).toEqual(['InvalidSubnet.Range', "The CIDR '10.11.0.0/24' is invalid.", 400])
    expect(await failure(subnet('10.10.3.0/24', 'eu-west-1d'))).toEqual(['InvalidParameterValue',
      'Value (eu-west-1d) for parameter availabilityZone is invalid. Subnets can currently only be created in the following availability zones: eu-west-1a, eu-west-1b, eu-west-1c.', 400])
    expect(await failure(ec2.send(new CreateSubnetCommand({VpcId: 'vpc-0123456789abcdef0', CidrBlock: '10.0.0.0/24'}))))
      .toEqual(['InvalidVpcID.NotFound', "The vpc ID 'vpc-0123456789abcdef0' does not exist", 400])
    await ec2.send(new ModifySubnetAttributeCommand({SubnetId: subnetA, MapPublicIpOnLaunch: {Value: true}}))
    const mapped = await ec2.send(new DescribeSubnetsCommand({Filters: [{Name: 'map-public-ip-on-launch', Values: ['true']}, {Name: 'vpc-id', Values: [vpcId]}]}))
    expect(mapped.Subnets?.map((s) => s.SubnetId)).toEqual([subnetA])
    // A new subnet joins its VPC's default ACL.
    const [acl] = (await ec2.send(new DescribeNetworkAclsCommand({Filters: [{Name: 'association.subnet-id', Values: [subnetB]}]}))).NetworkAcls ?? []
    expect([acl?.VpcId, acl?.IsDefault]).toEqual([vpcId, true])

    const igw = (await ec2.send(new CreateInternetGatewayCommand({TagSpecifications: [{ResourceType: 'internet-gateway', Tags: [{Key: 'k', Value: 'v'}]}]})))
      .InternetGateway?.InternetGatewayId ?? ''
    await ec2.send(new AttachInternetGatewayCommand({InternetGatewayId: igw, VpcId: vpcId}))
    expect(await failure(ec2.send(new AttachInternetGatewayCommand({InternetGatewayId: igw, VpcId: vpcId}))))
      .toEqual(['Resource.AlreadyAssociated', `resource ${igw} is already attached to network ${vpcId}`, 400])
    const defaultVpc = (await ec2.send(new DescribeVpcsCommand({Filters: [{Name: 'is-default', Values: ['true']}]}))).Vpcs?.[0]?.VpcId ?? ''
    expect(await failure(ec2.send(new DetachInternetGatewayCommand({InternetGatewayId: igw, VpcId: defaultVpc}))))
      .toEqual(['Gateway.NotAttached', `resource ${igw} is not attached to network ${defaultVpc}`, 400])
    expect(await failure(ec2.send(new DeleteInternetGatewayCommand({InternetGatewayId: igw}))))
      .toEqual(['DependencyViolation', `The internetGateway '${igw}' has dependencies and cannot be deleted.`, 400])
    expect(await failure(ec2.send(new DescribeInternetGatewaysCommand({InternetGatewayIds: ['igw-0123456789abcdef0']}))))
      .toEqual(['InvalidInternetGatewayID.NotFound', "The internetGateway ID 'igw-0123456789abcdef0' does not exist", 400])

    const table = (await ec2.send(new CreateRouteTableCommand({VpcId: vpcId}))).RouteTable?.RouteTableId ?? ''
    await ec2.send(new CreateRouteCommand({RouteTableId: table, DestinationCidrBlock: '0.0.0.0/0', GatewayId: igw}))
    expect(await failure(ec2.send(new CreateRouteCommand({RouteTableId: table, DestinationCidrBlock: '0.0.0.0/0', GatewayId: igw}))))
      .toEqual(['RouteAlreadyExists', 'The route identified by 0.0.0.0/0 already exists.', 400])
    const defaultIgw = (await ec2.send(new DescribeInternetGatewaysCommand({Filters: [{Name: 'attachment.vpc-id', Values: [defaultVpc]}]})))
      .InternetGateways?.[0]?.InternetGatewayId ?? ''
    expect(await failure(ec2.send(new ReplaceRouteCommand({RouteTableId: table, DestinationCidrBlock: '0.0.0.0/0', GatewayId: defaultIgw}))))
      .toEqual(['InvalidParameterValue', `route table ${table} and network gateway ${defaultIgw} belong to different networks`, 400])
    expect(await failure(ec2.send(new CreateRouteCommand({RouteTableId: table, DestinationCidrBlock: '10.99.0.0/16', GatewayId: 'igw-0123456789abcdef0'}))))
      .toEqual(['InvalidGatewayID.NotFound', "The gateway ID 'igw-0123456789abcdef0' does not exist", 400])
    expect(await failure(ec2.send(new DeleteRouteCommand({RouteTableId: table, DestinationCidrBlock: '10.10.0.0/16'}))))
      .toEqual(['InvalidParameterValue', `cannot remove local route 10.10.0.0/16 in route table ${table}`, 400])
    expect(await failure(ec2.send(new DeleteRouteCommand({RouteTableId: table, DestinationCidrBlock: '10.99.0.0/16'}))))
      .toEqual(['InvalidRoute.NotFound', `no route with destination-cidr-block 10.99.0.0/16 in route table ${table}`, 400])
    expect(await failure(ec2.send(new DescribeRouteTablesCommand({RouteTableIds: ['rtb-0123456789abcdef0']}))))
      .toEqual(['InvalidRouteTableID.NotFound', "The routeTable ID 'rtb-0123456789abcdef0' does not exist", 400])

    const association = (await ec2.send(new AssociateRouteTableCommand({RouteTableId: table, SubnetId: subnetA}))).AssociationId ?? ''
    expect(association).toMatch(/^rtbassoc-[0-9a-f]{17}$/)
    expect(await failure(ec2.send(new AssociateRouteTableCommand({RouteTableId: table, SubnetId: subnetA}))))
      .toEqual(['Resource.AlreadyAssociated', `the specified association for route table ${table} conflicts with an existing association`, 400])
    const [main] = (await ec2.send(new DescribeRouteTablesCommand({Filters: [{Name: 'vpc-id', Values: [vpcId]}, {Name: 'association.main', Values: ['true']}]}))).RouteTables ?? []
    const mainAssociation = main?.Associations?.[0]?.RouteTableAssociationId ?? ''
    expect(await failure(ec2.send(new DisassociateRouteTableCommand({AssociationId: mainAssociation}))))
      .toEqual(['InvalidParameterValue', `cannot disassociate the main route table association ${mainAssociation}`, 400])
    expect(await failure(ec2.send(new DeleteRouteTableCommand({RouteTableId: table}))))
      .toEqual(['DependencyViolation', `The routeTable '${table}' has dependencies and cannot be deleted.`, 400])
    // The subnet moves to the main table (a new association id), then back.
    const moved = (await ec2.send(new ReplaceRouteTableAssociationCommand({AssociationId: association, RouteTableId: main?.RouteTableId}))).NewAssociationId ?? ''
    const bySubnet = await ec2.send(new DescribeRouteTablesCommand({Filters: [{Name: 'association.subnet-id', Values: [subnetA]}]}))
    expect(bySubnet.RouteTables?.map((t) => t.RouteTableId)).toEqual([main?.RouteTableId])
    expect(await failure(ec2.send(new DisassociateRouteTableCommand({AssociationId: association}))))
      .toEqual(['InvalidAssociationID.NotFound', `The association ID '${association}' does not exist`, 400])
    await ec2.send(new DisassociateRouteTableCommand({AssociationId: moved}))

    // A route to a detached gateway stays, as a blackhole.
    await ec2.send(new DetachInternetGatewayCommand({InternetGatewayId: igw, VpcId: vpcId}))
    const routes = (await ec2.send(new DescribeRouteTablesCommand({RouteTableIds: [table]}))).RouteTables?.[0]?.Routes
    expect(routes?.map((r) => [r.DestinationCidrBlock, r.GatewayId, r.State])).toEqual([['10.10.0.0/16', 'local', 'active'], ['0.0.0.0/0', igw, 'blackhole']])

    expect(await failure(ec2.send(new DeleteVpcCommand({VpcId: vpcId})))).toEqual(['DependencyViolation', `The vpc '${vpcId}' has dependencies and cannot be deleted.`, 400])
    await ec2.send(new DeleteRouteTableCommand({RouteTableId: table}))
    await ec2.send(new DeleteInternetGatewayCommand({InternetGatewayId: igw}))
    await ec2.send(new DeleteSubnetCommand({SubnetId: subnetA}))
    expect(await failure(ec2.send(new DeleteVpcCommand({VpcId: vpcId})))).toEqual(['DependencyViolation', `The vpc '${vpcId}' has dependencies and cannot be deleted.`, 400])
    await ec2.send(new DeleteSubnetCommand({SubnetId: subnetB}))
    expect(await failure(ec2.send(new DeleteSubnetCommand({SubnetId: subnetB}))))
      .toEqual(['InvalidSubnetID.NotFound', `The subnet ID '${subnetB}' does not exist`, 400])
    await ec2.send(new DeleteVpcCommand({VpcId: vpcId}))
    // Its main route table and default ACL went with it.
    expect((await ec2.send(new DescribeRouteTablesCommand({Filters: [{Name: 'vpc-id', Values: [vpcId]}]}))).RouteTables).toEqual([])
    expect((await ec2.send(new DescribeNetworkAclsCommand({Filters: [{Name: 'vpc-id', Values: [vpcId]}]}))).NetworkAcls).toEqual([])
  })
})

describe('tags, DHCP options, pagination', () => {
  test('CreateTags/DeleteTags/DescribeTags over each kind; InvalidID and NotFound', async () => {
    const vpcId = await newVpc('10.20.0.0/16')
    const subnetId = (await ec2.send(new CreateSubnetCommand({VpcId: vpcId, CidrBlock: '10.20.0.0/24'}))).Subnet?.SubnetId ?? ''
    const igw = (await ec2.send(new CreateInternetGatewayCommand({}))).InternetGateway?.InternetGatewayId ?? ''
    const table = (await ec2.send(new CreateRouteTableCommand({VpcId: vpcId}))).RouteTable?.RouteTableId ?? ''
    await ec2.send(new CreateTagsCommand({Resources: [vpcId, subnetId, igw, table], Tags: [{Key: 'team', Value: 'web'}, {Key: 'env', Value: ''}]}))
    const tagged = await ec2.send(new DescribeTagsCommand({Filters: [{Name: 'key', Values: ['team']}]}))
    expect(tagged.Tags?.map((t) => [t.ResourceType, t.ResourceId, t.Value])).toEqual([
      ['vpc', vpcId, 'web'], ['subnet', subnetId, 'web'], ['internet-gateway', igw, 'web'], ['route-table', table, 'web'],
    ])
    await ec2.send(new DeleteTagsCommand({Resources: [subnetId], Tags: [{Key: 'team', Value: 'other'}]}))
    await ec2.send(new DeleteTagsCommand({Resources: [vpcId], Tags: [{Key: 'team'}]}))
    const left = await ec2.send(new DescribeTagsCommand({Filters: [{Name: 'resource-id', Values: [vpcId, subnetId]}]}))
    expect(left.Tags?.map((t) => [t.ResourceId, t.Key])).toEqual([[vpcId, 'env'], [subnetId, 'team'], [subnetId, 'env']])
    expect(await failure(ec2.send(new CreateTagsCommand({Resources: ['bucket-1'], Tags: [{Key: 'a', Value: 'b'}]}))))
      .toEqual(['InvalidID', "The ID 'bucket-1' is not valid", 400])
    expect(await failure(ec2.send(new CreateTagsCommand({Resources: ['subnet-0123456789abcdef0'], Tags: [{Key: 'a', Value: 'b'}]}))))
      .toEqual(['InvalidSubnetID.NotFound', "The subnet ID 'subnet-0123456789abcdef0' does not exist", 400])
    expect(await failure(ec2.send(new CreateTagsCommand({Resources: [vpcId], Tags: [{Key: 'aws:x', Value: 'b'}]}))))
      .toEqual(['InvalidParameterValue', "Tag keys starting with 'aws:' are reserved for internal use", 400])
    const many = Array.from({length: 51}, (_, i) => ({Key: `k${i}`, Value: 'v'}))
    expect((await failure(ec2.send(new CreateTagsCommand({Resources: [igw], Tags: many}))))[0]).toBe('TagLimitExceeded')
    await ec2.send(new DeleteRouteTableCommand({RouteTableId: table}))
    await ec2.send(new DeleteInternetGatewayCommand({InternetGatewayId: igw}))
    await ec2.send(new DeleteSubnetCommand({SubnetId: subnetId}))
    await ec2.send(new DeleteVpcCommand({VpcId: vpcId}))
  })

  test('DescribeDhcpOptions and MaxResults/NextToken', async () => {
    const dhcp = await ec2.send(new DescribeDhcpOptionsCommand({}))
    expect(dhcp.DhcpOptions?.[0]?.DhcpConfigurations).toEqual([
      {Key: 'domain-name', Values: [{Value: 'eu-west-1.compute.internal'}]}, {Key: 'domain-name-servers', Values: [{Value: 'AmazonProvidedDNS'}]},
    ])
    const vpcId = await newVpc('10.30.0.0/16')
    for (let n = 0; n < 6; n++) await ec2.send(new CreateSubnetCommand({VpcId: vpcId, CidrBlock: `10.30.${n}.0/24`}))
    const seen: string[] = []
    let token: string | undefined
    do {
      const page = await ec2.send(new DescribeSubnetsCommand({Filters: [{Name: 'vpc-id', Values: [vpcId]}], MaxResults: 5, NextToken: token}))
      seen.push(...(page.Subnets ?? []).map((s) => s.CidrBlock ?? ''))
      token = page.NextToken
    } while (token !== undefined)
    expect(seen).toEqual(['10.30.0.0/24', '10.30.1.0/24', '10.30.2.0/24', '10.30.3.0/24', '10.30.4.0/24', '10.30.5.0/24'])
    // Zones round-robin when none is named.
    const zones = (await ec2.send(new DescribeSubnetsCommand({Filters: [{Name: 'vpc-id', Values: [vpcId]}]}))).Subnets?.map((s) => s.AvailabilityZone)
    expect(zones).toEqual(['eu-west-1a', 'eu-west-1b', 'eu-west-1c', 'eu-west-1a', 'eu-west-1b', 'eu-west-1c'])
  })
})
