import {spawn, type ChildProcess} from 'node:child_process'
import {mkdirSync, readFileSync} from 'node:fs'
import {request} from 'node:http'
import {join} from 'node:path'
import {
  ConfigureHealthCheckCommand, CreateLoadBalancerCommand, DescribeInstanceHealthCommand, DescribeLoadBalancersCommand,
  ElasticLoadBalancingClient, RegisterInstancesWithLoadBalancerCommand,
} from '@aws-sdk/client-elastic-load-balancing'
import {afterAll, expect, it} from '@jest/globals'
import {AdminClient} from '../../../src/lib/local/admin-client.js'
import {eventually, TEST_CREDENTIALS} from '../../helpers/engine.js'
import {claimInstanceNetwork, claimLoadBalancerNetwork, type Claim} from '../../helpers/networks.js'
import {ENGINE_ENTRY, ensureBuilt, REPO} from '../../helpers/processes.js'
import {describeOnSmallDisk} from '../../helpers/tmpfs.js'

/** The built engine in the foreground (its log appended to HOME/engine.log), on port 0; resolves once it listens. */
function startEngineProcess(home: string, networks: readonly Claim[]): Promise<{child: ChildProcess; endpoint: string}> {
  const [instances, loadBalancers] = networks
  const child = spawn(process.execPath, [ENGINE_ENTRY, '--home', home, '--port', '0', '--time-scale', '0.02'], {
    cwd: REPO,
    stdio: ['ignore', 'ignore', 'pipe'],
    env: {
      ...process.env, NODE_OPTIONS: '', AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
      ELB_LOCAL_INSTANCE_NETWORK: instances?.block, ELB_LOCAL_LB_NETWORK: loadBalancers?.block,
    },
  })
  return new Promise((resolve, reject) => {
    let output = ''
    child.stderr.on('data', (chunk: Buffer) => {
      output += chunk.toString()
      const endpoint = /engine listening on (http:\/\/\S+)/.exec(output)?.[1]
      if (endpoint !== undefined) resolve({child, endpoint})
    })
    child.once('exit', (code) => { reject(new Error(`the engine exited (${String(code)}) before listening: ${output}`)); })
  })
}

function get(host: string, port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request({host, port, path: '/', agent: false}, (res) => {
      res.resume()
      res.on('end', () => { resolve(res.statusCode ?? 0); })
    })
    req.setTimeout(5000, () => req.destroy(new Error('timeout')))
    req.on('error', reject)
    req.end()
  })
}

/** About 3 KiB of tags: each write's journal record crosses a page of the full disk. */
const TAGS = Array.from({length: 10}, (_, index) => ({Key: `pad-${index}`, Value: 'v'.repeat(250)}))
const LB_PORT = 18_081

