import {existsSync, mkdtempSync, readFileSync, rmSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {CreateLoadBalancerCommand, DescribeLoadBalancersCommand, ElasticLoadBalancingClient} from '@aws-sdk/client-elastic-load-balancing'
import {afterAll, beforeAll, describe, expect, it} from '@jest/globals'
import {isAnswering} from '../../../src/lib/client/local-engine.js'
import {AdminClient} from '../../../src/lib/local/admin-client.js'
import {TEST_CREDENTIALS} from '../../helpers/engine.js'
import {claimInstanceNetwork, claimLoadBalancerNetwork, type Claim} from '../../helpers/networks.js'
import {elbLocal, ensureBuilt, freePort, REPO, runProcess} from '../../helpers/processes.js'

/** More listeners and demo back ends than the lowered descriptor limit leaves room for. */
const LOAD_BALANCERS = 10
const LISTENERS_EACH = 20
const INSTANCES = 40
const DESCRIPTOR_LIMIT = 160

describe('a saved state with more listeners than descriptors (ulimit -n lowered)', () => {
  let home: string
  let endpoint: string
  let env: NodeJS.ProcessEnv
  let claims: Claim[] = []
  let elb: ElasticLoadBalancingClient

  beforeAll(async () => {
    ensureBuilt()
    home = mkdtempSync(join(tmpdir(), 'elb-local-emfile-'))
    endpoint = `http://127.0.0.1:${await freePort()}`
    claims = [await claimInstanceNetwork(), await claimLoadBalancerNetwork()]
    env = {
      ELB_LOCAL_HOME: home, ELB_LOCAL_ENDPOINT: endpoint, ELB_LOCAL_AUTOSTART: '0',
      ELB_LOCAL_INSTANCE_NETWORK: claims[0]?.block, ELB_LOCAL_LB_NETWORK: claims[1]?.block,
    }
    elb = new ElasticLoadBalancingClient({endpoint, region: 'us-east-1', credentials: TEST_CREDENTIALS, maxAttempts: 1})
  })
  afterAll(async () => {
    elb.destroy()
    if (await isAnswering(endpoint)) await new AdminClient(endpoint).shutdown().catch(() => undefined)
    await Promise.all(claims.map((claim) => claim.release()))
    rmSync(home, {recursive: true, force: true})
  })

  const createLoadBalancer = (name: string) => elb.send(new CreateLoadBalancerCommand({
    LoadBalancerName: name, AvailabilityZones: ['us-east-1a'],
    Listeners: Array.from({length: LISTENERS_EACH}, (_, index) => ({Protocol: 'TCP', LoadBalancerPort: 18_500 + index, InstanceProtocol: 'TCP', InstancePort: 9})),
  }))
  const loadBalancerCount = async () => (await elb.send(new DescribeLoadBalancersCommand({}))).LoadBalancerDescriptions?.length

  it('starts anyway: the API answers, writes are journaled, the listeners that found no descriptor are reported', async () => {
    expect((await elbLocal(['start'], env)).code).toBe(0)
    await Promise.all(Array.from({length: LOAD_BALANCERS}, (_, index) => createLoadBalancer(`many-${index}`)))
    await new AdminClient(endpoint).runInstances({count: INSTANCES, serve: [{protocol: 'http', port: 18_080}]})
    expect((await elbLocal(['stop'], env)).code).toBe(0)

    // The same state, started where descriptors run out while its listeners are bound.
    const limited = await runProcess('sh', ['-c', `ulimit -n ${DESCRIPTOR_LIMIT} && exec "$0" "$1" start`, process.execPath, join(REPO, 'bin', 'elb-local')], {env})
    expect(limited.stderr).toBe('')
    expect(limited.stdout).toContain(`Local engine started at ${endpoint}`)
    expect(limited.code).toBe(0)

    const status = await new AdminClient(endpoint).status()
    expect(status.counts.loadBalancers).toBe(LOAD_BALANCERS)
    const listeners = status.loadBalancers.flatMap((lb) => lb.listeners)
    const failed = listeners.filter((listener) => listener.state === 'error')
    expect(failed.length).toBeGreaterThan(0)
    expect(failed[0]?.error).toMatch(/EMFILE|too many open files/i)
    expect(listeners.filter((listener) => listener.state === 'bound').length).toBeGreaterThan(0)
    expect(status.backends).toHaveLength(INSTANCES)
    const backendsFailed = status.backends.filter((backend) => backend.state === 'error').length
    process.stdout.write(`ulimit -n ${DESCRIPTOR_LIMIT}: ${failed.length} of ${listeners.length} listeners and ${backendsFailed} of ` +
      `${INSTANCES} demo back ends reported failed; the API, the journal and the pid file kept theirs\n`)
    expect(Number(readFileSync(join(home, 'engine.pid'), 'utf8'))).toBe(status.pid)

    // The journal's descriptor was taken before the listeners took the rest: writes still work.
    await createLoadBalancer('after-exhaustion')
    expect(await loadBalancerCount()).toBe(LOAD_BALANCERS + 1)
    expect((await elbLocal(['stop'], env)).code).toBe(0)
    expect(existsSync(join(home, 'engine.pid'))).toBe(false)

    // With descriptors enough, the same state starts whole: nothing was lost or poisoned.
    expect((await elbLocal(['start'], env)).code).toBe(0)
    expect(await loadBalancerCount()).toBe(LOAD_BALANCERS + 1)
    const again = await new AdminClient(endpoint).status()
    expect(again.loadBalancers.flatMap((lb) => lb.listeners).every((listener) => listener.state === 'bound')).toBe(true)
    expect(again.backends.every((backend) => backend.state === 'listening')).toBe(true)
    expect((await elbLocal(['stop'], env)).code).toBe(0)
  }, 120_000)
})
