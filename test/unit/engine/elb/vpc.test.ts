import {expectError, HTTP_80} from './fixture.js'
import {ACCOUNT, instanceIn, vpcHarness, vpcNetwork} from './vpc-fixture.js'

const base = {LoadBalancerName: 'web', Listeners: [HTTP_80]}

describe('ElbService in a VPC account', () => {
  it('places a load balancer created by zones in their default subnets, with ELB\'s default_elb_ group', () => {
    const {elb, ctx, store} = vpcHarness()
    elb.createLoadBalancer(ctx, {...base, Listeners: [HTTP_80, {...HTTP_80, LoadBalancerPort: 8081}], AvailabilityZones: ['us-east-1b', 'us-east-1a']})
    const [lb] = elb.describeLoadBalancers(ctx, {}).LoadBalancerDescriptions ?? []
    const groups = store.region('us-east-1').network?.securityGroups ?? []
    const elbGroup = groups.find((group) => group.groupName.startsWith('default_elb_'))
    expect(elbGroup).toMatchObject({
      groupName: expect.stringMatching(/^default_elb_[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/) as string,
      groupId: expect.stringMatching(/^sg-[0-9a-f]{17}$/) as string,
      vpcId: 'vpc-default',
      description: 'ELB created security group used when no security group is specified during ELB creation - modifications could impact traffic to future ELBs',
      ingress: [
        expect.objectContaining({ipProtocol: 'tcp', fromPort: 80, toPort: 80, cidrIpv4: '0.0.0.0/0'}),
        expect.objectContaining({ipProtocol: 'tcp', fromPort: 8081, toPort: 8081, cidrIpv4: '0.0.0.0/0'}),
      ],
      egress: [expect.objectContaining({ipProtocol: '-1', cidrIpv4: '0.0.0.0/0'})],
    })
    expect(lb).toMatchObject({
      SecurityGroups: [elbGroup?.groupId],
      VPCId: 'vpc-default',
      AvailabilityZones: ['us-east-1b', 'us-east-1a'],
      Subnets: ['subnet-db', 'subnet-da'],
      Scheme: 'internet-facing',
      SourceSecurityGroup: {OwnerAlias: ACCOUNT, GroupName: elbGroup?.groupName},
    })
    // AWS's element order (elb-api.md §2.1): VPCId between HealthCheck and ListenerDescriptions.
    expect(Object.keys(lb ?? {}).slice(0, 5)).toEqual(['SecurityGroups', 'LoadBalancerName', 'CreatedTime', 'HealthCheck', 'VPCId'])

    // One such group per default VPC: the next load balancer reuses it, its rules unchanged.
    elb.createLoadBalancer(ctx, {...base, LoadBalancerName: 'second', Listeners: [{...HTTP_80, LoadBalancerPort: 9000}], Subnets: ['subnet-dc']})
    expect(elb.describeLoadBalancers(ctx, {LoadBalancerNames: ['second']}).LoadBalancerDescriptions?.[0]?.SecurityGroups).toEqual([elbGroup?.groupId])
    const after = store.region('us-east-1').network?.securityGroups ?? []
    expect(after.filter((group) => group.groupName.startsWith('default_elb_'))).toEqual([elbGroup])
  })

  it('creates by subnets with given groups, and an internal load balancer in a VPC without an internet gateway', () => {
    const {elb, ctx} = vpcHarness()
    elb.createLoadBalancer(ctx, {...base, Subnets: ['subnet-da', 'subnet-dc'], SecurityGroups: ['sg-web']})
    const dns = elb.createLoadBalancer(ctx, {...base, LoadBalancerName: 'inside', Subnets: ['subnet-ca'], Scheme: 'internal'}).DNSName
    expect(dns).toMatch(/^internal-inside-\d+\.us-east-1\.elb\.amazonaws\.com$/)
    const [web, inside] = elb.describeLoadBalancers(ctx, {}).LoadBalancerDescriptions ?? []
    expect(web).toMatchObject({VPCId: 'vpc-default', Subnets: ['subnet-da', 'subnet-dc'], AvailabilityZones: ['us-east-1a', 'us-east-1c'],
      SecurityGroups: ['sg-web'], SourceSecurityGroup: {OwnerAlias: ACCOUNT, GroupName: 'web-elb'}})
    expect(inside).toMatchObject({VPCId: 'vpc-custom', Subnets: ['subnet-ca'], SecurityGroups: ['sg-custom'], Scheme: 'internal'})
    // The same request again is the same load balancer (idempotent by subnets too).
    expect(elb.createLoadBalancer(ctx, {...base, Subnets: ['subnet-dc', 'subnet-da'], SecurityGroups: ['sg-web']}).DNSName).toBe(web?.DNSName)
  })

  it('refuses what AWS refuses at creation, with its codes, texts and statuses, and keeps nothing', () => {
    const {elb, ctx, store} = vpcHarness()
    const cases: [object, string, number, string][] = [
      [{AvailabilityZones: ['us-east-1a'], Subnets: ['subnet-da']}, 'ValidationError', 400, 'Only one of SubnetIds or AvailabilityZones may be specified'],
      [{}, 'ValidationError', 400, 'Either AvailabilityZones or SubnetIds must be specified'],
      [{Subnets: ['subnet-nope']}, 'SubnetNotFound', 400, "The subnet ID 'subnet-nope' does not exist"],
      [{Subnets: ['subnet-ca', 'subnet-ca2'], Scheme: 'internal'}, 'InvalidConfigurationRequest', 409, 'ELB cannot be attached to multiple subnets in the same AZ.'],
      [{Subnets: ['subnet-da', 'subnet-cb']}, 'InvalidConfigurationRequest', 409, 'Subnet "subnet-cb" does not belong to VPC "vpc-default"'],
      [{Subnets: ['subnet-ca']}, 'InvalidSubnet', 400, 'VPC vpc-custom has no internet gateway'],
      [{Subnets: ['subnet-da'], SecurityGroups: ['sg-nope']}, 'InvalidSecurityGroup', 400, 'One or more of the specified security groups do not exist.'],
      [{Subnets: ['subnet-da'], SecurityGroups: ['sg-custom-web']}, 'InvalidConfigurationRequest', 409,
        'Security group "sg-custom-web" does not belong to VPC "vpc-default"'],
      [{Subnets: ['subnet-da'], SecurityGroups: ['sg-1', 'sg-2', 'sg-3', 'sg-4', 'sg-5', 'sg-6']}, 'InvalidConfigurationRequest', 409,
        'The maximum number of security groups per load balancer has been reached.'],
      [{AvailabilityZones: ['us-east-1d']}, 'InvalidConfigurationRequest', 409, "No default subnet for availability zone: 'us-east-1d'."],
    ]
    for (const [place, code, status, message] of cases) {
      expect(expectError(() => elb.createLoadBalancer(ctx, {...base, ...place}), code, message).status).toBe(status)
    }
    expect(store.region('us-east-1').loadBalancers).toEqual([])
    expect(store.region('us-east-1').network).toEqual(vpcNetwork())
  })

  it('answers Default VPC not found when zones are given and the region has no default VPC', () => {
    const network = vpcNetwork()
    const {elb, ctx} = vpcHarness({...network, vpcs: network.vpcs.filter((vpc) => !vpc.isDefault)})
    const error = expectError(() => elb.createLoadBalancer(ctx, {...base, AvailabilityZones: ['us-east-1a']}), 'InvalidConfigurationRequest', 'Default VPC not found')
    expect(error.status).toBe(409)
  })

  it('attaches and detaches subnets, zones following them', () => {
    const {elb, ctx} = vpcHarness()
    elb.createLoadBalancer(ctx, {...base, Subnets: ['subnet-ca'], Scheme: 'internal'})
    expect(elb.attachLoadBalancerToSubnets(ctx, {LoadBalancerName: 'web', Subnets: ['subnet-cb']}).Subnets).toEqual(['subnet-ca', 'subnet-cb'])
    expectError(() => elb.attachLoadBalancerToSubnets(ctx, {LoadBalancerName: 'web', Subnets: ['subnet-ca2']}), 'InvalidConfigurationRequest',
      'ELB cannot be attached to multiple subnets in the same AZ.')
    expectError(() => elb.attachLoadBalancerToSubnets(ctx, {LoadBalancerName: 'web', Subnets: ['subnet-dc']}), 'InvalidConfigurationRequest',
      'Subnet "subnet-dc" does not belong to VPC "vpc-custom"')
    expectError(() => elb.attachLoadBalancerToSubnets(ctx, {LoadBalancerName: 'web', Subnets: ['subnet-zz']}), 'SubnetNotFound', /subnet-zz/)
    expect(elb.describeLoadBalancers(ctx, {}).LoadBalancerDescriptions?.[0]?.AvailabilityZones).toEqual(['us-east-1a', 'us-east-1b'])

    expect(elb.detachLoadBalancerFromSubnets(ctx, {LoadBalancerName: 'web', Subnets: ['subnet-ca', 'subnet-unknown']}).Subnets).toEqual(['subnet-cb'])
    expect(elb.describeLoadBalancers(ctx, {}).LoadBalancerDescriptions?.[0]?.AvailabilityZones).toEqual(['us-east-1b'])
    const last = expectError(() => elb.detachLoadBalancerFromSubnets(ctx, {LoadBalancerName: 'web', Subnets: ['subnet-cb']}), 'InvalidConfigurationRequest',
      'Cannot detach all subnets from the LoadBalancer; at least one must remain attached.')
    expect(last.status).toBe(409)
  })

  it('refuses a subnet of an internet-facing load balancer in a VPC that lost its internet gateway', () => {
    const network = vpcNetwork()
    const {elb, ctx, store} = vpcHarness(network)
    elb.createLoadBalancer(ctx, {...base, AvailabilityZones: ['us-east-1a']})
    store.updateRegion('us-east-1', (region) => {
      if (region.network !== undefined) region.network.internetGateways = []
    })
    expectError(() => elb.attachLoadBalancerToSubnets(ctx, {LoadBalancerName: 'web', Subnets: ['subnet-db']}), 'InvalidSubnet', 'VPC vpc-default has no internet gateway')
  })

  it('replaces the security groups of a VPC load balancer', () => {
    const {elb, ctx} = vpcHarness()
    elb.createLoadBalancer(ctx, {...base, AvailabilityZones: ['us-east-1a'], SecurityGroups: ['sg-default']})
    expect(elb.applySecurityGroupsToLoadBalancer(ctx, {LoadBalancerName: 'web', SecurityGroups: ['sg-web', 'sg-default']}).SecurityGroups)
      .toEqual(['sg-web', 'sg-default'])
    expect(elb.describeLoadBalancers(ctx, {}).LoadBalancerDescriptions?.[0]?.SourceSecurityGroup).toEqual({OwnerAlias: ACCOUNT, GroupName: 'web-elb'})
    expectError(() => elb.applySecurityGroupsToLoadBalancer(ctx, {LoadBalancerName: 'web', SecurityGroups: ['sg-gone']}), 'InvalidSecurityGroup',
      'One or more of the specified security groups do not exist.')
    expectError(() => elb.applySecurityGroupsToLoadBalancer(ctx, {LoadBalancerName: 'web', SecurityGroups: ['sg-custom']}), 'InvalidConfigurationRequest',
      'Security group "sg-custom" does not belong to VPC "vpc-default"')
    expect(elb.describeLoadBalancers(ctx, {}).LoadBalancerDescriptions?.[0]?.SecurityGroups).toEqual(['sg-web', 'sg-default'])
  })

  it('enables and disables zones in the default VPC through their default subnets, and refuses them in another VPC', () => {
    const {elb, ctx} = vpcHarness()
    elb.createLoadBalancer(ctx, {...base, AvailabilityZones: ['us-east-1a']})
    expect(elb.enableAvailabilityZonesForLoadBalancer(ctx, {LoadBalancerName: 'web', AvailabilityZones: ['us-east-1c']}).AvailabilityZones)
      .toEqual(['us-east-1a', 'us-east-1c'])
    expect(elb.describeLoadBalancers(ctx, {}).LoadBalancerDescriptions?.[0]?.Subnets).toEqual(['subnet-da', 'subnet-dc'])
    expect(elb.disableAvailabilityZonesForLoadBalancer(ctx, {LoadBalancerName: 'web', AvailabilityZones: ['us-east-1a']}).AvailabilityZones)
      .toEqual(['us-east-1c'])
    expect(elb.describeLoadBalancers(ctx, {}).LoadBalancerDescriptions?.[0]?.Subnets).toEqual(['subnet-dc'])

    elb.createLoadBalancer(ctx, {...base, LoadBalancerName: 'inside', Subnets: ['subnet-ca'], Scheme: 'internal'})
    expectError(() => elb.enableAvailabilityZonesForLoadBalancer(ctx, {LoadBalancerName: 'inside', AvailabilityZones: ['us-east-1b']}), 'ValidationError',
      'You cannot enable Availability Zones for ELBs in a non default VPC')
    expectError(() => elb.disableAvailabilityZonesForLoadBalancer(ctx, {LoadBalancerName: 'inside', AvailabilityZones: ['us-east-1a']}), 'ValidationError',
      'You cannot disable Availability Zones for ELBs in VPC.')
  })

  it('registers only instances in the load balancer VPC', () => {
    const {elb, ctx} = vpcHarness(vpcNetwork(), [
      instanceIn('i-00000001', {vpcId: 'vpc-default', subnetId: 'subnet-da'}),
      instanceIn('i-00000002', {vpcId: 'vpc-custom', subnetId: 'subnet-ca'}),
      instanceIn('i-00000003', {}),
    ])
    elb.createLoadBalancer(ctx, {...base, AvailabilityZones: ['us-east-1a']})
    elb.createLoadBalancer(ctx, {...base, LoadBalancerName: 'inside', Subnets: ['subnet-ca'], Scheme: 'internal'})
    // i-00000003 names no VPC: launched without a subnet, it is in the default VPC (as EC2 places it).
    expect(elb.registerInstancesWithLoadBalancer(ctx, {LoadBalancerName: 'web', Instances: [{InstanceId: 'i-00000001'}, {InstanceId: 'i-00000003'}]}).Instances)
      .toEqual([{InstanceId: 'i-00000001'}, {InstanceId: 'i-00000003'}])
    expectError(() => elb.registerInstancesWithLoadBalancer(ctx, {LoadBalancerName: 'web', Instances: [{InstanceId: 'i-00000002'}]}), 'InvalidInstance',
      'EC2 instance i-00000002 is not in the same VPC as ELB.')
    expect(elb.registerInstancesWithLoadBalancer(ctx, {LoadBalancerName: 'inside', Instances: [{InstanceId: 'i-00000002'}]}).Instances)
      .toEqual([{InstanceId: 'i-00000002'}])
    for (const id of ['i-00000001', 'i-00000003']) {
      expectError(() => elb.registerInstancesWithLoadBalancer(ctx, {LoadBalancerName: 'inside', Instances: [{InstanceId: id}]}), 'InvalidInstance',
        `EC2 instance ${id} is not in the same VPC as ELB.`)
    }
    expect(elb.describeLoadBalancers(ctx, {}).LoadBalancerDescriptions?.map((lb) => lb.Instances)).toEqual([
      [{InstanceId: 'i-00000001'}, {InstanceId: 'i-00000003'}], [{InstanceId: 'i-00000002'}],
    ])
  })
})
