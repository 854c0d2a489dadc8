import {afterAll, beforeAll, describe, expect, test} from '@jest/globals'
import {
  DescribeAccountAttributesCommand,
  DescribeImagesCommand,
  DescribeInstanceAttributeCommand,
  DescribeInstanceTypesCommand,
  DescribeSubnetsCommand,
  DescribeTagsCommand,
  DescribeVolumesCommand,
  DescribeVpcsCommand,
  DescribeAvailabilityZonesCommand,
  DescribeInstanceStatusCommand,
  DescribeInstancesCommand,
  DescribeNetworkInterfacesCommand,
  DescribeRegionsCommand,
  DescribeSecurityGroupsCommand,
  EC2Client,
  RunInstancesCommand,
  StartInstancesCommand,
  StopInstancesCommand,
  TerminateInstancesCommand,
  waitUntilInstanceRunning,
} from '@aws-sdk/client-ec2'
import {CreateLoadBalancerCommand, DeleteLoadBalancerCommand, RegisterInstancesWithLoadBalancerCommand} from '@aws-sdk/client-elastic-load-balancing'
import {request} from 'node:http'
import {ec2Rejection} from '../../helpers/api-server.js'
import {startTestEngine, TEST_CREDENTIALS, type TestEngine} from '../../helpers/engine.js'

/** The EC2 Query API (2016-11-15) through the real SDK v3 client, against the whole engine. */

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

