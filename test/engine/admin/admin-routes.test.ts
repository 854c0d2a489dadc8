import {CreateLoadBalancerCommand, RegisterInstancesWithLoadBalancerCommand} from '@aws-sdk/client-elastic-load-balancing'
import {ADMIN_ROUTES, adminExchange, adminPath, type AdminRouteName} from '../../../src/engine/admin/routes.js'
import {AdminApiError} from '../../../src/lib/local/admin-client.js'
import {startTestEngine, type TestEngine} from '../../helpers/engine.js'

/**
 * Issue 17 #4: the admin route table (src/engine/admin/routes.ts) is what the engine dispatches
 * from and what `elb-local` calls through; issue 17 #5: `GET health` is slim unless asked.
 */

let t: TestEngine
beforeAll(async () => {
  t = await startTestEngine()
})
afterAll(async () => {
  await t.close()
})

describe('the route table', () => {
  it('names each method and path once', () => {
    const keys = Object.values(ADMIN_ROUTES).map((route) => `${route.method} ${route.path}`)
    expect(new Set(keys).size).toBe(keys.length)
  })

  it('builds a GET query and a POST body from the request', () => {
    expect(adminExchange('describeInstances', {region: 'eu-west-1', instanceId: ['i-1', 'i-2']}))
      .toEqual({method: 'GET', path: '/__elb-local/instances?region=eu-west-1&instanceId=i-1&instanceId=i-2'})
    expect(adminExchange('health', {})).toEqual({method: 'GET', path: '/__elb-local/health'})
    expect(adminExchange('stopInstances', {instanceIds: ['i-1']})).toEqual({method: 'POST', path: '/__elb-local/instances/stop', body: {instanceIds: ['i-1']}})
    expect(adminPath('traffic')).toBe('/__elb-local/traffic')
  })

  it('every JSON route is served by the engine (none answers 404)', async () => {
    const jsonRoutes = (Object.keys(ADMIN_ROUTES) as AdminRouteName[])
      .filter((name) => !ADMIN_ROUTES[name].raw && name !== 'shutdown' && name !== 'reset')
    for (const name of jsonRoutes) {
      // An empty request: a route that needs more answers 400 with its own code, never UnknownRoute.
      const outcome = await t.admin.call(name, {}).then(() => 200, (error: unknown) => error)
      if (outcome !== 200) {
        expect(outcome).toBeInstanceOf(AdminApiError)
        expect([name, (outcome as AdminApiError).status, (outcome as AdminApiError).code]).not.toEqual([name, 404, 'UnknownRoute'])
      }
    }
  })

  it('a path outside the table: 404 UnknownRoute, naming it', async () => {
    const answer = await fetch(`${t.endpoint}/__elb-local/instance-certificate`)
    expect(answer.status).toBe(404)
    expect(await answer.json()).toEqual({error: {code: 'UnknownRoute', message: 'No such admin route: GET instance-certificate'}})
  })
})

describe('GET health', () => {
  it('names the engine without the targets; ?targets=1 adds every health-check target', async () => {
    const [instance] = await t.runInstances({count: 1})
    await t.elb.send(new CreateLoadBalancerCommand({
      LoadBalancerName: 'slim', AvailabilityZones: ['us-east-1a'],
      Listeners: [{Protocol: 'HTTP', LoadBalancerPort: 80, InstanceProtocol: 'HTTP', InstancePort: 80}],
    }))
    await t.elb.send(new RegisterInstancesWithLoadBalancerCommand({LoadBalancerName: 'slim', Instances: [{InstanceId: instance?.instanceId}]}))
    const slim = await t.admin.call('health', {})
    expect(slim).toEqual({engine: 'elb-local', pid: process.pid, endpoint: t.endpoint})
    const full = await t.admin.call('health', {targets: '1'})
    expect(full.targets?.map((target) => [target.loadBalancerName, target.instanceId])).toEqual([['slim', instance?.instanceId]])
  })
})
