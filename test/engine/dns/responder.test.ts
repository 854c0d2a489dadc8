/**
 * The engine's DNS responder over real sockets, asked by Debian's `dig` (UDP and TCP): load
 * balancer names resolve to their loopback address, other names in the ELB zone are NXDOMAIN, other
 * zones REFUSED; the index follows creates and deletes.
 */
import {execFile, spawnSync} from 'node:child_process'
import {randomBytes} from 'node:crypto'
import {createSocket} from 'node:dgram'
import {connect} from 'node:net'
import {promisify} from 'node:util'
import {afterAll, beforeAll, describe, expect, it} from '@jest/globals'
import {CreateLoadBalancerCommand, DeleteLoadBalancerCommand} from '@aws-sdk/client-elastic-load-balancing'
import {startTestEngine, type TestEngine} from '../../helpers/engine.js'

const run = promisify(execFile)
/** dig has no --version: `dig -v` exits 0. */
const hasDig = spawnSync('dig', ['-v'], {stdio: 'ignore'}).status === 0

describe('DNS responder', () => {
  let engine: TestEngine
  let port: number
  let dnsName: string
  let internalName: string
  let address: string

  /** dig's answer: status and the answer section's addresses. */
  async function dig(name: string, ...flags: string[]): Promise<{status: string; answers: string[]; flags: string}> {
    const {stdout} = await run('dig', ['@127.0.0.1', '-p', String(port), '+time=2', '+tries=1', ...flags, name], {timeout: 10_000})
    const status = /status: (\w+)/.exec(stdout)?.[1] ?? '?'
    const header = /;; flags: ([^;]*);/.exec(stdout)?.[1] ?? ''
    const section = /;; ANSWER SECTION:\n([\s\S]*?)\n\n/.exec(stdout)?.[1] ?? ''
    return {status, flags: header, answers: section.split('\n').filter(Boolean).map((line) => line.split(/\s+/).at(-1) ?? '')}
  }

  beforeAll(async () => {
    engine = await startTestEngine()
    const status = await engine.admin.status()
    port = status.dns?.port ?? 0
    const created = await engine.elb.send(new CreateLoadBalancerCommand({
      LoadBalancerName: 'DnsLb', AvailabilityZones: ['us-east-1a'],
      Listeners: [{Protocol: 'HTTP', LoadBalancerPort: 80, InstancePort: 80}],
    }))
    dnsName = created.DNSName ?? ''
    const internal = await engine.elb.send(new CreateLoadBalancerCommand({
      LoadBalancerName: 'DnsInternal', AvailabilityZones: ['us-east-1a'], Scheme: 'internal',
      Listeners: [{Protocol: 'HTTP', LoadBalancerPort: 80, InstancePort: 80}],
    }))
    internalName = internal.DNSName ?? ''
    address = (await engine.admin.status()).loadBalancers.find((lb) => lb.name === 'DnsLb')?.address ?? ''
  }, 30_000)

  afterAll(async () => { await engine.close() })

  it('status names where it answers', () => {
    expect(port).toBeGreaterThan(0)
    expect(address).toMatch(/^127\.\d+\.\d+\.\d+$/)
  })

  const withDig = hasDig ? it : it.skip
  if (!hasDig) it('needs dig (Debian package bind9-dnsutils)', () => { console.warn('dig is not installed: DNS tests skipped') })

  withDig('answers A for a load balancer name, authoritatively, over UDP and TCP, in any case', async () => {
    expect(dnsName).toMatch(/^DnsLb-\d+\.us-east-1\.elb\.amazonaws\.com$/)
    const udp = await dig(dnsName)
    expect(udp).toMatchObject({status: 'NOERROR', answers: [address]})
    expect(udp.flags.split(' ')).toContain('aa')
    expect(await dig(dnsName, '+tcp')).toMatchObject({status: 'NOERROR', answers: [address]})
    expect(await dig(dnsName.toUpperCase())).toMatchObject({status: 'NOERROR', answers: [address]})
    expect((await dig(internalName)).answers).toHaveLength(1)
    expect(internalName.startsWith('internal-DnsInternal-')).toBe(true)
  })

  withDig('AAAA for a load balancer name: NOERROR without answers', async () => {
    expect(await dig(dnsName, 'AAAA')).toMatchObject({status: 'NOERROR', answers: []})
  })

  withDig('an unknown name in the zone is NXDOMAIN; another zone is REFUSED (no recursion)', async () => {
    expect(await dig('nope-123.us-east-1.elb.amazonaws.com')).toMatchObject({status: 'NXDOMAIN', answers: []})
    expect(await dig('example.com')).toMatchObject({status: 'REFUSED', answers: []})
    expect(await dig('example.com', '+tcp')).toMatchObject({status: 'REFUSED', answers: []})
  })

  withDig('follows the state: a deleted load balancer is NXDOMAIN at once', async () => {
    const created = await engine.elb.send(new CreateLoadBalancerCommand({
      LoadBalancerName: 'Fleeting', AvailabilityZones: ['us-east-1a'],
      Listeners: [{Protocol: 'HTTP', LoadBalancerPort: 81, InstancePort: 80}],
    }))
    expect((await dig(created.DNSName ?? '')).status).toBe('NOERROR')
    await engine.elb.send(new DeleteLoadBalancerCommand({LoadBalancerName: 'Fleeting'}))
    expect((await dig(created.DNSName ?? '')).status).toBe('NXDOMAIN')
  })

  withDig('hostile bytes at the engine\'s port leave it answering (DNS and API)', async () => {
    const udp = createSocket('udp4')
    const loop = Buffer.from([0, 1, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0xc0, 12, 0, 1, 0, 1])
    const labels = Buffer.concat([loop.subarray(0, 12), Buffer.alloc(20_000).fill(Buffer.from([1, 0x61])), Buffer.from([0, 0, 1, 0, 1])])
    for (let i = 0; i < 300; i++) udp.send(i % 3 === 0 ? loop : i % 3 === 1 ? labels : randomBytes(i), port, '127.0.0.1')
    const tcp = connect(port, '127.0.0.1')
    tcp.on('error', () => undefined)
    tcp.write(Buffer.concat([Buffer.from([0xff, 0xff]), randomBytes(30_000)]))
    expect(await dig(dnsName)).toMatchObject({status: 'NOERROR', answers: [address]})
    expect(await dig(dnsName, '+tcp')).toMatchObject({status: 'NOERROR', answers: [address]})
    expect((await engine.admin.status()).dns?.port).toBe(port)
    tcp.destroy()
    udp.close()
  })
})