describeOnSmallDisk('a full disk under a running engine (2 MiB tmpfs home)', 2 * 1024 * 1024, (small) => {
  const children: ChildProcess[] = []
  const clients: ElasticLoadBalancingClient[] = []
  let networks: Claim[] = []
  afterAll(async () => {
    for (const client of clients) client.destroy()
    const running = children.filter((child) => child.exitCode === null && child.signalCode === null)
    for (const child of running) child.kill('SIGKILL')
    await Promise.all(running.map((child) => new Promise((resolve) => child.once('exit', resolve))))
    await Promise.all(networks.map((claim) => claim.release()))
  })

  it('answers refused writes 503, keeps serving traffic, writes again once space is back, and keeps every acknowledged write', async () => {
    ensureBuilt()
    networks = [await claimInstanceNetwork(), await claimLoadBalancerNetwork()]
    const home = join(small.dir, 'home')
    mkdirSync(home)
    const {child: first, endpoint} = await startEngineProcess(home, networks)
    children.push(first)
    const elb = new ElasticLoadBalancingClient({endpoint, region: 'us-east-1', credentials: TEST_CREDENTIALS, maxAttempts: 1})
    clients.push(elb)
    const admin = new AdminClient(endpoint)
    const [instance] = await admin.runInstances({serve: [{protocol: 'http', port: 8080}]})
    const instanceId = instance?.instanceId ?? ''
    await elb.send(new CreateLoadBalancerCommand({
      LoadBalancerName: 'disk-lb', AvailabilityZones: ['us-east-1a'],
      Listeners: [{Protocol: 'HTTP', LoadBalancerPort: LB_PORT, InstanceProtocol: 'HTTP', InstancePort: 8080}],
    }))
    await elb.send(new ConfigureHealthCheckCommand({
      LoadBalancerName: 'disk-lb',
      // Lenient (scaled: a probe every 600 ms, 580 ms to answer, 10 misses): a loaded machine must not flap it.
      HealthCheck: {Target: 'HTTP:8080/', Interval: 30, Timeout: 29, UnhealthyThreshold: 10, HealthyThreshold: 2},
    }))
    await elb.send(new RegisterInstancesWithLoadBalancerCommand({LoadBalancerName: 'disk-lb', Instances: [{InstanceId: instanceId}]}))
    await eventually(async () => {
      const out = await elb.send(new DescribeInstanceHealthCommand({LoadBalancerName: 'disk-lb'}))
      return out.InstanceStates?.[0]?.State === 'InService' ? true : undefined
    }, 15_000, 'the instance InService')
    const address = (await admin.status()).loadBalancers.find((lb) => lb.name === 'disk-lb')?.address ?? ''
    expect(await get(address, LB_PORT)).toBe(200)

    const acknowledged: string[] = ['disk-lb']
    const refused: {name: string; status: number | undefined; code: string; message: string}[] = []
    small.fill()
    try {
      for (let n = 0; n < 40 && refused.length < 3; n++) {
        const name = `full-${n}`
        try {
          await elb.send(new CreateLoadBalancerCommand({
            LoadBalancerName: name, AvailabilityZones: ['us-east-1a'], Tags: TAGS,
            Listeners: [{Protocol: 'TCP', LoadBalancerPort: 20_000 + n, InstanceProtocol: 'TCP', InstancePort: 9}],
          }))
          acknowledged.push(name)
        } catch (error) {
          const failure = error as {name: string; message: string; $metadata?: {httpStatusCode?: number}}
          refused.push({name, status: failure.$metadata?.httpStatusCode, code: failure.name, message: failure.message})
        }
        // The data plane is untouched: traffic flows while the disk is full.
        expect(await get(address, LB_PORT)).toBe(200)
      }
      expect(refused.length).toBeGreaterThan(0)
      for (const failure of refused) {
        expect(failure).toMatchObject({status: 503, code: 'ServiceUnavailable'})
        expect(failure.message).toMatch(/^The change was not saved: the journal in .* could not be written \(ENOSPC: no space left on device/)
      }
      // No half-made state: a refused load balancer does not exist, not even in memory.
      const described = await elb.send(new DescribeLoadBalancersCommand({}))
      const names = new Set(described.LoadBalancerDescriptions?.map((lb) => lb.LoadBalancerName))
      for (const failure of refused) expect(names.has(failure.name)).toBe(false)
      // Enough requests to overflow the log's last page: those lines are dropped, the engine lives on.
      for (let n = 0; n < 30; n++) await elb.send(new DescribeLoadBalancersCommand({LoadBalancerNames: ['disk-lb']}))
      expect(first.exitCode).toBeNull()
    } finally {
      small.free()
    }

    // Space is back: writes work again, with no restart.
    await elb.send(new CreateLoadBalancerCommand({
      LoadBalancerName: 'after-free', AvailabilityZones: ['us-east-1a'], Tags: TAGS,
      Listeners: [{Protocol: 'TCP', LoadBalancerPort: 19_999, InstanceProtocol: 'TCP', InstancePort: 9}],
    }))
    acknowledged.push('after-free')
    expect(await get(address, LB_PORT)).toBe(200)
    first.kill('SIGKILL')
    await new Promise((resolve) => first.once('exit', resolve))
    expect(readFileSync(join(home, 'engine.log'), 'utf8')).toMatch(/WARN \d+ log line\(s\) dropped: the log could not be written \(ENOSPC/)

    const {child: second, endpoint: restarted} = await startEngineProcess(home, networks)
    children.push(second)
    const again = new ElasticLoadBalancingClient({endpoint: restarted, region: 'us-east-1', credentials: TEST_CREDENTIALS, maxAttempts: 1})
    clients.push(again)
    const after = await again.send(new DescribeLoadBalancersCommand({}))
    const present = after.LoadBalancerDescriptions?.map((lb) => lb.LoadBalancerName).sort()
    expect(present).toEqual([...acknowledged].sort())
    await new AdminClient(restarted).shutdown()
    await new Promise((resolve) => second.once('exit', resolve))
    process.stdout.write(`full disk: ${acknowledged.length - 2} writes acknowledged and ${refused.length} refused (503) while full; ` +
      'every acknowledged one present after a kill -9 and restart\n')
  }, 60_000)
})
