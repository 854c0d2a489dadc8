import {request} from 'node:http'
import {
  ConfigureHealthCheckCommand, CreateLoadBalancerCommand, DescribeInstanceHealthCommand, DescribeLoadBalancersCommand,
  RegisterInstancesWithLoadBalancerCommand,
} from '@aws-sdk/client-elastic-load-balancing'
import {afterAll, beforeAll, describe, expect, it} from '@jest/globals'
import {eventually, startTestEngine, type TestEngine} from '../../helpers/engine.js'

function get(host: string, port: number): Promise<{status: number; instanceId?: string}> {
  return new Promise((resolve, reject) => {
    const req = request({host, port, path: '/', agent: false}, (res) => {
      const chunks: Buffer[] = []
      res.on('data', (chunk: Buffer) => chunks.push(chunk))
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8')
        let instanceId: string | undefined
        try {
          instanceId = (JSON.parse(text) as {instanceId?: string}).instanceId
        } catch {
          instanceId = undefined
        }
        resolve({status: res.statusCode ?? 0, ...(instanceId === undefined ? {} : {instanceId})})
      })
    })
    req.setTimeout(5000, () => req.destroy(new Error('timeout')))
    req.on('error', reject)
    req.end()
  })
}

describe('the composed engine carries traffic to healthy demo instances', () => {
  let t: TestEngine
  let address = ''
  const lbPort = 18000 + Math.floor(Math.random() * 1000)
  const ids: string[] = []

  beforeAll(async () => {
    t = await startTestEngine({timeScale: 0.02})
    for (const instance of await t.runInstances({count: 2, serve: [{protocol: 'http', port: 8080}]})) ids.push(instance.instanceId)
    await t.elb.send(new CreateLoadBalancerCommand({
      LoadBalancerName: 'TrafficLb',
      Listeners: [{Protocol: 'HTTP', LoadBalancerPort: lbPort, InstanceProtocol: 'HTTP', InstancePort: 8080}],
      AvailabilityZones: ['us-east-1a'],
    }))
    await t.elb.send(new ConfigureHealthCheckCommand({
      LoadBalancerName: 'TrafficLb',
      HealthCheck: {Target: 'HTTP:8080/ping', Interval: 5, Timeout: 2, UnhealthyThreshold: 2, HealthyThreshold: 2},
    }))
    await t.elb.send(new RegisterInstancesWithLoadBalancerCommand({LoadBalancerName: 'TrafficLb', Instances: ids.map((InstanceId) => ({InstanceId}))}))
    const status = await t.admin.status()
    address = status.loadBalancers.find((lb) => lb.name === 'TrafficLb')?.address ?? ''
    await eventually(async () => {
      const out = await t.elb.send(new DescribeInstanceHealthCommand({LoadBalancerName: 'TrafficLb'}))
      return out.InstanceStates?.every((state) => state.State === 'InService') === true ? true : undefined
    }, 10_000, 'both instances InService')
  })
  afterAll(async () => {
    await t.close()
  })

  it('status shows the load balancer address, DNS name and its bound listener', async () => {
    const status = await t.admin.status()
    const described = await t.elb.send(new DescribeLoadBalancersCommand({LoadBalancerNames: ['TrafficLb']}))
    const lb = status.loadBalancers.find((entry) => entry.name === 'TrafficLb')
    expect(lb).toMatchObject({dnsName: described.LoadBalancerDescriptions?.[0]?.DNSName, instances: 2})
    expect(lb?.address).toMatch(/^127\.\d+\.\d+\.\d+$/)
    expect(lb?.listeners).toMatchObject([{protocol: 'HTTP', loadBalancerPort: lbPort, state: 'bound'}])
    expect(status.counts).toMatchObject({loadBalancers: 1, instances: 2, runningInstances: 2})
  })

  it('spreads requests over both instances, and only the healthy one once the other fails', async () => {
    const seen = new Set<string>()
    for (let n = 0; n < 6; n++) seen.add((await get(address, lbPort)).instanceId ?? '')
    expect([...seen].sort()).toEqual([...ids].sort())

    await t.admin.backends('pause', [ids[0] ?? ''])
    await eventually(() => (t.engine.health.isRoutable('us-east-1', 'TrafficLb', ids[0] ?? '') ? undefined : true), 10_000, 'first instance out')
    for (let n = 0; n < 4; n++) expect(await get(address, lbPort)).toEqual({status: 200, instanceId: ids[1]})

    await t.admin.backends('pause', [ids[1] ?? ''])
    await eventually(() => (t.engine.health.isRoutable('us-east-1', 'TrafficLb', ids[1] ?? '') ? undefined : true), 10_000, 'second instance out')
    expect((await get(address, lbPort)).status).toBe(503)
    await t.admin.backends('resume', ids)
  })
})
