/**
 * `hosts --sync` against an in-process engine and a hosts file of the test's own
 * (ELB_LOCAL_HOSTS_FILE's role): the block follows creates and deletes, what is outside it is kept
 * byte for byte, a restarted engine carries on, --remove (also with the engine stopped) takes it out.
 */
import {mkdtempSync, readFileSync, rmSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {afterAll, beforeAll, describe, expect, it} from '@jest/globals'
import {CreateLoadBalancerCommand, DeleteLoadBalancerCommand} from '@aws-sdk/client-elastic-load-balancing'
import {removeHostsBlockOffline} from '../../../src/engine/dns/hosts-sync.js'
import {withHostsBlock} from '../../../src/engine/dns/hosts-file.js'
import {AdminApiError} from '../../../src/lib/local/admin-client.js'
import {startTestEngine, type TestEngine} from '../../helpers/engine.js'

const ORIGINAL = '127.0.0.1\tlocalhost\n::1\tlocalhost ip6-localhost\n# a comment the engine must keep\n10.0.0.1 db.internal\n'

describe('hosts --sync', () => {
  let dir: string
  let home: string
  let hostsFile: string
  let engine: TestEngine
  const hostsText = () => readFileSync(hostsFile, 'utf8')
  const create = async (name: string) => (await engine.elb.send(new CreateLoadBalancerCommand({
    LoadBalancerName: name, AvailabilityZones: ['us-east-1a'], Listeners: [{Protocol: 'HTTP', LoadBalancerPort: 80, InstancePort: 80}],
  }))).DNSName ?? ''

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'elb-local-hosts-'))
    home = join(dir, 'home')
    hostsFile = join(dir, 'hosts')
    writeFileSync(hostsFile, ORIGINAL)
    engine = await startTestEngine({home, hostsFile})
  })

  afterAll(async () => {
    await engine.close()
    rmSync(dir, {recursive: true, force: true})
  })

  it('nothing is written until asked', async () => {
    await create('before-sync')
    expect(hostsText()).toBe(ORIGINAL)
  })

  it('--sync writes the block after what was there, and keeps it current', async () => {
    const answer = await engine.admin.hostsSync(true)
    expect(answer).toEqual({file: hostsFile, enabled: true, names: 1})
    const first = (await engine.admin.status()).loadBalancers[0]
    expect(hostsText()).toBe(`${ORIGINAL}# BEGIN elb-local (${home})\n${first?.address} ${first?.dnsName}\n# END elb-local (${home})\n`)
    const second = await create('after-sync')
    await engine.engine.settle()
    expect(hostsText()).toContain(` ${second}\n`)
    await engine.elb.send(new DeleteLoadBalancerCommand({LoadBalancerName: 'before-sync'}))
    expect(hostsText()).not.toContain(first?.dnsName ?? '?')
    expect(hostsText().startsWith(`${ORIGINAL}# BEGIN`)).toBe(true)
  })

  it('a restarted engine carries on; --remove restores the file exactly', async () => {
    await engine.close()
    engine = await startTestEngine({home, hostsFile})
    expect((await engine.admin.status()).hostsSync).toEqual({file: hostsFile, enabled: true, names: 1})
    const third = await create('after-restart')
    expect(hostsText()).toContain(` ${third}\n`)
    expect(await engine.admin.hostsSync(false)).toMatchObject({enabled: false})
    expect(hostsText()).toBe(ORIGINAL)
    await create('after-remove')
    expect(hostsText()).toBe(ORIGINAL)
  })

  it('with the engine stopped, --remove edits the file and the switch, so a start does not put it back', async () => {
    await engine.admin.hostsSync(true)
    await engine.close()
    expect(removeHostsBlockOffline(home, hostsFile)).toBe(true)
    expect(hostsText()).toBe(ORIGINAL)
    engine = await startTestEngine({home, hostsFile})
    await create('after-offline-remove')
    expect(hostsText()).toBe(ORIGINAL)
  })

  it('a file the engine may not write: a clear error, nothing switched on', async () => {
    await engine.close()
    engine = await startTestEngine({home, hostsFile: join(dir, 'no-such-dir', 'hosts')})
    const failure = await engine.admin.hostsSync(true).catch((error: unknown) => error)
    expect(failure).toBeInstanceOf(AdminApiError)
    expect(failure).toMatchObject({code: 'HostsFileNotWritable', message: expect.stringContaining(`Cannot update ${join(dir, 'no-such-dir', 'hosts')}`)})
    expect((await engine.admin.status()).hostsSync?.enabled).toBe(false)
  })
})

describe('withHostsBlock', () => {
  const lines = [{address: '127.1.0.1', dnsName: 'a-1.us-east-1.elb.amazonaws.com'}]
  it('replaces its own block in place and leaves another home\'s alone', () => {
    const other = '# BEGIN elb-local (/other)\n127.9.9.9 x\n# END elb-local (/other)\n'
    const once = withHostsBlock(`hosts\n${other}`, '/h', lines)
    const twice = withHostsBlock(`${once}tail\n`, '/h', [])
    expect(twice).toBe(`hosts\n${other}# BEGIN elb-local (/h)\n# END elb-local (/h)\ntail\n`)
    expect(withHostsBlock(twice, '/h', undefined)).toBe(`hosts\n${other}tail\n`)
  })
  it('a block whose end marker was lost is cut to the end; a newline in the home cannot break lines', () => {
    expect(withHostsBlock('x\n# BEGIN elb-local (/h)\n127.1.0.1 stale\n', '/h', undefined)).toBe('x\n')
    expect(withHostsBlock('no final newline', '/h', [])).toBe('no final newline\n# BEGIN elb-local (/h)\n# END elb-local (/h)\n')
    expect(withHostsBlock('', '/a\nb', [])).toBe('# BEGIN elb-local (/a?b)\n# END elb-local (/a?b)\n')
  })
})
