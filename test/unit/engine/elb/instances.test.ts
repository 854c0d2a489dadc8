import {NOT_REGISTERED} from '../../../../src/engine/model/elb/health-state.js'
import {HTTP_80, REGION, expectError, harness} from './fixture.js'

function setup() {
  const h = harness()
  h.elb.createLoadBalancer(h.ctx, {LoadBalancerName: 'web', Listeners: [HTTP_80], AvailabilityZones: ['us-east-1a', 'us-east-1b']})
  return h
}

describe('ElbService instances and health', () => {
  it('registers existing instances, recording IP and zone, and returns every registered instance', () => {
    const {elb, ctx, addInstance, store} = setup()
    const a = addInstance({instanceId: 'i-4f8cf126'})
    addInstance({instanceId: 'i-0bb7ca62', availabilityZone: 'us-east-1b', state: 'pending'})
    expect(elb.registerInstancesWithLoadBalancer(ctx, {LoadBalancerName: 'web', Instances: [{InstanceId: 'i-4f8cf126'}]})).toEqual({
      Instances: [{InstanceId: 'i-4f8cf126'}],
    })
    expect(
      elb.registerInstancesWithLoadBalancer(ctx, {LoadBalancerName: 'web', Instances: [{InstanceId: 'i-0bb7ca62'}, {InstanceId: 'i-4f8cf126'}]}),
    ).toEqual({Instances: [{InstanceId: 'i-4f8cf126'}, {InstanceId: 'i-0bb7ca62'}]})
    expect(store.region(REGION).loadBalancers[0]?.instances[0]).toEqual({
      instanceId: 'i-4f8cf126',
      privateIp: a.privateIp,
      availabilityZone: 'us-east-1a',
      registeredAt: '2026-11-24T01:02:03.456Z',
    })
    expect(elb.describeLoadBalancers(ctx, {}).LoadBalancerDescriptions?.[0]?.Instances).toEqual([
      {InstanceId: 'i-4f8cf126'},
      {InstanceId: 'i-0bb7ca62'},
    ])
  })

  it('rejects unknown, stopped and terminated instances without registering any of the batch', () => {
    const {elb, ctx, addInstance, store} = setup()
    addInstance({instanceId: 'i-good'})
    addInstance({instanceId: 'i-stopped', state: 'stopped'})
    addInstance({instanceId: 'i-dead', state: 'terminated'})
    expectError(
      () => elb.registerInstancesWithLoadBalancer(ctx, {LoadBalancerName: 'web', Instances: [{InstanceId: 'i-good'}, {InstanceId: 'i-nope'}]}),
      'InvalidInstance',
      'Could not find EC2 instance i-nope. Launch it on this engine first: elb-local run-instances --id i-nope (or EC2 RunInstances on this endpoint with the tag elb-local:instance-id=i-nope).',
    )
    expectError(
      () => elb.registerInstancesWithLoadBalancer(ctx, {LoadBalancerName: 'web', Instances: [{InstanceId: 'i-stopped'}]}),
      'InvalidInstance',
      'EC2 instance i-stopped is not in running state.',
    )
    expectError(
      () => elb.registerInstancesWithLoadBalancer(ctx, {LoadBalancerName: 'web', Instances: [{InstanceId: 'i-dead'}]}),
      'InvalidInstance',
      'EC2 instance i-dead is not in running state.',
    )
    expect(store.region(REGION).loadBalancers[0]?.instances).toEqual([])
  })

  it('only sees instances of its own region', () => {
    const {elb, ctx, addInstance} = setup()
    addInstance({instanceId: 'i-west', availabilityZone: 'us-west-2a'}, 'us-west-2')
    expectError(
      () => elb.registerInstancesWithLoadBalancer(ctx, {LoadBalancerName: 'web', Instances: [{InstanceId: 'i-west'}]}),
      'InvalidInstance',
      'Could not find EC2 instance i-west. Launch it on this engine first: elb-local run-instances --id i-west (or EC2 RunInstances on this endpoint with the tag elb-local:instance-id=i-west).',
    )
  })

  it('deregisters registered instances and rejects one that is not registered', () => {
    const {elb, ctx, addInstance, store} = setup()
    addInstance({instanceId: 'i-a'})
    addInstance({instanceId: 'i-b'})
    elb.registerInstancesWithLoadBalancer(ctx, {LoadBalancerName: 'web', Instances: [{InstanceId: 'i-a'}, {InstanceId: 'i-b'}]})
    expectError(
      () => elb.deregisterInstancesFromLoadBalancer(ctx, {LoadBalancerName: 'web', Instances: [{InstanceId: 'i-a'}, {InstanceId: 'i-zzz'}]}),
      'InvalidInstance',
      'Could not find EC2 instance i-zzz.',
    )
    expect(store.region(REGION).loadBalancers[0]?.instances).toHaveLength(2)
    expect(elb.deregisterInstancesFromLoadBalancer(ctx, {LoadBalancerName: 'web', Instances: [{InstanceId: 'i-a'}]})).toEqual({
      Instances: [{InstanceId: 'i-b'}],
    })
  })

  it('reports health from the health checker, falling back to registration in progress', () => {
    const {elb, ctx, addInstance, health} = setup()
    addInstance({instanceId: 'i-a'})
    addInstance({instanceId: 'i-b'})
    elb.registerInstancesWithLoadBalancer(ctx, {LoadBalancerName: 'web', Instances: [{InstanceId: 'i-a'}, {InstanceId: 'i-b'}]})
    health.results.set(`${REGION}/web/i-b`, {state: 'InService', reasonCode: 'N/A', description: 'N/A'})
    expect(elb.describeInstanceHealth(ctx, {LoadBalancerName: 'web'})).toEqual({
      InstanceStates: [
        {InstanceId: 'i-a', State: 'OutOfService', ReasonCode: 'ELB', Description: 'Instance registration is still in progress.'},
        {InstanceId: 'i-b', State: 'InService', ReasonCode: 'N/A', Description: 'N/A'},
      ],
    })
  })

  it('reports EC2 states and disabled zones before probe results', () => {
    const {elb, ctx, addInstance, health, store} = setup()
    addInstance({instanceId: 'i-run'})
    addInstance({instanceId: 'i-pend', state: 'pending'})
    addInstance({instanceId: 'i-stop'})
    addInstance({instanceId: 'i-term'})
    addInstance({instanceId: 'i-zone-c', availabilityZone: 'us-east-1c'})
    const ids = ['i-run', 'i-pend', 'i-stop', 'i-term', 'i-zone-c']
    elb.registerInstancesWithLoadBalancer(ctx, {LoadBalancerName: 'web', Instances: ids.map((InstanceId) => ({InstanceId}))})
    store.updateRegion(REGION, (region) => {
      for (const instance of region.instances) {
        if (instance.instanceId === 'i-stop') instance.state = 'stopped'
        if (instance.instanceId === 'i-term') instance.state = 'terminated'
      }
    })
    for (const id of ids) health.results.set(`${REGION}/web/${id}`, {state: 'InService', reasonCode: 'N/A', description: 'N/A'})
    expect(elb.describeInstanceHealth(ctx, {LoadBalancerName: 'web'}).InstanceStates).toEqual([
      {InstanceId: 'i-run', State: 'InService', ReasonCode: 'N/A', Description: 'N/A'},
      {InstanceId: 'i-pend', State: 'OutOfService', ReasonCode: 'Instance', Description: 'Instance is in pending state.'},
      {InstanceId: 'i-stop', State: 'OutOfService', ReasonCode: 'Instance', Description: 'Instance is in stopped state.'},
      {InstanceId: 'i-term', State: 'OutOfService', ReasonCode: 'Instance', Description: 'Instance is in terminated state.'},
      {
        InstanceId: 'i-zone-c',
        State: 'OutOfService',
        ReasonCode: 'ELB',
        Description: 'Instance is in the EC2 Availability Zone for which LoadBalancer is not configured to route traffic to.',
      },
    ])
  })

  it('lists draining instances and answers for explicitly named ones, InvalidInstance for unknown ids', () => {
    const {elb, ctx, addInstance, health} = setup()
    for (const id of ['i-a', 'i-gone', 'i-other']) addInstance({instanceId: id})
    addInstance({instanceId: 'i-dead', state: 'terminated'})
    elb.registerInstancesWithLoadBalancer(ctx, {LoadBalancerName: 'web', Instances: [{InstanceId: 'i-a'}, {InstanceId: 'i-gone'}]})
    elb.deregisterInstancesFromLoadBalancer(ctx, {LoadBalancerName: 'web', Instances: [{InstanceId: 'i-gone'}]})
    health.draining.set(`${REGION}/web`, ['i-gone'])
    expect(elb.describeInstanceHealth(ctx, {LoadBalancerName: 'web'}).InstanceStates).toEqual([
      {InstanceId: 'i-a', State: 'OutOfService', ReasonCode: 'ELB', Description: 'Instance registration is still in progress.'},
      {InstanceId: 'i-gone', State: 'InService', ReasonCode: 'ELB', Description: 'Instance deregistration currently in progress.'},
    ])
    health.draining.clear()
    // The checker remembers the load balancer's past registrations: it answers "not registered" for them.
    health.results.set(`${REGION}/web/i-gone`, NOT_REGISTERED)
    expect(
      elb.describeInstanceHealth(ctx, {
        LoadBalancerName: 'web',
        Instances: [{InstanceId: 'i-gone'}, {InstanceId: 'i-dead'}, {InstanceId: 'i-a'}],
      }).InstanceStates,
    ).toEqual([
      {InstanceId: 'i-gone', State: 'OutOfService', ReasonCode: 'ELB', Description: 'Instance is not currently registered with the LoadBalancer.'},
      {InstanceId: 'i-a', State: 'OutOfService', ReasonCode: 'ELB', Description: 'Instance registration is still in progress.'},
    ])
    expectError(
      () => elb.describeInstanceHealth(ctx, {LoadBalancerName: 'web', Instances: [{InstanceId: 'i-a'}, {InstanceId: 'i-never'}]}),
      'InvalidInstance',
      'Could not find EC2 instance i-never.',
    )
    // An existing instance this load balancer never had: InvalidInstance, as AWS answers (getmoto/moto#1751).
    expectError(
      () => elb.describeInstanceHealth(ctx, {LoadBalancerName: 'web', Instances: [{InstanceId: 'i-a'}, {InstanceId: 'i-other'}]}),
      'InvalidInstance',
      'The specified endpoint is not valid.',
    )
    expect(elb.describeInstanceHealth(ctx, {LoadBalancerName: 'web', Instances: []}).InstanceStates).toHaveLength(1)
  })

  it('configures the health check and echoes it', () => {
    const {elb, ctx} = setup()
    const out = elb.configureHealthCheck(ctx, {
      LoadBalancerName: 'web',
      HealthCheck: {Target: 'http:8080/ping', Interval: 30, Timeout: 3, UnhealthyThreshold: 2, HealthyThreshold: 2},
    })
    expect(out).toEqual({HealthCheck: {Interval: 30, Target: 'http:8080/ping', HealthyThreshold: 2, Timeout: 3, UnhealthyThreshold: 2}})
    expect(elb.describeLoadBalancers(ctx, {}).LoadBalancerDescriptions?.[0]?.HealthCheck).toEqual(out.HealthCheck)
  })

  it.each([
    ['HTTP:/index.html', 'HealthCheck Target must specify a port number'],
    ['TCP:', 'HealthCheck Target must specify a port number'],
    ['FTP:21', 'HealthCheck Target must begin with one of HTTP, TCP, HTTPS, SSL'],
    ['8080', 'HealthCheck Target must begin with one of HTTP, TCP, HTTPS, SSL'],
    ['HTTP:8080', "HealthCheck Target with protocol HTTP must specify a ping path starting with '/'"],
    ['TCP:80/x', 'HealthCheck Target with protocol TCP cannot specify a ping path'],
    ['TCP:0', 'HealthCheck Target port 0 is not valid; it must be between 1 and 65535.'],
    ['SSL:65536', 'HealthCheck Target port 65536 is not valid; it must be between 1 and 65535.'],
    ['HTTP:80x/ping', 'HealthCheck Target port 80x is not valid; it must be between 1 and 65535.'],
    [`HTTP:80/${'a'.repeat(1020)}`, 'HealthCheck Target cannot be longer than 1024 characters'],
  ])('rejects the target %j', (Target, message) => {
    const {elb, ctx, store} = setup()
    expectError(
      () => elb.configureHealthCheck(ctx, {LoadBalancerName: 'web', HealthCheck: {Target, Interval: 30, Timeout: 5, UnhealthyThreshold: 2, HealthyThreshold: 2}}),
      'ValidationError',
      message,
    )
    expect(store.region(REGION).loadBalancers[0]?.healthCheck.target).toBe('TCP:8080')
  })

  it('enforces the ranges and Timeout < Interval', () => {
    const {elb, ctx} = setup()
    const check = (over: Record<string, number>) => () =>
      elb.configureHealthCheck(ctx, {
        LoadBalancerName: 'web',
        HealthCheck: {Target: 'TCP:80', Interval: 30, Timeout: 5, UnhealthyThreshold: 2, HealthyThreshold: 2, ...over},
      })
    expectError(check({Interval: 5, Timeout: 5}), 'ValidationError', 'Health check interval must be greater than the timeout.')
    expectError(check({Interval: 4}), 'ValidationError', /Value '4' at 'healthCheck.interval' failed to satisfy constraint: Member must have value greater than or equal to 5/)
    expectError(check({Timeout: 61, Interval: 300}), 'ValidationError', /healthCheck.timeout/)
    expectError(check({HealthyThreshold: 11}), 'ValidationError', /healthCheck.healthyThreshold/)
    expectError(check({UnhealthyThreshold: 1}), 'ValidationError', /healthCheck.unhealthyThreshold/)
    expect(check({Interval: 300, Timeout: 60, HealthyThreshold: 10, UnhealthyThreshold: 10})).not.toThrow()
  })
})
