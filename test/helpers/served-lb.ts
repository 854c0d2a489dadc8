import {ConfigureHealthCheckCommand, CreateLoadBalancerCommand, RegisterInstancesWithLoadBalancerCommand} from '@aws-sdk/client-elastic-load-balancing'
import {request as httpRequest} from 'node:http'
import {eventually, type TestEngine} from './engine.js'

/**
 * One HTTP load balancer (port 80 + offset) in front of one stand-in instance, InService: what the
 * metrics tests send traffic through. `get` answers the status of one request through it.
 */
export interface ServedLoadBalancer {
  readonly get: (path: string) => Promise<number>
}

/** The status of one GET through the load balancer `name`'s HTTP listener on port 80 (+ offset). */
export function getThrough(t: TestEngine, name: string, portOffset: number, path = '/'): Promise<number> {
  const lb = t.engine.store.state.regions['us-east-1']?.loadBalancers.find((record) => record.name === name)
  return new Promise((resolve, reject) => {
    const request = httpRequest({host: lb?.localAddress, port: 80 + portOffset, path, agent: false, timeout: 5_000}, (response) => {
      response.resume()
      response.once('end', () => { resolve(response.statusCode ?? 0) })
    })
    request.once('timeout', () => request.destroy(new Error('timed out')))
    request.once('error', reject)
    request.end()
  })
}

export async function startServedLoadBalancer(t: TestEngine, name: string, portOffset: number): Promise<ServedLoadBalancer> {
  const get = (path: string): Promise<number> => getThrough(t, name, portOffset, path)
  const [instance] = await t.runInstances({serve: [{protocol: 'http', port: 80}]})
  await t.elb.send(new CreateLoadBalancerCommand({
    LoadBalancerName: name, AvailabilityZones: ['us-east-1a'],
    Listeners: [{Protocol: 'HTTP', LoadBalancerPort: 80, InstanceProtocol: 'HTTP', InstancePort: 80}],
  }))
  await t.elb.send(new ConfigureHealthCheckCommand({LoadBalancerName: name, HealthCheck: {Target: 'HTTP:80/', Interval: 30, Timeout: 5, UnhealthyThreshold: 2, HealthyThreshold: 2}}))
  await t.elb.send(new RegisterInstancesWithLoadBalancerCommand({LoadBalancerName: name, Instances: [{InstanceId: instance?.instanceId}]}))
  await eventually(async () => (await get('/')) === 200 ? true : undefined, 20_000, 'the instance to serve')
  return {get}
}