function rawPost(body: string): Promise<{status: number; text: string}> {
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

describe('instances', () => {
  test('RunInstances with TagSpecifications and a serve tag launches running instances with demo back ends', async () => {
    const run = await ec2.send(new RunInstancesCommand({
      ImageId: 'ami-12345678', MinCount: 2, MaxCount: 2, InstanceType: 't2.micro',
      Placement: {AvailabilityZone: 'us-east-1b'},
      TagSpecifications: [{ResourceType: 'instance', Tags: [{Key: 'Name', Value: 'web'}, {Key: 'elb-local:serve', Value: 'http:8080'}]}],
    }))
    expect(run.ReservationId).toMatch(/^r-[0-9a-f]{17}$/)
    expect(run.Instances).toHaveLength(2)
    const [first, second] = run.Instances ?? []
    expect(first).toMatchObject({
      ImageId: 'ami-12345678', InstanceType: 't2.micro', State: {Code: 16, Name: 'running'},
      Placement: {AvailabilityZone: 'us-east-1b', Tenancy: 'default'}, AmiLaunchIndex: 0,
      Tags: [{Key: 'Name', Value: 'web'}, {Key: 'elb-local:serve', Value: 'http:8080'}],
    })
    expect(second?.AmiLaunchIndex).toBe(1)
    expect(first?.InstanceId).toMatch(/^i-[0-9a-f]{17}$/)
    expect(first?.LaunchTime).toBeInstanceOf(Date)
    // In the default subnet of its zone: its private address lies there; its loopback address (which
    // carries its traffic) is its public one, as the default subnet maps public addresses.
    const privateIp = first?.PrivateIpAddress ?? ''
    expect(privateIp).toMatch(/^172\.31\.(1[6-9]|2\d|3[01])\.\d+$/)
    const ip = first?.PublicIpAddress ?? ''
    expect(ip).toMatch(/^127\./)
    expect(first?.SubnetId).toMatch(/^subnet-/)
    expect(first?.NetworkInterfaces?.[0]).toMatchObject({SubnetId: first?.SubnetId, VpcId: first?.VpcId, PrivateIpAddress: privateIp, Association: {PublicIp: ip}})
    expect(first?.SecurityGroups?.map((g) => g.GroupName)).toEqual(['default'])
    expect(first?.PrivateDnsName).toBe(`ip-${privateIp.replace(/\./g, '-')}.ec2.internal`)
    expect(first?.PublicDnsName).toBe(`ec2-${ip.replace(/\./g, '-')}.compute-1.amazonaws.com`)
    await waitUntilInstanceRunning({client: ec2, maxWaitTime: 10, minDelay: 1}, {InstanceIds: [first?.InstanceId ?? '']})
    // The demo back end answers on the instance's address.
    const answer = await fetch(`http://${ip}:8080/`)
    expect(answer.status).toBe(200)
    expect(await answer.text()).toContain(first?.InstanceId ?? 'missing')
  })

  test('DescribeInstances by id and by filters (instance-id, instance-state-name, tag:*, availability-zone)', async () => {
    const run = await ec2.send(new RunInstancesCommand({
      ImageId: 'ami-0abcdef1234567890', MinCount: 1, MaxCount: 1, Placement: {AvailabilityZone: 'us-east-1c'},
      TagSpecifications: [{ResourceType: 'instance', Tags: [{Key: 'role', Value: 'db-primary'}]}],
    }))
    const id = run.Instances?.[0]?.InstanceId ?? ''
    const byId = await ec2.send(new DescribeInstancesCommand({InstanceIds: [id]}))
    expect(byId.Reservations?.[0]?.ReservationId).toBe(run.ReservationId)
    expect(byId.Reservations?.[0]?.OwnerId).toMatch(/^\d{12}$/)
    expect(byId.Reservations?.flatMap((r) => r.Instances ?? []).map((i) => i.InstanceId)).toEqual([id])
    const ids = async (Filters: {Name: string; Values: string[]}[]) =>
      (await ec2.send(new DescribeInstancesCommand({Filters}))).Reservations?.flatMap((r) => r.Instances ?? []).map((i) => i.InstanceId)
    expect(await ids([{Name: 'tag:role', Values: ['db-*']}])).toEqual([id])
    expect(await ids([{Name: 'availability-zone', Values: ['us-east-1c']}, {Name: 'instance-state-name', Values: ['running']}])).toEqual([id])
    expect(await ids([{Name: 'instance-id', Values: [id]}, {Name: 'instance-state-name', Values: ['stopped']}])).toEqual([])
    expect(await ids([{Name: 'tag:role', Values: ['web']}])).toEqual([])
    // Pagination: MaxResults 5 with NextToken walks every instance once.
    const seen: string[] = []
    let NextToken: string | undefined
    do {
      const page = await ec2.send(new DescribeInstancesCommand({MaxResults: 5, ...(NextToken === undefined ? {} : {NextToken})}))
      seen.push(...(page.Reservations ?? []).flatMap((r) => r.Instances ?? []).map((i) => i.InstanceId ?? ''))
      NextToken = page.NextToken
    } while (NextToken !== undefined)
    expect(new Set(seen).size).toBe(seen.length)
    expect(seen).toContain(id)
  })

  test('Stop then Start gives the instance a new public IP (the seed\'s warning) and keeps its private one; Terminate ends it', async () => {
    const run = await ec2.send(new RunInstancesCommand({ImageId: 'ami-12345678', MinCount: 1, MaxCount: 1}))
    const id = run.Instances?.[0]?.InstanceId ?? ''
    const oldIp = run.Instances?.[0]?.PublicIpAddress
    const privateIp = run.Instances?.[0]?.PrivateIpAddress
    const stopped = await ec2.send(new StopInstancesCommand({InstanceIds: [id]}))
    expect(stopped.StoppingInstances).toEqual([{InstanceId: id, CurrentState: {Code: 80, Name: 'stopped'}, PreviousState: {Code: 16, Name: 'running'}}])
    const whileStopped = (await ec2.send(new DescribeInstancesCommand({InstanceIds: [id]}))).Reservations?.[0]?.Instances?.[0]
    expect(whileStopped?.PublicIpAddress).toBeUndefined()
    expect(whileStopped?.PublicDnsName).toBe('')
    const started = await ec2.send(new StartInstancesCommand({InstanceIds: [id]}))
    expect(started.StartingInstances?.[0]).toMatchObject({CurrentState: {Name: 'running'}, PreviousState: {Name: 'stopped'}})
    const after = (await ec2.send(new DescribeInstancesCommand({InstanceIds: [id]}))).Reservations?.[0]?.Instances?.[0]
    expect(after?.PublicIpAddress).not.toBe(oldIp)
    expect(after?.PrivateIpAddress).toBe(privateIp)
    const terminated = await ec2.send(new TerminateInstancesCommand({InstanceIds: [id]}))
    expect(terminated.TerminatingInstances?.[0]).toMatchObject({InstanceId: id, CurrentState: {Code: 48, Name: 'terminated'}})
    const stopTerminated = await ec2Rejection(ec2.send(new StopInstancesCommand({InstanceIds: [id]})))
    expect(stopTerminated.name).toBe('IncorrectInstanceState')
  })

  test('DescribeInstanceStatus: running instances by default, every instance with IncludeAllInstances', async () => {
    const run = await ec2.send(new RunInstancesCommand({ImageId: 'ami-12345678', MinCount: 2, MaxCount: 2}))
    const [a, b] = (run.Instances ?? []).map((i) => i.InstanceId ?? '')
    await ec2.send(new StopInstancesCommand({InstanceIds: [b ?? '']}))
    const running = await ec2.send(new DescribeInstanceStatusCommand({InstanceIds: [a ?? '', b ?? '']}))
    expect(running.InstanceStatuses?.map((s) => s.InstanceId)).toEqual([a])
    expect(running.InstanceStatuses?.[0]).toMatchObject({
      AvailabilityZone: 'us-east-1a', InstanceState: {Code: 16, Name: 'running'},
      InstanceStatus: {Status: 'ok', Details: [{Name: 'reachability', Status: 'passed'}]}, SystemStatus: {Status: 'ok'},
    })
    const all = await ec2.send(new DescribeInstanceStatusCommand({InstanceIds: [a ?? '', b ?? ''], IncludeAllInstances: true}))
    expect(all.InstanceStatuses?.map((s) => [s.InstanceId, s.InstanceState?.Name, s.InstanceStatus?.Status])).toEqual([
      [a, 'running', 'ok'], [b, 'stopped', 'not-applicable'],
    ])
  })

  test('errors answer in EC2\'s envelope with EC2\'s codes', async () => {
    const notFound = await ec2Rejection(ec2.send(new DescribeInstancesCommand({InstanceIds: ['i-0123456789abcdef0']})))
    expect(notFound.name).toBe('InvalidInstanceID.NotFound')
    expect(notFound.message).toBe("The instance ID 'i-0123456789abcdef0' does not exist")
    expect(notFound.$metadata.httpStatusCode).toBe(400)
    const malformed = await ec2Rejection(ec2.send(new StopInstancesCommand({InstanceIds: ['i-xyz']})))
    expect(malformed.name).toBe('InvalidInstanceID.Malformed')
    const badFilter = await ec2Rejection(ec2.send(new DescribeInstancesCommand({Filters: [{Name: 'colour', Values: ['red']}]})))
    expect(badFilter.name).toBe('InvalidParameterValue')
    expect(badFilter.message).toBe("The filter 'colour' is invalid")
    const badZone = await ec2Rejection(ec2.send(new RunInstancesCommand({ImageId: 'ami-12345678', MinCount: 1, MaxCount: 1, Placement: {AvailabilityZone: 'eu-west-1a'}})))
    expect(badZone.name).toBe('InvalidParameterValue')
    const badAmi = await ec2Rejection(ec2.send(new RunInstancesCommand({ImageId: 'ubuntu', MinCount: 1, MaxCount: 1})))
    expect(badAmi.name).toBe('InvalidAMIID.Malformed')
    const badServe = await ec2Rejection(ec2.send(new RunInstancesCommand({
      ImageId: 'ami-12345678', MinCount: 1, MaxCount: 1,
      TagSpecifications: [{ResourceType: 'instance', Tags: [{Key: 'elb-local:serve', Value: 'ftp:21'}]}],
    })))
    expect(badServe.name).toBe('InvalidParameterValue')
    expect(badServe.message).toMatch(/elb-local:serve/)
    const dryRun = await ec2Rejection(ec2.send(new RunInstancesCommand({ImageId: 'ami-12345678', MinCount: 1, MaxCount: 1, DryRun: true})))
    expect(dryRun.name).toBe('DryRunOperation')
    expect(dryRun.$metadata.httpStatusCode).toBe(412)
    // The raw envelope, exactly EC2's.
    const raw = await rawPost('Action=DescribeInstances&Version=2016-11-15&InstanceId.1=i-0123456789abcdef0')
    expect(raw.status).toBe(400)
    expect(raw.text).toMatch(/^<\?xml version="1.0" encoding="UTF-8"\?>\n<Response><Errors><Error><Code>InvalidInstanceID\.NotFound<\/Code><Message>The instance ID 'i-0123456789abcdef0' does not exist<\/Message><\/Error><\/Errors><RequestID>[0-9a-f-]{36}<\/RequestID><\/Response>\n$/)
    const unknown = await rawPost('Action=CreateNatGateway&Version=2016-11-15')
    expect(unknown.status).toBe(400)
    expect(unknown.text).toContain('<Code>InvalidAction</Code><Message>The action CreateNatGateway is not valid for this web service.</Message>')
    const ok = await rawPost('Action=DescribeRegions&Version=2016-11-15&RegionName.1=us-east-1')
    expect(ok.text).toMatch(/^<\?xml version="1.0" encoding="UTF-8"\?>\n<DescribeRegionsResponse xmlns="http:\/\/ec2\.amazonaws\.com\/doc\/2016-11-15\/">\n {4}<requestId>[0-9a-f-]{36}<\/requestId>\n {4}<regionInfo>\n {8}<item>\n {12}<regionName>us-east-1<\/regionName>/)
  })
})

describe('account, zones, regions, groups, interfaces', () => {
  test('DescribeAccountAttributes says VPC: supported-platforms VPC and the Region\'s default VPC', async () => {
    const out = await ec2.send(new DescribeAccountAttributesCommand({AttributeNames: ['supported-platforms', 'default-vpc']}))
    const [defaultVpc] = (await ec2.send(new DescribeVpcsCommand({Filters: [{Name: 'is-default', Values: ['true']}]}))).Vpcs ?? []
    expect(defaultVpc?.VpcId).toMatch(/^vpc-[0-9a-f]{17}$/)
    expect(out.AccountAttributes).toEqual([
      {AttributeName: 'supported-platforms', AttributeValues: [{AttributeValue: 'VPC'}]},
      {AttributeName: 'default-vpc', AttributeValues: [{AttributeValue: defaultVpc?.VpcId}]},
    ])
  })

  test('DescribeAvailabilityZones and DescribeRegions', async () => {
    const zones = await ec2.send(new DescribeAvailabilityZonesCommand({}))
    expect(zones.AvailabilityZones?.map((z) => z.ZoneName)).toEqual(['us-east-1a', 'us-east-1b', 'us-east-1c', 'us-east-1d', 'us-east-1e', 'us-east-1f'])
    expect(zones.AvailabilityZones?.[0]).toMatchObject({State: 'available', RegionName: 'us-east-1', ZoneId: 'use1-az1', ZoneType: 'availability-zone'})
    const one = await ec2.send(new DescribeAvailabilityZonesCommand({Filters: [{Name: 'zone-name', Values: ['us-east-1b']}]}))
    expect(one.AvailabilityZones?.map((z) => z.ZoneName)).toEqual(['us-east-1b'])
    const unknown = await ec2Rejection(ec2.send(new DescribeAvailabilityZonesCommand({ZoneNames: ['us-east-1z']})))
    expect(unknown.name).toBe('InvalidParameterValue')
    const regions = await ec2.send(new DescribeRegionsCommand({}))
    expect(regions.Regions?.map((r) => r.RegionName)).toContain('eu-west-1')
    expect(regions.Regions?.find((r) => r.RegionName === 'us-east-1')?.Endpoint).toBe('ec2.us-east-1.amazonaws.com')
  })

  // EC2-Classic's amazon-elb-sg: test/engine/ec2/security-groups.test.ts.
  test('DescribeSecurityGroups in a VPC account knows the default VPC\'s default group', async () => {
    const [group] = (await ec2.send(new DescribeSecurityGroupsCommand({GroupNames: ['default']}))).SecurityGroups ?? []
    expect(group).toMatchObject({GroupName: 'default', OwnerId: '123456789012', VpcId: expect.stringMatching(/^vpc-/)})
    const byOwner = await ec2.send(new DescribeSecurityGroupsCommand({Filters: [{Name: 'owner-id', Values: ['amazon-elb']}]}))
    expect(byOwner.SecurityGroups).toEqual([])
    const missing = await ec2Rejection(ec2.send(new DescribeSecurityGroupsCommand({GroupNames: ['web']})))
    expect(missing.name).toBe('InvalidGroup.NotFound')
  })

  test('DescribeNetworkInterfaces shows a load balancer\'s interface while it exists (ELB deletion waiters)', async () => {
    const [instance] = (await ec2.send(new RunInstancesCommand({ImageId: 'ami-12345678', MinCount: 1, MaxCount: 1}))).Instances ?? []
    await api.elb.send(new CreateLoadBalancerCommand({
      LoadBalancerName: 'eni-lb', AvailabilityZones: ['us-east-1a'], Listeners: [{Protocol: 'HTTP', LoadBalancerPort: 80, InstancePort: 8080}],
    }))
    await api.elb.send(new RegisterInstancesWithLoadBalancerCommand({LoadBalancerName: 'eni-lb', Instances: [{InstanceId: instance?.InstanceId ?? ''}]}))
    const filters = [{Name: 'requester-id', Values: ['amazon-elb']}, {Name: 'description', Values: ['ELB eni-lb']}]
    const present = await ec2.send(new DescribeNetworkInterfacesCommand({Filters: filters}))
    expect(present.NetworkInterfaces).toHaveLength(1)
    expect(present.NetworkInterfaces?.[0]).toMatchObject({Description: 'ELB eni-lb', RequesterId: 'amazon-elb', RequesterManaged: true, Status: 'in-use', AvailabilityZone: 'us-east-1a'})
    const id = present.NetworkInterfaces?.[0]?.NetworkInterfaceId ?? ''
    expect(id).toMatch(/^eni-[0-9a-f]{17}$/)
    await api.elb.send(new DeleteLoadBalancerCommand({LoadBalancerName: 'eni-lb'}))
    expect((await ec2.send(new DescribeNetworkInterfacesCommand({Filters: filters}))).NetworkInterfaces).toEqual([])
    const gone = await ec2Rejection(ec2.send(new DescribeNetworkInterfacesCommand({NetworkInterfaceIds: [id]})))
    expect(gone.name).toBe('InvalidNetworkInterfaceID.NotFound')
  })
})

describe('what provisioning tools read around RunInstances (Terraform, Ansible)', () => {
  test('instance types, images, instance attributes, tags; no volumes; the default VPC and its subnets', async () => {
    const types = await ec2.send(new DescribeInstanceTypesCommand({InstanceTypes: ['m1.small', 't2.micro']}))
    expect(types.InstanceTypes?.map((t) => [t.InstanceType, t.BurstablePerformanceSupported])).toEqual([['m1.small', false], ['t2.micro', true]])
    const badType = await ec2Rejection(ec2.send(new DescribeInstanceTypesCommand({InstanceTypes: ['huge' as 't2.micro']})))
    expect(badType.name).toBe('InvalidParameterValue')
    const images = await ec2.send(new DescribeImagesCommand({ImageIds: ['ami-12345678']}))
    expect(images.Images?.[0]).toMatchObject({ImageId: 'ami-12345678', State: 'available', RootDeviceName: '/dev/sda1', Architecture: 'x86_64'})
    const badImage = await ec2Rejection(ec2.send(new DescribeImagesCommand({ImageIds: ['ubuntu']})))
    expect(badImage.name).toBe('InvalidAMIID.Malformed')

    const run = await ec2.send(new RunInstancesCommand({
      ImageId: 'ami-12345678', MinCount: 1, MaxCount: 1, InstanceType: 't2.micro',
      TagSpecifications: [{ResourceType: 'instance', Tags: [{Key: 'Name', Value: 'tf'}]}],
    }))
    const id = run.Instances?.[0]?.InstanceId ?? ''
    const termination = await ec2.send(new DescribeInstanceAttributeCommand({InstanceId: id, Attribute: 'disableApiTermination'}))
    expect(termination).toMatchObject({InstanceId: id, DisableApiTermination: {Value: false}})
    const type = await ec2.send(new DescribeInstanceAttributeCommand({InstanceId: id, Attribute: 'instanceType'}))
    expect(type.InstanceType).toEqual({Value: 't2.micro'})
    const groups = await ec2.send(new DescribeInstanceAttributeCommand({InstanceId: id, Attribute: 'groupSet'}))
    expect(groups.Groups?.map((g) => g.GroupName)).toEqual(['default'])
    const missing = await ec2Rejection(ec2.send(new DescribeInstanceAttributeCommand({InstanceId: 'i-0123456789abcdef0', Attribute: 'instanceType'})))
    expect(missing.name).toBe('InvalidInstanceID.NotFound')
    const tags = await ec2.send(new DescribeTagsCommand({Filters: [{Name: 'resource-id', Values: [id]}]}))
    expect(tags.Tags).toEqual([{ResourceId: id, ResourceType: 'instance', Key: 'Name', Value: 'tf'}])
    expect((await ec2.send(new DescribeVolumesCommand({}))).Volumes).toEqual([])
    expect((await ec2.send(new DescribeVpcsCommand({}))).Vpcs?.map((vpc) => [vpc.CidrBlock, vpc.IsDefault])).toEqual([['172.31.0.0/16', true]])
    expect((await ec2.send(new DescribeSubnetsCommand({}))).Subnets?.map((subnet) => subnet.AvailabilityZone))
      .toEqual(['us-east-1a', 'us-east-1b', 'us-east-1c', 'us-east-1d', 'us-east-1e', 'us-east-1f'])
    // A subnet that does not exist holds no instance (ec2_instance's lookup before launching).
    const bySubnet = await ec2.send(new DescribeInstancesCommand({Filters: [{Name: 'subnet-id', Values: ['subnet-00000000']}]}))
    expect(bySubnet.Reservations).toEqual([])
  })
})
