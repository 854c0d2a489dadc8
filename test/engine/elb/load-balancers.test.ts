import {
  AccessPointNotFoundException,
  CreateLoadBalancerCommand,
  DeleteLoadBalancerCommand,
  DescribeAccountLimitsCommand,
  DescribeLoadBalancerAttributesCommand,
  DescribeLoadBalancersCommand,
  DuplicateAccessPointNameException,
  InvalidSchemeException,
  SubnetNotFoundException,
  TooManyAccessPointsException,
  paginateDescribeLoadBalancers,
  type LoadBalancerDescription,
} from '@aws-sdk/client-elastic-load-balancing'
import {startApiServer, type ApiServerHandle, elbRejection} from '../../helpers/api-server.js'

/** Load balancer lifecycle through the real SDK client and the engine's Query API. */

let api: ApiServerHandle

beforeEach(async () => {
  api = await startApiServer()
})

afterEach(async () => {
  await api.close()
})

const HTTP = {Protocol: 'http', LoadBalancerPort: 80, InstancePort: 8080}

it('creates, describes and deletes a load balancer with AWS defaults', async () => {
  const created = await api.elb.send(new CreateLoadBalancerCommand({LoadBalancerName: 'MyLoadBalancer', Listeners: [HTTP], AvailabilityZones: ['us-east-1a']}))
  expect(created.DNSName).toMatch(/^MyLoadBalancer-\d{9,10}\.us-east-1\.elb\.amazonaws\.com$/)

  const described = await api.elb.send(new DescribeLoadBalancersCommand({LoadBalancerNames: ['MyLoadBalancer']}))
  const lb: LoadBalancerDescription | undefined = described.LoadBalancerDescriptions?.[0]
  expect(lb).toMatchObject({
    LoadBalancerName: 'MyLoadBalancer',
    DNSName: created.DNSName,
    CanonicalHostedZoneName: created.DNSName,
    CanonicalHostedZoneNameID: 'Z35SXDOTRQ7X7K',
    ListenerDescriptions: [{Listener: {Protocol: 'HTTP', LoadBalancerPort: 80, InstanceProtocol: 'HTTP', InstancePort: 8080}, PolicyNames: []}],
    Policies: {AppCookieStickinessPolicies: [], LBCookieStickinessPolicies: [], OtherPolicies: []},
    BackendServerDescriptions: [],
    AvailabilityZones: ['us-east-1a'],
    Subnets: [],
    Instances: [],
    HealthCheck: {Target: 'TCP:8080', Interval: 30, Timeout: 5, UnhealthyThreshold: 2, HealthyThreshold: 10},
    SourceSecurityGroup: {OwnerAlias: 'amazon-elb', GroupName: 'amazon-elb-sg'},
    SecurityGroups: [],
    Scheme: 'internet-facing',
  })
  expect(lb?.CreatedTime).toBeInstanceOf(Date)
  expect(Math.abs((lb?.CreatedTime?.getTime() ?? 0) - Date.now())).toBeLessThan(60_000)
  expect(lb?.VPCId).toBeUndefined()
  expect(described.NextMarker).toBeUndefined()

  const attributes = await api.elb.send(new DescribeLoadBalancerAttributesCommand({LoadBalancerName: 'MyLoadBalancer'}))
  expect(attributes.LoadBalancerAttributes).toEqual({
    CrossZoneLoadBalancing: {Enabled: false},
    AccessLog: {Enabled: false},
    ConnectionDraining: {Enabled: false, Timeout: 300},
    ConnectionSettings: {IdleTimeout: 60},
    AdditionalAttributes: [{Key: 'elb.http.desyncmitigationmode', Value: 'defensive'}],
  })

  await api.elb.send(new DeleteLoadBalancerCommand({LoadBalancerName: 'MyLoadBalancer'}))
  await api.elb.send(new DeleteLoadBalancerCommand({LoadBalancerName: 'MyLoadBalancer'}))
  expect((await api.elb.send(new DescribeLoadBalancersCommand({}))).LoadBalancerDescriptions).toEqual([])
})

