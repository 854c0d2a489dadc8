/**
 * Failures that used to show only in `elb-local status`: a write that leaves a listener unable to
 * bind (a `Warning:` line from our CLI, stdout and exit code as the legacy tool's), instances the
 * load balancer cannot use (engine log, rate-limited, and counted), and the live traffic feed.
 */
import {spawn} from 'node:child_process'
import {request} from 'node:http'
import {createServer, type Server} from 'node:net'
import {join} from 'node:path'
import {
  ConfigureHealthCheckCommand, CreateLoadBalancerCommand, DescribeInstanceHealthCommand, RegisterInstancesWithLoadBalancerCommand,
} from '@aws-sdk/client-elastic-load-balancing'
import {afterAll, beforeAll, describe, expect, it} from '@jest/globals'
import {eventually, startTestEngine, type TestEngine} from '../helpers/engine.js'
import {ensureBuilt, REPO, runNode} from '../helpers/processes.js'

const SERVE_PORT = 18080

function get(host: string, port: number, path = '/'): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request({host, port, path, agent: false}, (res) => {
      res.resume()
      res.on('end', () => { resolve(res.statusCode ?? 0) })
    })
    req.setTimeout(5000, () => req.destroy(new Error('timeout')))
    req.on('error', reject)
    req.end()
  })
}

