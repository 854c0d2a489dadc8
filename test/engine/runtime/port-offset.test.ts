import {request} from 'node:http'
import {
  ConfigureHealthCheckCommand, CreateLoadBalancerCommand, DescribeInstanceHealthCommand, DescribeLoadBalancersCommand,
  RegisterInstancesWithLoadBalancerCommand,
} from '@aws-sdk/client-elastic-load-balancing'
import {afterAll, beforeAll, describe, expect, it} from '@jest/globals'
import {eventually, startTestEngine, type TestEngine} from '../../helpers/engine.js'

function get(host: string, port: number): Promise<Record<string, unknown>> {
  return new Promise((resolve, reject) => {
    const req = request({host, port, path: '/', agent: false}, (res) => {
      const chunks: Buffer[] = []
      res.on('data', (chunk: Buffer) => chunks.push(chunk))
      res.on('end', () => { resolve(JSON.parse(Buffer.concat(chunks).toString('utf8')) as Record<string, unknown>) })
    })
    req.on('error', reject)
    req.end()
  })
}

describe('--port-offset: ports below 1024 become port + offset everywhere, the API still says 80', () => {
  let t: TestEngine
  const offset = 20000 + Math.floor(Math.random() * 20000)

  beforeAll(async () => {
    t = await startTestEngine({timeScale: 0.02, portOffset: offset})
  })
  afterAll(async () => {
    await t.close()
  })

  it('serves, probes and listens on the offset ports', async () => {
    const [instance] = await t.runInstances({serve: [{protocol: 'http', port: 80}]})
    const ip = instance?.privateIp ?? ''
    expect(await get(ip, 80 + offset)).toMatchObject({instanceId: instance?.instanceId, port: 80})
    expect((await t.admin.status()).backends).toMatchObject([{port: 80, localPort: 80 + offset, state: 'listening'}])

    await t.elb.send(new CreateLoadBalancerCommand({
      LoadBalancerName: 'OffsetLb',
      Listeners: [{Protocol: 'HTTP', LoadBalancerPort: 80, InstanceProtocol: 'HTTP', InstancePort: 80}],
      AvailabilityZones: ['us-east-1a'],
    }))
    await t.elb.send(new ConfigureHealthCheckCommand({
      LoadBalancerName: 'OffsetLb',
      HealthCheck: {Target: 'HTTP:80/', Interval: 5, Timeout: 2, UnhealthyThreshold: 2, HealthyThreshold: 2},
    }))
    await t.elb.send(new RegisterInstancesWithLoadBalancerCommand({LoadBalancerName: 'OffsetLb', Instances: [{InstanceId: instance?.instanceId}]}))
    await eventually(async () => {
      const out = await t.elb.send(new DescribeInstanceHealthCommand({LoadBalancerName: 'OffsetLb'}))
      return out.InstanceStates?.[0]?.State === 'InService' ? true : undefined
    }, 10_000, 'InService through the offset port')
    const described = await t.elb.send(new DescribeLoadBalancersCommand({LoadBalancerNames: ['OffsetLb']}))
    expect(described.LoadBalancerDescriptions?.[0]?.ListenerDescriptions?.[0]?.Listener?.LoadBalancerPort).toBe(80)
    const lb = (await t.admin.status()).loadBalancers[0]
    expect(lb?.listeners).toMatchObject([{loadBalancerPort: 80, localPort: 80 + offset, state: 'bound'}])
    expect(await get(lb?.address ?? '', 80 + offset)).toMatchObject({instanceId: instance?.instanceId})
  })
})
