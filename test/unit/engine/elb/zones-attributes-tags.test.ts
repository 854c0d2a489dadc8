import {HTTP_80, REGION, expectError, harness} from './fixture.js'

function setup() {
  const h = harness()
  h.elb.createLoadBalancer(h.ctx, {LoadBalancerName: 'web', Listeners: [HTTP_80], AvailabilityZones: ['us-east-1a']})
  h.elb.createLoadBalancer(h.ctx, {LoadBalancerName: 'api', Listeners: [HTTP_80], AvailabilityZones: ['us-east-1a']})
  return {...h, LoadBalancerName: 'web'}
}

describe('ElbService zones, subnets and security groups', () => {
  it('enables and disables zones of the region, keeping at least one', () => {
    const {elb, ctx, LoadBalancerName, store} = setup()
    expect(elb.enableAvailabilityZonesForLoadBalancer(ctx, {LoadBalancerName, AvailabilityZones: ['us-east-1c', 'us-east-1a', 'us-east-1b']})).toEqual({
      AvailabilityZones: ['us-east-1a', 'us-east-1c', 'us-east-1b'],
    })
    expectError(
      () => elb.enableAvailabilityZonesForLoadBalancer(ctx, {LoadBalancerName, AvailabilityZones: ['us-east-1d', 'eu-west-1a']}),
      'ValidationError',
      'Invalid Availability Zone: eu-west-1a',
    )
    expect(elb.disableAvailabilityZonesForLoadBalancer(ctx, {LoadBalancerName, AvailabilityZones: ['us-east-1c', 'us-east-1f']})).toEqual({
      AvailabilityZones: ['us-east-1a', 'us-east-1b'],
    })
    expectError(
      () => elb.disableAvailabilityZonesForLoadBalancer(ctx, {LoadBalancerName, AvailabilityZones: ['us-east-1a', 'us-east-1b']}),
      'InvalidConfigurationRequest',
      /Cannot remove all Availability Zones/,
    )
    expect(store.region(REGION).loadBalancers[0]?.availabilityZones).toEqual(['us-east-1a', 'us-east-1b'])
  })

  it('rejects the VPC-only operations on an EC2-Classic load balancer', () => {
    const {elb, ctx, LoadBalancerName} = setup()
    expectError(
      () => elb.attachLoadBalancerToSubnets(ctx, {LoadBalancerName, Subnets: ['subnet-1']}),
      'InvalidConfigurationRequest',
      'AttachLoadBalancerToSubnets is only supported for load balancers in a VPC; web is not in a VPC.',
    )
    expectError(() => elb.detachLoadBalancerFromSubnets(ctx, {LoadBalancerName, Subnets: ['subnet-1']}), 'InvalidConfigurationRequest', /DetachLoadBalancerFromSubnets/)
    expectError(
      () => elb.applySecurityGroupsToLoadBalancer(ctx, {LoadBalancerName, SecurityGroups: ['sg-1']}),
      'InvalidConfigurationRequest',
      /ApplySecurityGroupsToLoadBalancer/,
    )
  })
})

