import {afterAll, beforeAll, describe, expect, test} from '@jest/globals'
import {
  CreateSubnetCommand, CreateVpcCommand, DeleteSubnetCommand, DescribeInstanceAttributeCommand, DescribeInstancesCommand,
  DescribeNetworkInterfacesCommand, DescribeSubnetsCommand, EC2Client, RunInstancesCommand, TerminateInstancesCommand,
} from '@aws-sdk/client-ec2'
import {CreateLoadBalancerCommand} from '@aws-sdk/client-elastic-load-balancing'
import {loadBalancerNodeAddress} from '../../../src/engine/model/network/placement.js'
import {failure} from '../../helpers/ec2-failure.js'
import {startTestEngine, TEST_CREDENTIALS, type TestEngine} from '../../helpers/engine.js'

/**
 * Instances in subnets (issue 18): RunInstances places an instance in the subnet named (SubnetId,
 * or the primary NetworkInterface as Ansible sends it), else in the default subnet of its zone; it
 * shows an address inside the subnet, its VPC and groups; DescribeNetworkInterfaces lists its
 * interface and each load balancer's interfaces per subnet, owned by amazon-elb.
 */

let api: TestEngine
let ec2: EC2Client

beforeAll(async () => {
  api = await startTestEngine({region: 'us-east-2'})
  ec2 = new EC2Client({endpoint: api.endpoint, region: api.region, credentials: TEST_CREDENTIALS, maxAttempts: 1})
})

afterAll(async () => {
  ec2.destroy()
  await api.close()
})

async function instance(id: string) {
  return (await ec2.send(new DescribeInstancesCommand({InstanceIds: [id]}))).Reservations?.[0]?.Instances?.[0]
}

