/**
 * Issue 21: an instance stopped and started again comes back on a new IP while its load balancers
 * keep the old one. The engine says so (start answer, log) and reports the stale registration as
 * an instance failing its checks — at once, and after an engine restart too, never as
 * "registration in progress" (a recovery that would never come).
 */
import {
  ConfigureHealthCheckCommand, CreateLoadBalancerCommand, DeregisterInstancesFromLoadBalancerCommand,
  DescribeInstanceHealthCommand, RegisterInstancesWithLoadBalancerCommand,
} from '@aws-sdk/client-elastic-load-balancing'
import {mkdtempSync, rmSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {afterAll, expect, it} from '@jest/globals'
import {eventually, startTestEngine, type TestEngine} from '../../helpers/engine.js'

const FAILED = {State: 'OutOfService', ReasonCode: 'Instance', Description: 'Instance has failed at least the UnhealthyThreshold number of health checks consecutively.'}
const LB = 'StaleLb'
const home = mkdtempSync(join(tmpdir(), 'elb-local-stale-'))
let engine: TestEngine | undefined

afterAll(async () => {
  await engine?.close()
  rmSync(home, {recursive: true, force: true})
})

async function healthOf(t: TestEngine, instanceId: string) {
  const out = await t.elb.send(new DescribeInstanceHealthCommand({LoadBalancerName: LB, Instances: [{InstanceId: instanceId}]}))
  const [state] = out.InstanceStates ?? []
  return {State: state?.State, ReasonCode: state?.ReasonCode, Description: state?.Description}
}

it('a started instance\'s stale registration is named and fails its checks at once, after an engine restart too', async () => {
  const lines: string[] = []
  let t = engine = await startTestEngine({home, log: (line) => lines.push(line)})
  const [instance] = await t.runInstances({serve: [{protocol: 'http', port: 8080}]})
  const instanceId = instance?.instanceId ?? ''
  const registeredIp = instance?.privateIp ?? ''
  await t.elb.send(new CreateLoadBalancerCommand({
    LoadBalancerName: LB, AvailabilityZones: ['us-east-1a'],
    Listeners: [{Protocol: 'HTTP', LoadBalancerPort: 80, InstanceProtocol: 'HTTP', InstancePort: 8080}],
  }))
  // Probes 3 s apart (300 s × 0.01) and 10 failures to fail: a probe-made verdict would take 30 s.
  await t.elb.send(new ConfigureHealthCheckCommand({
    LoadBalancerName: LB, HealthCheck: {Target: 'TCP:8080', Interval: 300, Timeout: 5, UnhealthyThreshold: 10, HealthyThreshold: 2},
  }))
  await t.elb.send(new RegisterInstancesWithLoadBalancerCommand({LoadBalancerName: LB, Instances: [{InstanceId: instanceId}]}))
  await eventually(async () => ((await healthOf(t, instanceId)).State === 'InService' ? true : undefined), 10_000, 'InService')

  await t.stopInstances(instanceId)
  const started = await t.admin.changeInstances('start', [instanceId])
  const currentIp = started.instances[0]?.privateIp ?? ''
  expect(currentIp).not.toBe(registeredIp)
  expect(started.staleRegistrations).toEqual([{loadBalancerName: LB, instanceId, registeredIp, currentIp}])
  expect(await healthOf(t, instanceId)).toEqual(FAILED)
  const advice = `health: ${LB}/${instanceId} instance is running at ${currentIp}, but ${LB} still sends its health checks and ` +
    `traffic to ${registeredIp}, its address when it was registered; it stays OutOfService until it is registered again: ` +
    `elb-deregister-instances-from-lb ${LB} --instances ${instanceId}, then elb-register-instances-with-lb ${LB} --instances ${instanceId}`
  expect(lines).toContain(advice)

  await t.close()
  engine = undefined
  lines.length = 0
  t = engine = await startTestEngine({home, log: (line) => lines.push(line)})
  expect(await healthOf(t, instanceId)).toEqual(FAILED)
  expect(lines).toContain(advice)

  // What the advice says works: registered again, the instance is probed at its new address.
  await t.elb.send(new DeregisterInstancesFromLoadBalancerCommand({LoadBalancerName: LB, Instances: [{InstanceId: instanceId}]}))
  await t.elb.send(new RegisterInstancesWithLoadBalancerCommand({LoadBalancerName: LB, Instances: [{InstanceId: instanceId}]}))
  await eventually(async () => ((await healthOf(t, instanceId)).State === 'InService' ? true : undefined), 10_000, 'InService at the new address')
}, 60_000)
