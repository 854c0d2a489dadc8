import {
  ConfigureHealthCheckCommand, CreateLoadBalancerCommand, DeregisterInstancesFromLoadBalancerCommand,
  DescribeInstanceHealthCommand, ModifyLoadBalancerAttributesCommand, RegisterInstancesWithLoadBalancerCommand,
  type InstanceState,
} from '@aws-sdk/client-elastic-load-balancing'
import {createServer} from 'node:net'
import {afterAll, beforeAll, describe, expect, it} from '@jest/globals'
import {eventually, startTestEngine, type TestEngine} from '../../helpers/engine.js'

const FAILED = 'Instance has failed at least the UnhealthyThreshold number of health checks consecutively.'

describe('health checks through the API (real probes on loopback)', () => {
  let t: TestEngine
  const lb = 'HealthLb'
  let instanceId = ''

  async function health(id = instanceId): Promise<InstanceState | undefined> {
    const out = await t.elb.send(new DescribeInstanceHealthCommand({LoadBalancerName: lb, Instances: [{InstanceId: id}]}))
    return out.InstanceStates?.[0]
  }

  function until(predicate: (state: InstanceState) => boolean, what: string, timeoutMs = 10_000): Promise<InstanceState> {
    return eventually(async () => {
      const state = await health()
      return state !== undefined && predicate(state) ? state : undefined
    }, timeoutMs, what)
  }

  beforeAll(async () => {
    // 0.02: a 5 s interval probes every 100 ms.
    t = await startTestEngine({timeScale: 0.02})
    const [instance] = await t.runInstances({serve: [{protocol: 'http', port: 8080}]})
    instanceId = instance?.instanceId ?? ''
    await t.elb.send(new CreateLoadBalancerCommand({
      LoadBalancerName: lb,
      Listeners: [{Protocol: 'HTTP', LoadBalancerPort: 80, InstanceProtocol: 'HTTP', InstancePort: 8080}],
      AvailabilityZones: ['us-east-1a'],
    }))
    await t.elb.send(new ConfigureHealthCheckCommand({
      LoadBalancerName: lb,
      HealthCheck: {Target: 'HTTP:8080/ping', Interval: 5, Timeout: 2, UnhealthyThreshold: 2, HealthyThreshold: 3},
    }))
  })
  afterAll(async () => {
    await t.close()
  })

  it('a newly registered instance goes InService on its first passing probe', async () => {
    await t.elb.send(new RegisterInstancesWithLoadBalancerCommand({LoadBalancerName: lb, Instances: [{InstanceId: instanceId}]}))
    const first = await health()
    // Either still registering or already probed once; never anything else.
    expect([
      {State: 'OutOfService', ReasonCode: 'ELB', Description: 'Instance registration is still in progress.'},
      {State: 'InService', ReasonCode: 'N/A', Description: 'N/A'},
    ]).toContainEqual({State: first?.State, ReasonCode: first?.ReasonCode, Description: first?.Description})
    const inService = await until((state) => state.State === 'InService', 'InService')
    expect(inService).toMatchObject({InstanceId: instanceId, ReasonCode: 'N/A', Description: 'N/A'})
    expect(t.engine.health.isRoutable('us-east-1', lb, instanceId)).toBe(true)
  })

  it('a dead backend goes OutOfService after UnhealthyThreshold failures and back after HealthyThreshold passes', async () => {
    const started = Date.now()
    await t.admin.backends('pause', [instanceId])
    const out = await until((state) => state.State === 'OutOfService', 'OutOfService')
    const tookMs = Date.now() - started
    expect(out).toMatchObject({ReasonCode: 'Instance', Description: FAILED})
    // Two failures 100 ms apart: not before ~100 ms, and well within a few intervals.
    expect(tookMs).toBeGreaterThanOrEqual(90)
    expect(t.engine.health.isRoutable('us-east-1', lb, instanceId)).toBe(false)

    await t.admin.backends('resume', [instanceId])
    const back = await until((state) => state.State === 'InService', 'InService again')
    expect(back.Description).toBe('N/A')
  })

  it('a stopped instance reports its EC2 state; restarted on a new IP it fails the checks on the registered IP', async () => {
    const registeredIp = t.engine.instances.describeInstances('us-east-1', [instanceId])[0]?.privateIp ?? ''
    await t.stopInstances(instanceId)
    expect(await health()).toMatchObject({State: 'OutOfService', ReasonCode: 'Instance', Description: 'Instance is in stopped state.'})
    const [started] = await t.startInstances(instanceId)
    expect(started?.state).toBe('running')
    // The LB still probes the address it registered: the instance stays out of service.
    const state = await until((s) => s.Description === FAILED, 'failed checks after restart')
    expect(state.State).toBe('OutOfService')
    // Watch the probes themselves: whatever now answers on the registered address refuses them.
    // After more probes than HealthyThreshold (3), the instance is still out of service.
    let probes = 0
    const watcher = createServer((socket) => {
      probes++
      socket.destroy()
    })
    await new Promise<void>((resolve, reject) => {
      watcher.once('error', reject)
      watcher.listen(8080, registeredIp, () => { resolve(); })
    })
    try {
      await eventually(() => (probes >= 4 ? probes : undefined), 10_000, 'four more probes of the registered address')
      expect((await health())?.State).toBe('OutOfService')
    } finally {
      await new Promise((resolve) => watcher.close(resolve))
    }

    // Deregister and register again (the seed's advice): it comes back InService on the new IP.
    await t.elb.send(new DeregisterInstancesFromLoadBalancerCommand({LoadBalancerName: lb, Instances: [{InstanceId: instanceId}]}))
    expect(await health()).toMatchObject({State: 'OutOfService', Description: 'Instance is not currently registered with the LoadBalancer.'})
    await t.elb.send(new RegisterInstancesWithLoadBalancerCommand({LoadBalancerName: lb, Instances: [{InstanceId: instanceId}]}))
    await until((s) => s.State === 'InService', 'InService on the new IP')
  })

  it('with connection draining a deregistered instance is InService "deregistration in progress" until the timeout', async () => {
    await t.elb.send(new ModifyLoadBalancerAttributesCommand({
      LoadBalancerName: lb,
      LoadBalancerAttributes: {ConnectionDraining: {Enabled: true, Timeout: 20}},
    }))
    await t.elb.send(new DeregisterInstancesFromLoadBalancerCommand({LoadBalancerName: lb, Instances: [{InstanceId: instanceId}]}))
    expect(await health()).toMatchObject({State: 'InService', ReasonCode: 'ELB', Description: 'Instance deregistration currently in progress.'})
    expect(t.engine.health.isRoutable('us-east-1', lb, instanceId)).toBe(false)
    expect(t.engine.dataPlane.drainingInstances('us-east-1', lb)).toEqual([instanceId])
    // 20 s × 0.02 = 400 ms.
    const after = await until((s) => s.State === 'OutOfService', 'draining to end')
    expect(after.Description).toBe('Instance is not currently registered with the LoadBalancer.')
  })
})