describe('RunInstances in a VPC', () => {
  test('without a subnet: the default subnet of the zone (or of the first zone), the VPC\'s default group', async () => {
    const run = await ec2.send(new RunInstancesCommand({ImageId: 'ami-12345678', MinCount: 1, MaxCount: 1, Placement: {AvailabilityZone: 'us-east-2c'}}))
    const launched = run.Instances?.[0]
    const [subnet] = (await ec2.send(new DescribeSubnetsCommand({Filters: [{Name: 'default-for-az', Values: ['true']}, {Name: 'availability-zone', Values: ['us-east-2c']}]}))).Subnets ?? []
    expect(launched).toMatchObject({SubnetId: subnet?.SubnetId, VpcId: subnet?.VpcId, Placement: {AvailabilityZone: 'us-east-2c'}})
    expect(launched?.PrivateIpAddress).toMatch(/^172\.31\.(3[2-9]|4[0-7])\.\d+$/)
    expect(launched?.SecurityGroups?.map((g) => g.GroupName)).toEqual(['default'])
    // The subnet counts the address as taken.
    const after = (await ec2.send(new DescribeSubnetsCommand({SubnetIds: [subnet?.SubnetId ?? '']}))).Subnets?.[0]
    expect(after?.AvailableIpAddressCount).toBe(4090)
    const plain = (await ec2.send(new RunInstancesCommand({ImageId: 'ami-12345678', MinCount: 1, MaxCount: 1}))).Instances?.[0]
    expect(plain?.Placement?.AvailabilityZone).toBe('us-east-2a')
    expect(plain?.PrivateIpAddress).toMatch(/^172\.31\.([0-9]|1[0-5])\.\d+$/)
    // ec2_instance's look-up of the groups, and the attribute view.
    const groups = await ec2.send(new DescribeInstanceAttributeCommand({InstanceId: plain?.InstanceId, Attribute: 'groupSet'}))
    expect(groups.Groups).toEqual(launched?.SecurityGroups)
  })

  test('SubnetId + SecurityGroupId (Terraform), NetworkInterface.1 (Ansible), PrivateIpAddress; the errors', async () => {
    const vpcId = (await ec2.send(new CreateVpcCommand({CidrBlock: '10.40.0.0/16'}))).Vpc?.VpcId ?? ''
    const subnet = (await ec2.send(new CreateSubnetCommand({VpcId: vpcId, CidrBlock: '10.40.1.0/24', AvailabilityZone: 'us-east-2b'}))).Subnet
    const subnetId = subnet?.SubnetId ?? ''
    const first = (await ec2.send(new RunInstancesCommand({ImageId: 'ami-12345678', MinCount: 1, MaxCount: 1, SubnetId: subnetId}))).Instances?.[0]
    expect(first).toMatchObject({SubnetId: subnetId, VpcId: vpcId, Placement: {AvailabilityZone: 'us-east-2b'}})
    expect(first?.PrivateIpAddress).toMatch(/^10\.40\.1\.\d+$/)
    // A subnet that does not map public addresses: no public address.
    expect(first?.PublicIpAddress).toBeUndefined()
    const groupId = first?.SecurityGroups?.[0]?.GroupId ?? ''
    expect(groupId).toMatch(/^sg-[0-9a-f]{17}$/)
    const ansible = (await ec2.send(new RunInstancesCommand({
      ImageId: 'ami-12345678', MinCount: 1, MaxCount: 1,
      NetworkInterfaces: [{DeviceIndex: 0, SubnetId: subnetId, Groups: [groupId], AssociatePublicIpAddress: false, PrivateIpAddress: '10.40.1.77'}],
    }))).Instances?.[0]
    expect(ansible).toMatchObject({SubnetId: subnetId, PrivateIpAddress: '10.40.1.77', SecurityGroups: [{GroupId: groupId, GroupName: 'default'}]})
    expect(await failure(ec2.send(new RunInstancesCommand({ImageId: 'ami-12345678', MinCount: 1, MaxCount: 1, SubnetId: subnetId, PrivateIpAddress: '10.40.1.77'}))))
      .toEqual(['InvalidIPAddress.InUse', 'Address 10.40.1.77 is in use.', 400])
    expect(await failure(ec2.send(new RunInstancesCommand({ImageId: 'ami-12345678', MinCount: 1, MaxCount: 1, SubnetId: 'subnet-0123456789abcdef0'}))))
      .toEqual(['InvalidSubnetID.NotFound', "The subnet ID 'subnet-0123456789abcdef0' does not exist", 400])
    // The default VPC's group is not a group of this VPC.
    const defaultGroup = (await instance((await ec2.send(new RunInstancesCommand({ImageId: 'ami-12345678', MinCount: 1, MaxCount: 1}))).Instances?.[0]?.InstanceId ?? ''))
      ?.SecurityGroups?.[0]?.GroupId ?? ''
    expect(await failure(ec2.send(new RunInstancesCommand({ImageId: 'ami-12345678', MinCount: 1, MaxCount: 1, SubnetId: subnetId, SecurityGroupIds: [defaultGroup]}))))
      .toEqual(['InvalidGroup.NotFound', `The security group '${defaultGroup}' does not exist in VPC '${vpcId}'`, 400])
    const bySubnet = await ec2.send(new DescribeInstancesCommand({Filters: [{Name: 'subnet-id', Values: [subnetId]}]}))
    expect(bySubnet.Reservations?.flatMap((r) => r.Instances ?? []).map((i) => i.InstanceId).sort()).toEqual([first?.InstanceId, ansible?.InstanceId].sort())
    // The subnet is in use until its instances are gone.
    expect(await failure(ec2.send(new DeleteSubnetCommand({SubnetId: subnetId}))))
      .toEqual(['DependencyViolation', `The subnet '${subnetId}' has dependencies and cannot be deleted.`, 400])
    await ec2.send(new TerminateInstancesCommand({InstanceIds: [first?.InstanceId ?? '', ansible?.InstanceId ?? '']}))
    await ec2.send(new DeleteSubnetCommand({SubnetId: subnetId}))
  })
})

