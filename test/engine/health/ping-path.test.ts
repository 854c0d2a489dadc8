/**
 * A health check's ping path becomes the probe's request line, so it must be a valid request
 * target (issue 16, finding 12): CR, LF, spaces or tabs in it would let the probe carry injected
 * headers and a second request to the instance. ConfigureHealthCheck refuses such a Target with
 * AWS's ValidationError; the checker never probes one (a state written before the rule included).
 */
import {ConfigureHealthCheckCommand, CreateLoadBalancerCommand, DescribeLoadBalancersCommand} from '@aws-sdk/client-elastic-load-balancing'
import {healthCheckTarget} from '../../../src/engine/model/elb/health-check.js'
import {startTestEngine, type TestEngine} from '../../helpers/engine.js'

const INJECTED = 'HTTP:80/ok HTTP/1.1\r\nX-Injected: 1\r\n\r\nDELETE /admin'
const HOSTILE = [INJECTED, 'HTTP:80/ok\nDELETE /admin', 'HTTP:80/a b', 'HTTP:80/a\tb', 'HTTPS:443/a\rb', 'HTTP:80/a#frag', 'HTTP:80/caf\u00e9']

describe('health-check ping paths', () => {
  let t: TestEngine

  beforeAll(async () => {
    t = await startTestEngine()
    await t.elb.send(new CreateLoadBalancerCommand({
      LoadBalancerName: 'pinged', AvailabilityZones: ['us-east-1a'],
      Listeners: [{Protocol: 'HTTP', LoadBalancerPort: 80, InstanceProtocol: 'HTTP', InstancePort: 80}],
    }))
  })
  afterAll(async () => { await (t as TestEngine | undefined)?.close() })

  const configure = (Target: string) => t.elb.send(new ConfigureHealthCheckCommand({
    LoadBalancerName: 'pinged', HealthCheck: {Target, Interval: 30, Timeout: 5, UnhealthyThreshold: 2, HealthyThreshold: 2},
  }))

  it.each(HOSTILE.map((target) => [JSON.stringify(target), target]))('ConfigureHealthCheck refuses %s with ValidationError', async (_name, target) => {
    const error = await configure(target).then(() => undefined, (e: unknown) => e as {name: string; message: string; $metadata: {httpStatusCode?: number}})
    expect(error?.name).toBe('ValidationError')
    expect(error?.$metadata.httpStatusCode).toBe(400)
    expect(error?.message).toBe("HealthCheck Target ping path may contain only printable ASCII characters other than space and '#'")
    const described = await t.elb.send(new DescribeLoadBalancersCommand({LoadBalancerNames: ['pinged']}))
    expect(described.LoadBalancerDescriptions?.[0]?.HealthCheck?.Target).toBe('TCP:80')
  })

  it('accepts a path with a query and percent-escapes', async () => {
    const out = await configure('HTTP:80/health/check?x=1&y=%20z')
    expect(out.HealthCheck?.Target).toBe('HTTP:80/health/check?x=1&y=%20z')
  })

  it.each(HOSTILE.map((target) => [JSON.stringify(target), target]))('the checker never probes %s (it fails the target instead)', (_name, target) => {
    expect(healthCheckTarget(target)).toBeUndefined()
  })
})