describe('ElbService attributes', () => {
  it('modifies only the structures given and echoes them', () => {
    const {elb, ctx, LoadBalancerName} = setup()
    const out = elb.modifyLoadBalancerAttributes(ctx, {
      LoadBalancerName,
      LoadBalancerAttributes: {
        CrossZoneLoadBalancing: {Enabled: true},
        ConnectionDraining: {Enabled: true},
        AdditionalAttributes: [{Key: 'elb.http.desyncmitigationmode', Value: 'strictest'}],
      },
    })
    expect(out).toEqual({
      LoadBalancerName,
      LoadBalancerAttributes: {
        CrossZoneLoadBalancing: {Enabled: true},
        ConnectionDraining: {Enabled: true, Timeout: 300},
        AdditionalAttributes: [{Key: 'elb.http.desyncmitigationmode', Value: 'strictest'}],
      },
    })
    elb.modifyLoadBalancerAttributes(ctx, {
      LoadBalancerName,
      LoadBalancerAttributes: {
        ConnectionSettings: {IdleTimeout: 120},
        AccessLog: {Enabled: true, S3BucketName: 'logs', S3BucketPrefix: 'prod'},
      },
    })
    expect(elb.describeLoadBalancerAttributes(ctx, {LoadBalancerName})).toEqual({
      LoadBalancerAttributes: {
        CrossZoneLoadBalancing: {Enabled: true},
        AccessLog: {Enabled: true, S3BucketName: 'logs', EmitInterval: 60, S3BucketPrefix: 'prod'},
        ConnectionDraining: {Enabled: true, Timeout: 300},
        ConnectionSettings: {IdleTimeout: 120},
        AdditionalAttributes: [{Key: 'elb.http.desyncmitigationmode', Value: 'strictest'}],
      },
    })
    expect(elb.describeLoadBalancerAttributes(ctx, {LoadBalancerName: 'api'}).LoadBalancerAttributes?.CrossZoneLoadBalancing).toEqual({Enabled: false})
  })

  it('rejects bad values without changing anything', () => {
    const {elb, ctx, LoadBalancerName, store} = setup()
    const before = store.region(REGION).loadBalancers[0]?.attributes
    const modify = (LoadBalancerAttributes: Parameters<typeof elb.modifyLoadBalancerAttributes>[1]['LoadBalancerAttributes']) => () =>
      elb.modifyLoadBalancerAttributes(ctx, {LoadBalancerName, LoadBalancerAttributes})
    expectError(
      modify({CrossZoneLoadBalancing: {Enabled: true}, AdditionalAttributes: [{Key: 'elb.http.xff', Value: 'on'}]}),
      'LoadBalancerAttributeNotFound',
      'The specified load balancer attribute does not exist: elb.http.xff',
    )
    expectError(modify({AdditionalAttributes: [{Key: 'elb.http.desyncmitigationmode', Value: 'relaxed'}]}), 'InvalidConfigurationRequest', /monitor, defensive and strictest/)
    expectError(modify({ConnectionDraining: {Enabled: true, Timeout: 0}}), 'InvalidConfigurationRequest', /ConnectionDraining timeout 0/)
    expectError(modify({ConnectionDraining: {Enabled: true, Timeout: 3601}}), 'InvalidConfigurationRequest', /ConnectionDraining timeout 3601/)
    expectError(modify({AccessLog: {Enabled: true}}), 'InvalidConfigurationRequest', 'S3BucketName must be specified when access logs are enabled')
    expectError(modify({AccessLog: {Enabled: true, S3BucketName: 'logs-bucket', EmitInterval: 10}}), 'InvalidConfigurationRequest', /EmitInterval 10/)
    expectError(modify({ConnectionSettings: {IdleTimeout: 3601}}), 'ValidationError', /connectionSettings.idleTimeout/)
    expectError(
      modify({AccessLog: {Enabled: true, S3BucketName: 'logs-bucket', S3BucketPrefix: '{LoadBalancerName}'}}),
      'ValidationError',
      'S3Bucket prefix can only contain combination of uppercase letters, lowercase letters, numbers, periods (.), dashes (-), underscores (_) and slashes (/)',
    )
    expect(store.region(REGION).loadBalancers[0]?.attributes).toEqual(before)
  })
})

describe('ElbService tags', () => {
  it('adds (upserting), removes and describes tags across several load balancers', () => {
    const {elb, ctx} = setup()
    elb.addTags(ctx, {LoadBalancerNames: ['web', 'api'], Tags: [{Key: 'env', Value: 'test'}, {Key: 'team'}]})
    elb.addTags(ctx, {LoadBalancerNames: ['web'], Tags: [{Key: 'env', Value: 'prod'}]})
    expect(elb.describeTags(ctx, {LoadBalancerNames: ['web', 'api']})).toEqual({
      TagDescriptions: [
        {LoadBalancerName: 'web', Tags: [{Key: 'env', Value: 'prod'}, {Key: 'team'}]},
        {LoadBalancerName: 'api', Tags: [{Key: 'env', Value: 'test'}, {Key: 'team'}]},
      ],
    })
    elb.removeTags(ctx, {LoadBalancerNames: ['web', 'api'], Tags: [{Key: 'team'}, {Key: 'absent'}]})
    expect(elb.describeTags(ctx, {LoadBalancerNames: ['api']}).TagDescriptions).toEqual([{LoadBalancerName: 'api', Tags: [{Key: 'env', Value: 'test'}]}])
  })

  it('enforces 10 tags, unique keys, 20 names and known load balancers, atomically', () => {
    const {elb, ctx, store} = setup()
    elb.addTags(ctx, {LoadBalancerNames: ['web'], Tags: Array.from({length: 9}, (_, i) => ({Key: `k${i}`}))})
    expectError(
      () => elb.addTags(ctx, {LoadBalancerNames: ['api', 'web'], Tags: [{Key: 'x'}, {Key: 'y'}]}),
      'TooManyTags',
      'The quota for the number of tags that can be assigned to a load balancer has been reached.',
    )
    expect(store.region(REGION).loadBalancers.find((lb) => lb.name === 'api')?.tags).toEqual([])
    expect(() => elb.addTags(ctx, {LoadBalancerNames: ['web'], Tags: [{Key: 'k0', Value: 'again'}, {Key: 'x'}]})).not.toThrow()
    expectError(() => elb.addTags(ctx, {LoadBalancerNames: ['api'], Tags: [{Key: 'a'}, {Key: 'a'}]}), 'DuplicateTagKeys', 'A tag key was specified more than once: a')
    expectError(() => elb.addTags(ctx, {LoadBalancerNames: ['api', 'ghost'], Tags: [{Key: 'a'}]}), 'LoadBalancerNotFound', "There is no ACTIVE Load Balancer named 'ghost'")
    expect(store.region(REGION).loadBalancers.find((lb) => lb.name === 'api')?.tags).toEqual([])
    const names = Array.from({length: 21}, (_, i) => `n${i}`)
    expectError(() => elb.describeTags(ctx, {LoadBalancerNames: names}), 'ValidationError', /Member must have length less than or equal to 20/)
  })
})