describe('visible failures', () => {
  const lines: string[] = []
  let t: TestEngine
  let env: NodeJS.ProcessEnv
  let blocker: Server
  let instanceId = ''
  let instanceIp = ''

  beforeAll(async () => {
    ensureBuilt()
    // EC2-Classic: no security group stands between these listeners and the client (see security-groups.test.ts).
    t = await startTestEngine({platform: 'ec2-classic', log: (line) => lines.push(line)})
    env = {ELB_LOCAL_ENDPOINT: t.endpoint, ELB_LOCAL_AUTOSTART: '0'}
    const [instance] = await t.runInstances({serve: [{protocol: 'http', port: SERVE_PORT}]})
    instanceId = instance?.instanceId ?? ''
    instanceIp = instance?.privateIp ?? ''
  })
  afterAll(async () => {
    await new Promise((resolve) => blocker.close(resolve))
    await t.close()
  })

  async function inService(name: string, target: string): Promise<string> {
    await t.elb.send(new ConfigureHealthCheckCommand({
      LoadBalancerName: name, HealthCheck: {Target: target, Interval: 5, Timeout: 2, UnhealthyThreshold: 2, HealthyThreshold: 2},
    }))
    await t.elb.send(new RegisterInstancesWithLoadBalancerCommand({LoadBalancerName: name, Instances: [{InstanceId: instanceId}]}))
    await eventually(async () => {
      const out = await t.elb.send(new DescribeInstanceHealthCommand({LoadBalancerName: name}))
      return out.InstanceStates?.[0]?.State === 'InService' ? true : undefined
    }, 15_000, `${name} InService`)
    return (await t.admin.status()).loadBalancers.find((lb) => lb.name === name)?.address ?? ''
  }

  it('a listener that cannot bind: one Warning line on stderr, stdout and exit code unchanged', async () => {
    await t.elb.send(new CreateLoadBalancerCommand({LoadBalancerName: 'first', Listeners: [{Protocol: 'HTTP', LoadBalancerPort: 8080, InstancePort: SERVE_PORT}], AvailabilityZones: ['us-east-1a']}))
    const first = (await t.admin.status()).loadBalancers.find((lb) => lb.name === 'first')?.address ?? ''
    // The next load balancer takes the next address: hold a port there first.
    const next = first.replace(/\.1$/, '.2')
    blocker = createServer()
    await new Promise<void>((resolve) => blocker.listen(0, next, resolve))
    const port = (blocker.address() as {port: number}).port
    const result = await runNode([join(REPO, 'bin', 'elb-create-lb'), 'blocked', '--listener', `protocol=tcp, lb-port=${port}, instance-port=${SERVE_PORT}`, '-z', 'us-east-1a'], env)
    expect(result.stdout).toMatch(/^DNS_NAME {2}blocked-\d+\.us-east-1\.elb\.amazonaws\.com\n$/)
    expect(result.stderr).toBe(`Warning: load balancer blocked: listener TCP:${port} is not serving: address ${next}:${port} is already in use by another process\n`)
    expect(result.code).toBe(0)
    // Reported once: the next write does not repeat it.
    const again = await runNode([join(REPO, 'bin', 'elb-configure-healthcheck'), 'blocked', '--target', `TCP:${SERVE_PORT}`, '--interval', '30', '--timeout', '5', '--healthy-threshold', '2', '--unhealthy-threshold', '2'], env)
    expect(again.stderr).toBe('')
  })

  it('an instance the load balancer cannot connect to: logged once per interval with a count, and counted in status', async () => {
    // Healthy on the port it serves; the listener sends traffic to one it does not.
    await t.elb.send(new CreateLoadBalancerCommand({LoadBalancerName: 'refused', Listeners: [{Protocol: 'HTTP', LoadBalancerPort: 8081, InstancePort: SERVE_PORT + 1}], AvailabilityZones: ['us-east-1a']}))
    const address = await inService('refused', `TCP:${SERVE_PORT}`)
    for (let i = 0; i < 3; i++) expect(await get(address, 8081)).toBe(502)
    const warnings = lines.filter((line) => line.startsWith('WARN backend: load balancer refused '))
    expect(warnings).toEqual([
      expect.stringMatching(new RegExp(`^WARN backend: load balancer refused \\(us-east-1\\) cannot use instance ${instanceId} at 127\\.0\\.\\d+\\.2:${SERVE_PORT + 1}: connect failure: connect ECONNREFUSED`)),
    ])
    const status = await t.admin.status()
    expect(status.backendFailures).toEqual([expect.objectContaining({loadBalancerName: 'refused', instanceId, reason: 'connect', count: 3})])
    const shown = await runNode([join(REPO, 'bin', 'elb-local'), 'status'], env)
    expect(shown.stdout).toMatch(new RegExp(`│ refused +│ ${instanceId} │ connect +│ 3 +│ connect ECONNREFUSED`))
  })

  it('run-instances exits 1 when a demo back end cannot serve, and says how to choose other addresses', async () => {
    const taken = instanceIp.replace(/\.2$/, '.9')
    const holder = createServer()
    await new Promise<void>((resolve) => holder.listen(0, taken, resolve))
    try {
      const port = (holder.address() as {port: number}).port
      const result = await runNode([join(REPO, 'bin', 'elb-local'), 'run-instances', '--ip', taken, '--serve', `http:${port}`], env)
      expect(result.code).toBe(1)
      expect(result.stdout).toContain(`│ ${taken} `)
      const id = /│ (i-[0-9a-f]+) /.exec(result.stdout)?.[1] ?? ''
      expect(result.stderr).toBe(`elb-local run-instances: ${id} cannot serve http on ${taken}:${port}: ${taken}:${port} is already in use ` +
        'by another process (another engine on the same addresses?)\nGive the instance a free address with --ip 127.0.0.N, or move every ' +
        'instance of this engine with ELB_LOCAL_INSTANCE_NETWORK=127.0.M (set when the engine starts).\n')
    } finally {
      await new Promise((resolve) => holder.close(resolve))
    }
  })

  it('logs --traffic prints every load balancer\'s access-log lines, live', async () => {
    await t.elb.send(new CreateLoadBalancerCommand({LoadBalancerName: 'watched', Listeners: [{Protocol: 'HTTP', LoadBalancerPort: 8082, InstancePort: SERVE_PORT}], AvailabilityZones: ['us-east-1a']}))
    const address = await inService('watched', `HTTP:${SERVE_PORT}/`)
    const child = spawn(process.execPath, [join(REPO, 'bin', 'elb-local'), 'logs', '--traffic'], {env: {...process.env, NODE_OPTIONS: '', ...env}})
    let out = ''
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()))
    try {
      // Requests before the feed is attached are not shown: ask until one is.
      const line = await eventually(async () => {
        expect(await get(address, 8082, '/traffic-check')).toBe(200)
        return out.split('\n').find((entry) => entry.includes(' watched '))
      }, 15_000, 'a traffic line')
      expect(line).toMatch(new RegExp(`^\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{6}Z watched 127\\.0\\.0\\.1:\\d+ 127\\.0\\.\\d+\\.2:${SERVE_PORT} ` +
        `[\\d.]+ [\\d.]+ [\\d.]+ 200 200 0 \\d+ "GET http://${address.replace(/\./g, '\\.')}:8082/traffic-check HTTP/1\\.1" "-" - -$`))
    } finally {
      child.kill('SIGINT')
    }
  })
})
