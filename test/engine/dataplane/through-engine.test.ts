/**
 * The data plane inside the whole engine, driven only through the AWS SDK and the admin API: demo
 * instances, real health checks, listeners created and deleted by API calls.
 */
import {request as httpRequest} from 'node:http'
import {connect} from 'node:net'
import {
  CreateLoadBalancerCommand,
  CreateLoadBalancerListenersCommand,
  DeleteLoadBalancerListenersCommand,
  DeregisterInstancesFromLoadBalancerCommand,
  DescribeInstanceHealthCommand,
  ModifyLoadBalancerAttributesCommand,
  RegisterInstancesWithLoadBalancerCommand,
} from '@aws-sdk/client-elastic-load-balancing'
import {eventually, startTestEngine, type TestEngine} from '../../helpers/engine.js'

const OFFSET = 30_000 + 10 * Math.floor(Math.random() * 900)
const LB = 'dataplane-engine'

function get(host: string, port: number, path = '/'): Promise<{status: number; body: string; headers: import('node:http').IncomingHttpHeaders}> {
  return new Promise((resolve, reject) => {
    const req = httpRequest({host, port, path}, res => {
      let body = ''
      res.setEncoding('utf8')
      res.on('data', (c: string) => (body += c))
      res.on('end', () => { resolve({status: res.statusCode ?? 0, body, headers: res.headers}); })
    })
    req.on('error', reject)
    req.end()
  })
}

describe('data plane through the engine (SDK)', () => {
  let t: TestEngine
  let ids: string[]
  let address: string

  beforeAll(async () => {
    // EC2-Classic: listeners created after the load balancer carry traffic at once there; in the default VPC
    // ELB's default_elb_ group admits only the first listeners' ports, as on AWS (security-groups.test.ts).
    t = await startTestEngine({portOffset: OFFSET, platform: 'ec2-classic'})
    const instances = await t.runInstances({count: 2, serve: [{protocol: 'http', port: 80}]})
    ids = instances.map(i => i.instanceId)
    await t.elb.send(new CreateLoadBalancerCommand({
      LoadBalancerName: LB,
      Listeners: [{Protocol: 'HTTP', LoadBalancerPort: 80, InstanceProtocol: 'HTTP', InstancePort: 80}],
      AvailabilityZones: [...new Set(instances.map(i => i.availabilityZone))],
    }))
    await t.elb.send(new ModifyLoadBalancerAttributesCommand({LoadBalancerName: LB, LoadBalancerAttributes: {CrossZoneLoadBalancing: {Enabled: true}}}))
    await t.elb.send(new RegisterInstancesWithLoadBalancerCommand({LoadBalancerName: LB, Instances: ids.map(InstanceId => ({InstanceId}))}))
    const status = t.engine.dataPlane.listenerStatus().find(s => s.loadBalancerName === LB)
    expect(status).toMatchObject({loadBalancerPort: 80, localPort: 80 + OFFSET, state: 'bound'})
    address = status?.address ?? ''
    await eventually(async () => {
      const health = await t.elb.send(new DescribeInstanceHealthCommand({LoadBalancerName: LB}))
      return health.InstanceStates?.every(s => s.State === 'InService') === true ? true : undefined
    }, 15_000, 'both instances InService')
  }, 60_000)

  afterAll(async () => {
    await t.close()
  })

  test('requests through the listener reach both registered instances with X-Forwarded-*', async () => {
    const seen = new Set<string>()
    for (let i = 0; i < 8; i++) {
      const reply = await get(address, 80 + OFFSET)
      expect(reply.status).toBe(200)
      const body = JSON.parse(reply.body) as {instanceId: string; headers: Record<string, string>}
      seen.add(body.instanceId)
      expect(body.headers['x-forwarded-proto']).toBe('http')
      expect(body.headers['x-forwarded-port']).toBe('80')
      expect(body.headers['x-forwarded-for']).toBe('127.0.0.1')
    }
    expect([...seen].sort()).toEqual([...ids].sort())
  })

  test('a deregistered instance gets no more requests', async () => {
    const [gone, kept] = ids
    await t.elb.send(new DeregisterInstancesFromLoadBalancerCommand({LoadBalancerName: LB, Instances: [{InstanceId: gone}]}))
    for (let i = 0; i < 6; i++) {
      const body = JSON.parse((await get(address, 80 + OFFSET)).body) as {instanceId: string}
      expect(body.instanceId).toBe(kept)
    }
  })

  test('a listener created by the API carries traffic as soon as the call returns; deleting it closes the port', async () => {
    await t.elb.send(new CreateLoadBalancerListenersCommand({LoadBalancerName: LB,
      Listeners: [{Protocol: 'TCP', LoadBalancerPort: 81, InstanceProtocol: 'TCP', InstancePort: 80}]}))
    expect((await get(address, 81 + OFFSET)).status).toBe(200)
    await t.elb.send(new DeleteLoadBalancerListenersCommand({LoadBalancerName: LB, LoadBalancerPorts: [81]}))
    await expect(new Promise((resolve, reject) => {
      const socket = connect({host: address, port: 81 + OFFSET})
      socket.on('connect', () => {
        socket.destroy()
        resolve('connected')
      })
      socket.on('error', reject)
    })).rejects.toMatchObject({code: 'ECONNREFUSED'})
  })
})