it('answers errors with the SDK exception classes, wire codes and AWS texts', async () => {
  await api.elb.send(new CreateLoadBalancerCommand({LoadBalancerName: 'web', Listeners: [HTTP], AvailabilityZones: ['us-east-1a']}))

  const duplicate = await elbRejection(api.elb.send(new CreateLoadBalancerCommand({
    LoadBalancerName: 'web', Listeners: [{...HTTP, InstancePort: 9090}], AvailabilityZones: ['us-east-1a'],
  })))
  expect(duplicate).toBeInstanceOf(DuplicateAccessPointNameException)
  expect(duplicate.name).toBe('DuplicateAccessPointNameException')
  expect(duplicate.message).toBe("Load Balancer named 'web' already exists and it is configured with different parameters.")
  expect(duplicate.$metadata.httpStatusCode).toBe(400)

  const missing = await elbRejection(api.elb.send(new DescribeLoadBalancersCommand({LoadBalancerNames: ['nope']})))
  expect(missing).toBeInstanceOf(AccessPointNotFoundException)
  expect(missing.message).toBe('Cannot find Load Balancer nope')
  const missingAttributes = await elbRejection(api.elb.send(new DescribeLoadBalancerAttributesCommand({LoadBalancerName: 'nope'})))
  expect(missingAttributes).toBeInstanceOf(AccessPointNotFoundException)
  expect(missingAttributes.message).toBe("There is no ACTIVE Load Balancer named 'nope'")

  const badName = await elbRejection(api.elb.send(new CreateLoadBalancerCommand({LoadBalancerName: 'bad_name', Listeners: [HTTP], AvailabilityZones: ['us-east-1a']})))
  expect(badName.name).toBe('ValidationError')
  expect(badName.message).toBe('LoadBalancer name cannot contain characters that are not letters, or digits or the dash.')

  const subnets = await elbRejection(api.elb.send(new CreateLoadBalancerCommand({LoadBalancerName: 'vpc', Listeners: [HTTP], Subnets: ['subnet-12345678']})))
  expect(subnets).toBeInstanceOf(SubnetNotFoundException)
  const scheme = await elbRejection(api.elb.send(new CreateLoadBalancerCommand({
    LoadBalancerName: 'sch', Listeners: [HTTP], AvailabilityZones: ['us-east-1a'], Scheme: 'private',
  })))
  expect(scheme).toBeInstanceOf(InvalidSchemeException)
})

it('stops at 20 load balancers per region with TooManyAccessPointsException', async () => {
  for (let i = 0; i < 20; i++) {
    await api.elb.send(new CreateLoadBalancerCommand({LoadBalancerName: `lb-${i}`, Listeners: [HTTP], AvailabilityZones: ['us-east-1a']}))
  }
  const error = await elbRejection(api.elb.send(new CreateLoadBalancerCommand({LoadBalancerName: 'lb-20', Listeners: [HTTP], AvailabilityZones: ['us-east-1a']})))
  expect(error).toBeInstanceOf(TooManyAccessPointsException)
  const west = api.elbIn('us-west-2')
  await west.send(new CreateLoadBalancerCommand({LoadBalancerName: 'lb-20', Listeners: [HTTP], AvailabilityZones: ['us-west-2a']}))
})

it('pages DescribeLoadBalancers with Marker and PageSize (SDK paginator)', async () => {
  for (let i = 0; i < 5; i++) {
    await api.elb.send(new CreateLoadBalancerCommand({LoadBalancerName: `lb-${i}`, Listeners: [HTTP], AvailabilityZones: ['us-east-1a']}))
  }
  const first = await api.elb.send(new DescribeLoadBalancersCommand({PageSize: 2}))
  expect(first.LoadBalancerDescriptions?.map((lb) => lb.LoadBalancerName)).toEqual(['lb-0', 'lb-1'])
  expect(typeof first.NextMarker).toBe('string')

  const pages: string[][] = []
  for await (const page of paginateDescribeLoadBalancers({client: api.elb}, {PageSize: 2})) {
    pages.push((page.LoadBalancerDescriptions ?? []).map((lb) => lb.LoadBalancerName ?? ''))
  }
  expect(pages).toEqual([['lb-0', 'lb-1'], ['lb-2', 'lb-3'], ['lb-4']])

  const tooBig = await elbRejection(api.elb.send(new DescribeLoadBalancersCommand({PageSize: 401})))
  expect(tooBig.name).toBe('ValidationError')
})

it('scopes load balancers to the region of the request signature', async () => {
  const west = api.elbIn('eu-west-1')
  const east = await api.elb.send(new CreateLoadBalancerCommand({LoadBalancerName: 'shared', Listeners: [HTTP], AvailabilityZones: ['us-east-1a']}))
  const europe = await west.send(new CreateLoadBalancerCommand({LoadBalancerName: 'shared', Listeners: [HTTP], AvailabilityZones: ['eu-west-1a']}))
  expect(europe.DNSName).toMatch(/^shared-\d+\.eu-west-1\.elb\.amazonaws\.com$/)
  expect(europe.DNSName).not.toBe(east.DNSName)
  const westOnly = await west.send(new DescribeLoadBalancersCommand({}))
  expect(westOnly.LoadBalancerDescriptions?.map((lb) => [lb.LoadBalancerName, lb.AvailabilityZones, lb.CanonicalHostedZoneNameID])).toEqual([
    ['shared', ['eu-west-1a'], 'Z32O12XQLNTSW2'],
  ])
  await west.send(new DeleteLoadBalancerCommand({LoadBalancerName: 'shared'}))
  expect((await api.elb.send(new DescribeLoadBalancersCommand({}))).LoadBalancerDescriptions?.map((lb) => lb.LoadBalancerName)).toEqual(['shared'])
  const wrongZone = await elbRejection(west.send(new CreateLoadBalancerCommand({LoadBalancerName: 'x', Listeners: [HTTP], AvailabilityZones: ['us-east-1a']})))
  expect(wrongZone.message).toBe('Invalid Availability Zone: us-east-1a')
})

it('describes the account limits', async () => {
  const out = await api.elb.send(new DescribeAccountLimitsCommand({}))
  expect(out.Limits).toEqual([
    {Name: 'classic-load-balancers', Max: '20'},
    {Name: 'classic-listeners', Max: '100'},
    {Name: 'classic-registered-instances', Max: '1000'},
  ])
  expect(out.NextMarker).toBeUndefined()
})
