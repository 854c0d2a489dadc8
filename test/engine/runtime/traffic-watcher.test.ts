/**
 * A traffic watcher that never reads (`GET /__elb-local/traffic`) must not make the engine queue
 * every access-log line (issue 16, finding 8): past a bound its lines are dropped and counted, and
 * once it reads again it is told how many with a `# dropped N lines` line.
 */
import {CreateLoadBalancerCommand, RegisterInstancesWithLoadBalancerCommand} from '@aws-sdk/client-elastic-load-balancing'
import {Agent, request} from 'node:http'
import {connect, type Socket} from 'node:net'
import {WATCHER_BUFFER_BYTES} from '../../../src/engine/admin/traffic.js'
import {eventually, startTestEngine, type TestEngine} from '../../helpers/engine.js'

const LB = 'Watched'
const lbPort = 18000 + Math.floor(Math.random() * 1000)
/** Long targets make long log lines, so a few hundred requests fill the kernel buffers and the bound. */
const LONG_PATH = `/${'p'.repeat(12_000)}`

function get(address: string, path: string, agent: Agent): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request({host: address, port: lbPort, path, agent}, (res) => {
      res.resume()
      res.on('end', () => { resolve(res.statusCode ?? 0) })
    })
    req.setTimeout(5000, () => req.destroy(new Error('timeout')))
    req.on('error', reject)
    req.end()
  })
}

describe('the traffic feed with a watcher that stops reading', () => {
  let t: TestEngine
  let address = ''

  beforeAll(async () => {
    t = await startTestEngine({timeScale: 0.02})
    const [instance] = await t.runInstances({serve: [{protocol: 'http', port: 8080}]})
    await t.elb.send(new CreateLoadBalancerCommand({
      LoadBalancerName: LB, AvailabilityZones: ['us-east-1a'],
      Listeners: [{Protocol: 'HTTP', LoadBalancerPort: lbPort, InstanceProtocol: 'HTTP', InstancePort: 8080}],
    }))
    await t.elb.send(new RegisterInstancesWithLoadBalancerCommand({LoadBalancerName: LB, Instances: [{InstanceId: instance?.instanceId}]}))
    address = (await t.admin.status()).loadBalancers.find((lb) => lb.name === LB)?.address ?? ''
    const agent = new Agent({keepAlive: true})
    await eventually(async () => ((await get(address, '/', agent)) < 500 ? true : undefined), 20_000, 'the instance to serve')
    agent.destroy()
  }, 60_000)

  afterAll(async () => { await (t as TestEngine | undefined)?.close() })

  it('keeps what it queues for the watcher bounded, then reports the lines it dropped', async () => {
    const engine = new URL(t.endpoint)
    const watcher: Socket = connect(Number(engine.port), engine.hostname)
    await new Promise<void>((resolve) => watcher.once('connect', () => { resolve(); }))
    watcher.write(`GET /__elb-local/traffic HTTP/1.1\r\nHost: ${engine.host}\r\n\r\n`)
    let received = ''
    watcher.on('data', (chunk: Buffer) => { received += chunk.toString('latin1') })
    await eventually(() => (received.includes('\r\n\r\n') ? true : undefined), 5000, 'the feed to start')
    expect(received).toMatch(/^HTTP\/1\.1 200 OK\r\n/)
    watcher.pause()

    // Far more log text than the socket buffers on both sides plus the bound can hold.
    const agent = new Agent({keepAlive: true, maxSockets: 4})
    const statuses = await Promise.all(Array.from({length: 1200}, () => get(address, LONG_PATH, agent)))
    expect([...new Set(statuses)]).toEqual([200])
    const feed = (await t.admin.status()).trafficFeed
    expect(feed?.watchers).toBe(1)
    expect(feed?.droppedLines).toBeGreaterThan(0)
    // At most the bound plus the one line that crossed it (and its dropped-lines marker).
    expect(feed?.queuedBytes).toBeLessThanOrEqual(WATCHER_BUFFER_BYTES + LONG_PATH.length + 1024)

    // Reading again: once caught up, the next line comes after a count of what was dropped.
    watcher.resume()
    await eventually(async () => ((await t.admin.status()).trafficFeed?.queuedBytes === 0 ? true : undefined), 20_000, 'the watcher to catch up')
    expect(await get(address, '/after-the-gap', agent)).toBeLessThan(500)
    await eventually(() => (received.includes('/after-the-gap') ? true : undefined), 5000, 'the next line')
    // (The body is chunked: each line is a chunk of its own.)
    const marker = /\n# dropped (\d+) lines\n/.exec(received)
    expect(Number(marker?.[1])).toBe(feed?.droppedLines)
    expect(received.indexOf('/after-the-gap')).toBeGreaterThan(marker?.index ?? Infinity)
    agent.destroy()
    watcher.destroy()
  }, 60_000)
})
