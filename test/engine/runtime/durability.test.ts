import {spawn, type ChildProcess} from 'node:child_process'
import {mkdtempSync, rmSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {
  CreateLoadBalancerCommand, DescribeLoadBalancersCommand, ElasticLoadBalancingClient, RegisterInstancesWithLoadBalancerCommand,
} from '@aws-sdk/client-elastic-load-balancing'
import {afterAll, describe, expect, it} from '@jest/globals'
import {Store} from '../../../src/engine/model/store.js'
import {AdminClient} from '../../../src/lib/local/admin-client.js'
import {TEST_CREDENTIALS, eventually} from '../../helpers/engine.js'
import {ENGINE_ENTRY, ensureBuilt, REPO} from '../../helpers/processes.js'

/**
 * Starts the built engine on port 0 (the kernel's choice, so no other test can have taken it) and
 * resolves with its endpoint once it logs that it listens.
 */
function startEngineProcess(home: string): Promise<{child: ChildProcess; endpoint: string}> {
  const child = spawn(process.execPath, [ENGINE_ENTRY, '--home', home, '--port', '0', '--background'], {
    cwd: REPO,
    stdio: ['ignore', 'pipe', 'ignore'],
    env: {...process.env, NODE_OPTIONS: '', AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true', ELB_LOCAL_INSTANCE_NETWORK: '127.0.251', ELB_LOCAL_LB_NETWORK: '127.251'},
  })
  return new Promise((resolve, reject) => {
    let output = ''
    const onData = (chunk: Buffer) => {
      output += chunk.toString()
      const endpoint = /engine listening on (http:\/\/[^\s]+)/.exec(output)?.[1]
      if (endpoint !== undefined) resolve({child, endpoint})
    }
    // Keep reading after the line too, so the engine never blocks on a full pipe.
    child.stdout.on('data', onData)
    child.once('exit', (code) => { reject(new Error(`the engine exited (${String(code)}) before listening: ${output}`)); })
  })
}

describe('durability: kill -9 in the middle of a burst of writes', () => {
  const home = mkdtempSync(join(tmpdir(), 'elb-local-durable-'))
  const children: ChildProcess[] = []
  afterAll(() => {
    for (const child of children) if (child.exitCode === null) child.kill('SIGKILL')
    rmSync(home, {recursive: true, force: true})
  })

  it('keeps every acknowledged write', async () => {
    ensureBuilt()
    const {child: first, endpoint} = await startEngineProcess(home)
    children.push(first)
    const [instance] = await new AdminClient(endpoint).runInstances({instanceId: 'i-4f8cf126'})
    expect(instance?.state).toBe('running')

    const elb = new ElasticLoadBalancingClient({endpoint, region: 'us-east-1', credentials: TEST_CREDENTIALS, maxAttempts: 1})
    const ackedLoadBalancers: string[] = []
    const ackedRegistrations: string[] = []
    let next = 0
    let killed = false
    const worker = async () => {
      while (!killed) {
        const name = `dur-${next++}`
        try {
          await elb.send(new CreateLoadBalancerCommand({
            LoadBalancerName: name,
            Listeners: [{Protocol: 'TCP', LoadBalancerPort: 20000 + next, InstanceProtocol: 'TCP', InstancePort: 9}],
            AvailabilityZones: ['us-east-1a'],
          }))
          ackedLoadBalancers.push(name)
          await elb.send(new RegisterInstancesWithLoadBalancerCommand({LoadBalancerName: name, Instances: [{InstanceId: 'i-4f8cf126'}]}))
          ackedRegistrations.push(name)
        } catch {
          return
        }
      }
    }
    const workers = [worker(), worker(), worker(), worker()]
    await eventually(() => (ackedRegistrations.length >= 12 ? true : undefined), 20_000, 'a dozen acknowledged writes')
    first.kill('SIGKILL')
    killed = true
    await Promise.all(workers)
    await new Promise((resolve) => first.once('exit', resolve))
    elb.destroy()

    // What is on disk (snapshot + journal) reads back whole and holds everything that was acknowledged.
    const state = Store.open(home).state
    expect(state.formatVersion).toBe(1)
    const onDisk = new Set(state.regions['us-east-1']?.loadBalancers.map((lb) => lb.name))
    for (const name of ackedLoadBalancers) expect(onDisk.has(name)).toBe(true)

    const {child: second, endpoint: restarted} = await startEngineProcess(home)
    children.push(second)
    const again = new ElasticLoadBalancingClient({endpoint: restarted, region: 'us-east-1', credentials: TEST_CREDENTIALS, maxAttempts: 1})
    const described = await again.send(new DescribeLoadBalancersCommand({}))
    const byName = new Map((described.LoadBalancerDescriptions ?? []).map((lb) => [lb.LoadBalancerName, lb]))
    for (const name of ackedLoadBalancers) expect(byName.has(name)).toBe(true)
    for (const name of ackedRegistrations) {
      expect(byName.get(name)?.Instances?.map((entry) => entry.InstanceId)).toEqual(['i-4f8cf126'])
    }
    again.destroy()
    await new AdminClient(restarted).shutdown()
    await new Promise((resolve) => second.once('exit', resolve))
    // Printed for the report: how many writes were acknowledged before the kill.
    process.stdout.write(`durability: ${ackedLoadBalancers.length} CreateLoadBalancer + ${ackedRegistrations.length} RegisterInstances acknowledged before SIGKILL; all present after restart\n`)
  })
})
