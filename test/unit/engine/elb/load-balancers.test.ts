import {HTTP_80, HTTPS_443, CERT_ARN, FIXED_NOW, REGION, expectError, harness} from './fixture.js'

describe('ElbService load balancer lifecycle', () => {
  it('creates a load balancer with AWS defaults and describes it in AWS element order', () => {
    const {elb, ctx, store} = harness()
    const out = elb.createLoadBalancer(ctx, {
      LoadBalancerName: 'MyLoadBalancer',
      Listeners: [HTTP_80, HTTPS_443],
      AvailabilityZones: ['us-east-1a'],
    })
    expect(out.DNSName).toMatch(/^MyLoadBalancer-\d{9,10}\.us-east-1\.elb\.amazonaws\.com$/)

    const [lb] = elb.describeLoadBalancers(ctx, {}).LoadBalancerDescriptions ?? []
    expect(lb).toEqual({
      SecurityGroups: [],
      LoadBalancerName: 'MyLoadBalancer',
      CreatedTime: FIXED_NOW,
      HealthCheck: {Interval: 30, Target: 'TCP:8080', HealthyThreshold: 10, Timeout: 5, UnhealthyThreshold: 2},
      ListenerDescriptions: [
        {PolicyNames: [], Listener: {Protocol: 'HTTP', LoadBalancerPort: 80, InstanceProtocol: 'HTTP', InstancePort: 8080}},
        {
          PolicyNames: ['ELBSecurityPolicy-2016-08'],
          Listener: {Protocol: 'HTTPS', LoadBalancerPort: 443, InstanceProtocol: 'HTTPS', InstancePort: 443, SSLCertificateId: CERT_ARN},
        },
      ],
      Instances: [],
      Policies: {AppCookieStickinessPolicies: [], OtherPolicies: ['ELBSecurityPolicy-2016-08'], LBCookieStickinessPolicies: []},
      AvailabilityZones: ['us-east-1a'],
      CanonicalHostedZoneName: out.DNSName,
      CanonicalHostedZoneNameID: 'Z35SXDOTRQ7X7K',
      Scheme: 'internet-facing',
      DNSName: out.DNSName,
      BackendServerDescriptions: [],
      Subnets: [],
      SourceSecurityGroup: {OwnerAlias: 'amazon-elb', GroupName: 'amazon-elb-sg'},
    })
    expect(Object.keys(lb ?? {})).toEqual([
      'SecurityGroups', 'LoadBalancerName', 'CreatedTime', 'HealthCheck', 'ListenerDescriptions', 'Instances', 'Policies',
      'AvailabilityZones', 'CanonicalHostedZoneName', 'CanonicalHostedZoneNameID', 'Scheme', 'DNSName',
      'BackendServerDescriptions', 'Subnets', 'SourceSecurityGroup',
    ])
    const record = store.region(REGION).loadBalancers[0]
    expect(record?.localAddress).toBe('127.1.0.1')
    expect(record?.createdTime).toBe('2026-11-24T01:02:03.456Z')
    expect(elb.describeLoadBalancerAttributes(ctx, {LoadBalancerName: 'MyLoadBalancer'}).LoadBalancerAttributes).toEqual({
      CrossZoneLoadBalancing: {Enabled: false},
      AccessLog: {Enabled: false},
      ConnectionDraining: {Enabled: false, Timeout: 300},
      ConnectionSettings: {IdleTimeout: 60},
      AdditionalAttributes: [{Key: 'elb.http.desyncmitigationmode', Value: 'defensive'}],
    })
  })

  it('derives a stable DNS name per account, region and name, prefixed internal- for the internal scheme', () => {
    const a = harness()
    const b = harness()
    const first = a.elb.createLoadBalancer(a.ctx, {LoadBalancerName: 'web', Listeners: [HTTP_80], AvailabilityZones: ['us-east-1a']})
    const again = b.elb.createLoadBalancer(b.ctx, {LoadBalancerName: 'web', Listeners: [HTTP_80], AvailabilityZones: ['us-east-1a']})
    expect(again.DNSName).toBe(first.DNSName)
    const west = a.elb.createLoadBalancer(a.ctxIn('eu-west-1'), {
      LoadBalancerName: 'web',
      Listeners: [HTTP_80],
      AvailabilityZones: ['eu-west-1b'],
      Scheme: 'internal',
    })
    expect(west.DNSName).toMatch(/^internal-web-\d{9,10}\.eu-west-1\.elb\.amazonaws\.com$/)
    const [described] = a.elb.describeLoadBalancers(a.ctxIn('eu-west-1'), {}).LoadBalancerDescriptions ?? []
    expect(described?.Scheme).toBe('internal')
    expect(described?.CanonicalHostedZoneNameID).toBe('Z32O12XQLNTSW2')
  })

  it('allocates the first free loopback address across regions and reuses a freed one', () => {
    const {elb, ctx, ctxIn, store} = harness()
    elb.createLoadBalancer(ctx, {LoadBalancerName: 'one', Listeners: [HTTP_80], AvailabilityZones: ['us-east-1a']})
    elb.createLoadBalancer(ctxIn('us-west-2'), {LoadBalancerName: 'two', Listeners: [HTTP_80], AvailabilityZones: ['us-west-2a']})
    elb.createLoadBalancer(ctx, {LoadBalancerName: 'three', Listeners: [HTTP_80], AvailabilityZones: ['us-east-1a']})
    const addresses = () =>
      Object.values(store.state.regions).flatMap((r) => r.loadBalancers.map((lb) => `${lb.name}=${lb.localAddress}`))
    expect(addresses()).toEqual(['one=127.1.0.1', 'three=127.1.0.3', 'two=127.1.0.2'])
    elb.deleteLoadBalancer(ctx, {LoadBalancerName: 'one'})
    elb.createLoadBalancer(ctx, {LoadBalancerName: 'four', Listeners: [HTTP_80], AvailabilityZones: ['us-east-1a']})
    expect(addresses()).toContain('four=127.1.0.1')
  })

  it.each([
    ['a'.repeat(33), 'LoadBalancer name cannot be longer than 32 characters'],
    ['my_lb', 'LoadBalancer name cannot contain characters that are not letters, or digits or the dash.'],
    ['-lead', 'LoadBalancer name cannot begin or end with a dash.'],
    ['trail-', 'LoadBalancer name cannot begin or end with a dash.'],
    ['', 'LoadBalancer name cannot be empty'],
  ])('rejects the name %j with ValidationError', (name, message) => {
    const {elb, ctx, store} = harness()
    expectError(
      () => elb.createLoadBalancer(ctx, {LoadBalancerName: name, Listeners: [HTTP_80], AvailabilityZones: ['us-east-1a']}),
      'ValidationError',
      message,
    )
    expect(store.region(REGION).loadBalancers).toEqual([])
  })

  it('accepts a 32-character name', () => {
    const {elb, ctx} = harness()
    expect(() =>
      elb.createLoadBalancer(ctx, {LoadBalancerName: 'a'.repeat(32), Listeners: [HTTP_80], AvailabilityZones: ['us-east-1a']}),
    ).not.toThrow()
  })

  it('is idempotent for an identical request and DuplicateLoadBalancerName otherwise', () => {
    const {elb, ctx, store} = harness()
    const request = {LoadBalancerName: 'web', Listeners: [HTTP_80], AvailabilityZones: ['us-east-1a']}
    const first = elb.createLoadBalancer(ctx, request)
    expect(elb.createLoadBalancer(ctx, request)).toEqual(first)
    expect(store.region(REGION).loadBalancers).toHaveLength(1)
    expectError(
      () => elb.createLoadBalancer(ctx, {...request, Listeners: [{...HTTP_80, InstancePort: 9090}]}),
      'DuplicateLoadBalancerName',
      "Load Balancer named 'web' already exists and it is configured with different parameters.",
    )
  })

  it('keeps load balancers per region and allows 20 per region (TooManyLoadBalancers)', () => {
    const {elb, ctx, ctxIn, store} = harness()
    for (let i = 0; i < 20; i++) {
      elb.createLoadBalancer(ctx, {LoadBalancerName: `lb-${i}`, Listeners: [HTTP_80], AvailabilityZones: ['us-east-1a']})
    }
    const error = expectError(
      () => elb.createLoadBalancer(ctx, {LoadBalancerName: 'lb-20', Listeners: [HTTP_80], AvailabilityZones: ['us-east-1a']}),
      'TooManyLoadBalancers',
      /quota for the number of load balancers \(20\)/,
    )
    expect(error.status).toBe(400)
    expect(store.region(REGION).loadBalancers).toHaveLength(20)
    expect(() =>
      elb.createLoadBalancer(ctxIn('us-west-1'), {LoadBalancerName: 'lb-0', Listeners: [HTTP_80], AvailabilityZones: ['us-west-1a']}),
    ).not.toThrow()
    expect(elb.describeLoadBalancers(ctxIn('us-west-1'), {}).LoadBalancerDescriptions?.map((d) => d.LoadBalancerName)).toEqual(['lb-0'])
  })

  it('requires zones of its region and rejects VPC-only parameters (no VPC locally)', () => {
    const {elb, ctx, store} = harness()
    const base = {LoadBalancerName: 'web', Listeners: [HTTP_80]}
    expectError(() => elb.createLoadBalancer(ctx, base), 'ValidationError', 'Either AvailabilityZones or SubnetIds must be specified')
    expectError(
      () => elb.createLoadBalancer(ctx, {...base, AvailabilityZones: ['us-west-2a']}),
      'ValidationError',
      'Invalid Availability Zone: us-west-2a',
    )
    expectError(
      () => elb.createLoadBalancer(ctx, {...base, AvailabilityZones: ['us-east-1z']}),
      'ValidationError',
      'Invalid Availability Zone: us-east-1z',
    )
    expectError(() => elb.createLoadBalancer(ctx, {...base, Subnets: ['subnet-12345678']}), 'SubnetNotFound', "The subnet ID 'subnet-12345678' does not exist")
    expectError(
      () => elb.createLoadBalancer(ctx, {...base, AvailabilityZones: ['us-east-1a'], SecurityGroups: ['sg-1']}),
      'InvalidSecurityGroup',
      'SecurityGroups is only supported for load balancers in a VPC',
    )
    expectError(
      () => elb.createLoadBalancer(ctx, {...base, AvailabilityZones: ['us-east-1a'], Scheme: 'public'}),
      'InvalidScheme',
      /scheme is not valid: public/,
    )
    expectError(() => elb.createLoadBalancer(ctx, {...base, Listeners: [], AvailabilityZones: ['us-east-1a']}), 'ValidationError', 'Listeners cannot be empty')
    expect(store.region(REGION).loadBalancers).toEqual([])
  })

  it('creates with tags, rejecting duplicate keys and more than 10', () => {
    const {elb, ctx, store} = harness()
    const base = {LoadBalancerName: 'web', Listeners: [HTTP_80], AvailabilityZones: ['us-east-1a']}
    expectError(
      () => elb.createLoadBalancer(ctx, {...base, Tags: [{Key: 'a', Value: '1'}, {Key: 'a', Value: '2'}]}),
      'DuplicateTagKeys',
      'A tag key was specified more than once: a',
    )
    expectError(
      () => elb.createLoadBalancer(ctx, {...base, Tags: Array.from({length: 11}, (_, i) => ({Key: `k${i}`}))}),
      'TooManyTags',
      'The quota for the number of tags that can be assigned to a load balancer has been reached.',
    )
    expect(store.region(REGION).loadBalancers).toEqual([])
    elb.createLoadBalancer(ctx, {...base, Tags: [{Key: 'env', Value: 'prod'}, {Key: 'team'}]})
    expect(elb.describeTags(ctx, {LoadBalancerNames: ['web']})).toEqual({
      TagDescriptions: [{LoadBalancerName: 'web', Tags: [{Key: 'env', Value: 'prod'}, {Key: 'team'}]}],
    })
  })

  it('deletes idempotently', () => {
    const {elb, ctx, store} = harness()
    elb.createLoadBalancer(ctx, {LoadBalancerName: 'web', Listeners: [HTTP_80], AvailabilityZones: ['us-east-1a']})
    expect(elb.deleteLoadBalancer(ctx, {LoadBalancerName: 'web'})).toEqual({})
    expect(elb.deleteLoadBalancer(ctx, {LoadBalancerName: 'web'})).toEqual({})
    expect(store.region(REGION).loadBalancers).toEqual([])
  })

  it('describes named load balancers, LoadBalancerNotFound naming the unknown one', () => {
    const {elb, ctx} = harness()
    for (const name of ['a', 'b', 'c']) {
      elb.createLoadBalancer(ctx, {LoadBalancerName: name, Listeners: [HTTP_80], AvailabilityZones: ['us-east-1a']})
    }
    const names = (out: ReturnType<typeof elb.describeLoadBalancers>) => out.LoadBalancerDescriptions?.map((d) => d.LoadBalancerName)
    expect(names(elb.describeLoadBalancers(ctx, {LoadBalancerNames: ['c', 'a']}))).toEqual(['c', 'a'])
    expectError(() => elb.describeLoadBalancers(ctx, {LoadBalancerNames: ['a', 'nope']}), 'LoadBalancerNotFound', 'Cannot find Load Balancer nope')
  })

  it('pages with an opaque marker and no NextMarker on the last page', () => {
    const {elb, ctx} = harness()
    for (let i = 0; i < 5; i++) {
      elb.createLoadBalancer(ctx, {LoadBalancerName: `lb-${i}`, Listeners: [HTTP_80], AvailabilityZones: ['us-east-1a']})
    }
    const first = elb.describeLoadBalancers(ctx, {PageSize: 2})
    expect(first.LoadBalancerDescriptions?.map((d) => d.LoadBalancerName)).toEqual(['lb-0', 'lb-1'])
    expect(first.NextMarker).toEqual(expect.any(String))
    const second = elb.describeLoadBalancers(ctx, {PageSize: 2, Marker: first.NextMarker})
    expect(second.LoadBalancerDescriptions?.map((d) => d.LoadBalancerName)).toEqual(['lb-2', 'lb-3'])
    // A deletion before the boundary does not shift the next page.
    elb.deleteLoadBalancer(ctx, {LoadBalancerName: 'lb-0'})
    const third = elb.describeLoadBalancers(ctx, {PageSize: 2, Marker: second.NextMarker})
    expect(third.LoadBalancerDescriptions?.map((d) => d.LoadBalancerName)).toEqual(['lb-4'])
    expect('NextMarker' in third).toBe(false)
    expectError(() => elb.describeLoadBalancers(ctx, {Marker: 'garbage!'}), 'ValidationError', 'Invalid value for Marker')
    expectError(() => elb.describeLoadBalancers(ctx, {PageSize: 401}), 'ValidationError', /Member must have value less than or equal to 400/)
    expectError(() => elb.describeLoadBalancers(ctx, {PageSize: 0}), 'ValidationError', /greater than or equal to 1/)
  })

  it('describes the account limits, paged', () => {
    const {elb, ctx} = harness()
    expect(elb.describeAccountLimits(ctx, {})).toEqual({
      Limits: [
        {Name: 'classic-load-balancers', Max: '20'},
        {Name: 'classic-listeners', Max: '100'},
        {Name: 'classic-registered-instances', Max: '1000'},
      ],
    })
    const page = elb.describeAccountLimits(ctx, {PageSize: 2})
    expect(page.Limits).toHaveLength(2)
    expect(elb.describeAccountLimits(ctx, {PageSize: 2, Marker: page.NextMarker}).Limits).toEqual([
      {Name: 'classic-registered-instances', Max: '1000'},
    ])
  })

  it('answers LoadBalancerNotFound with the ACTIVE text for every per-load-balancer operation', () => {
    const {elb, ctx} = harness()
    const LoadBalancerName = 'ghost'
    const calls: (() => unknown)[] = [
      () => elb.createLoadBalancerListeners(ctx, {LoadBalancerName, Listeners: [HTTP_80]}),
      () => elb.deleteLoadBalancerListeners(ctx, {LoadBalancerName, LoadBalancerPorts: [80]}),
      () => elb.setLoadBalancerListenerSSLCertificate(ctx, {LoadBalancerName, LoadBalancerPort: 443, SSLCertificateId: CERT_ARN}),
      () => elb.registerInstancesWithLoadBalancer(ctx, {LoadBalancerName, Instances: [{InstanceId: 'i-1'}]}),
      () => elb.deregisterInstancesFromLoadBalancer(ctx, {LoadBalancerName, Instances: [{InstanceId: 'i-1'}]}),
      () => elb.describeInstanceHealth(ctx, {LoadBalancerName}),
      () =>
        elb.configureHealthCheck(ctx, {
          LoadBalancerName,
          HealthCheck: {Target: 'TCP:80', Interval: 30, Timeout: 5, UnhealthyThreshold: 2, HealthyThreshold: 2},
        }),
      () => elb.createLoadBalancerPolicy(ctx, {LoadBalancerName, PolicyName: 'p', PolicyTypeName: 'ProxyProtocolPolicyType'}),
      () => elb.createAppCookieStickinessPolicy(ctx, {LoadBalancerName, PolicyName: 'p', CookieName: 'c'}),
      () => elb.createLBCookieStickinessPolicy(ctx, {LoadBalancerName, PolicyName: 'p'}),
      () => elb.deleteLoadBalancerPolicy(ctx, {LoadBalancerName, PolicyName: 'p'}),
      () => elb.describeLoadBalancerPolicies(ctx, {LoadBalancerName}),
      () => elb.setLoadBalancerPoliciesOfListener(ctx, {LoadBalancerName, LoadBalancerPort: 80, PolicyNames: []}),
      () => elb.setLoadBalancerPoliciesForBackendServer(ctx, {LoadBalancerName, InstancePort: 80, PolicyNames: []}),
      () => elb.enableAvailabilityZonesForLoadBalancer(ctx, {LoadBalancerName, AvailabilityZones: ['us-east-1a']}),
      () => elb.disableAvailabilityZonesForLoadBalancer(ctx, {LoadBalancerName, AvailabilityZones: ['us-east-1a']}),
      () => elb.attachLoadBalancerToSubnets(ctx, {LoadBalancerName, Subnets: ['subnet-1']}),
      () => elb.detachLoadBalancerFromSubnets(ctx, {LoadBalancerName, Subnets: ['subnet-1']}),
      () => elb.applySecurityGroupsToLoadBalancer(ctx, {LoadBalancerName, SecurityGroups: ['sg-1']}),
      () => elb.describeLoadBalancerAttributes(ctx, {LoadBalancerName}),
      () =>
        elb.modifyLoadBalancerAttributes(ctx, {LoadBalancerName, LoadBalancerAttributes: {CrossZoneLoadBalancing: {Enabled: true}}}),
      () => elb.addTags(ctx, {LoadBalancerNames: [LoadBalancerName], Tags: [{Key: 'a'}]}),
      () => elb.removeTags(ctx, {LoadBalancerNames: [LoadBalancerName], Tags: [{Key: 'a'}]}),
      () => elb.describeTags(ctx, {LoadBalancerNames: [LoadBalancerName]}),
    ]
    for (const call of calls) expectError(call, 'LoadBalancerNotFound', "There is no ACTIVE Load Balancer named 'ghost'")
  })
})