describe('DescribeNetworkInterfaces', () => {
  test('an instance\'s primary interface; a load balancer\'s interface per subnet, owned by amazon-elb (Terraform\'s clean-up filters)', async () => {
    const launched = (await ec2.send(new RunInstancesCommand({ImageId: 'ami-12345678', MinCount: 1, MaxCount: 1}))).Instances?.[0]
    const own = await ec2.send(new DescribeNetworkInterfacesCommand({Filters: [{Name: 'attachment.instance-id', Values: [launched?.InstanceId ?? '']}]}))
    expect(own.NetworkInterfaces?.map((eni) => [eni.NetworkInterfaceId, eni.PrivateIpAddress, eni.SubnetId, eni.Attachment?.DeviceIndex]))
      .toEqual([[launched?.NetworkInterfaces?.[0]?.NetworkInterfaceId, launched?.PrivateIpAddress, launched?.SubnetId, 0]])

    await api.elb.send(new CreateLoadBalancerCommand({
      LoadBalancerName: 'in-subnets', Listeners: [{Protocol: 'HTTP', LoadBalancerPort: 80, InstancePort: 80}], AvailabilityZones: ['us-east-2a'],
    }))
    // Until CreateLoadBalancer takes Subnets (another part of issue 18), place it in two default subnets through the model.
    const subnets = (await ec2.send(new DescribeSubnetsCommand({Filters: [{Name: 'default-for-az', Values: ['true']}]}))).Subnets?.slice(0, 2) ?? []
    api.engine.store.updateRegion('us-east-2', (region) => {
      const lb = region.loadBalancers.find((candidate) => candidate.name === 'in-subnets')
      if (lb === undefined) throw new Error('no load balancer')
      lb.subnets = subnets.map((s) => s.SubnetId ?? '')
      lb.vpcId = subnets[0]?.VpcId ?? ''
    })
    const filters = [
      {Name: 'attachment.instance-owner-id', Values: ['amazon-elb']}, {Name: 'description', Values: ['ELB in-subnets']},
      {Name: 'vpc-id', Values: [subnets[0]?.VpcId ?? '']}, {Name: 'requester-id', Values: ['amazon-elb']},
    ]
    const elbInterfaces = (await ec2.send(new DescribeNetworkInterfacesCommand({Filters: filters}))).NetworkInterfaces ?? []
    expect(elbInterfaces.map((eni) => [eni.SubnetId, eni.AvailabilityZone, eni.PrivateIpAddress, eni.RequesterManaged, eni.Status]))
      .toEqual(subnets.map((s) => [s.SubnetId, s.AvailabilityZone, loadBalancerNodeAddress('in-subnets', {cidrBlock: s.CidrBlock ?? ''}), true, 'in-use']))
    for (const [index, eni] of elbInterfaces.entries()) {
      expect(eni.PrivateIpAddress).not.toBe('')
      expect(eni.Attachment?.InstanceOwnerId).toBe('amazon-elb')
      const cidr = subnets[index]?.CidrBlock ?? ''
      expect(eni.PrivateIpAddress?.startsWith(cidr.split('.').slice(0, 2).join('.'))).toBe(true)
    }
    const bySubnet = await ec2.send(new DescribeNetworkInterfacesCommand({Filters: [{Name: 'subnet-id', Values: [subnets[1]?.SubnetId ?? '']}, filters[0] as {Name: string; Values: string[]}]}))
    expect(bySubnet.NetworkInterfaces?.map((eni) => eni.Description)).toEqual(['ELB in-subnets'])
    // A subnet with a load balancer's node in it cannot be deleted.
    expect(await failure(ec2.send(new DeleteSubnetCommand({SubnetId: subnets[1]?.SubnetId ?? ''}))))
      .toEqual(['DependencyViolation', `The subnet '${subnets[1]?.SubnetId ?? ''}' has dependencies and cannot be deleted.`, 400])
  })
})
