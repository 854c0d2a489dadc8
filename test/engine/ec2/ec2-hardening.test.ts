import {mkdtempSync, rmSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {afterAll, beforeAll, describe, expect, it} from '@jest/globals'
import {CreateLoadBalancerCommand} from '@aws-sdk/client-elastic-load-balancing'
import {MAX_DEMO_BACKENDS} from '../../../src/engine/model/instance-service.js'
import {startTestEngine, type TestEngine} from '../../helpers/engine.js'
import {elbLocal, ensureBuilt} from '../../helpers/processes.js'
import {assertWellFormedXml} from '../../helpers/xml.js'

/**
 * Issue 16's EC2 findings, each with the request that showed it, over loopback to a whole engine:
 * backtracking filter wildcards (#1), quadratic list parsing (#2), descriptor exhaustion through
 * RunInstances (#3), octal-looking addresses (#14). Terminated-instance purging (#10) is in
 * ec2-purge.test.ts (it needs its own time scale). "Quickly" is < 1 s: the old code took 6-55 s.
 */

const QUICKLY_MS = 1000

let api: TestEngine
beforeAll(async () => {
  api = await startTestEngine()
})
afterAll(async () => {
  await api.close()
})

interface Answer {
  readonly status: number
  readonly body: string
  readonly code: string | undefined
  readonly message: string | undefined
  readonly ms: number
}

/** One unsigned EC2 Query POST; the answer must be well-formed XML. */
async function ec2(params: string | readonly (readonly [string, string])[]): Promise<Answer> {
  const body = typeof params === 'string' ? params : params.map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`).join('&')
  const started = performance.now()
  const res = await fetch(`${api.endpoint}/`, {method: 'POST', body: `Version=2016-11-15&${body}`, headers: {'Content-Type': 'application/x-www-form-urlencoded'}})
  const text = await res.text()
  const ms = performance.now() - started
  assertWellFormedXml(text)
  return {
    status: res.status, body: text, ms,
    code: /<Code>([^<]*)<\/Code>/.exec(text)?.[1], message: /<Message>([^<]*)<\/Message>/.exec(text)?.[1],
  }
}

const instanceIds = (body: string) => [...body.matchAll(/<instanceId>([^<]+)<\/instanceId>/g)].map((m) => m[1])
const instanceCount = () => Object.values(api.engine.store.state.regions).reduce((n, r) => n + r.instances.length, 0)

describe('#1 filter wildcards match in linear time', () => {
  let typed: string
  beforeAll(async () => {
    const run = await ec2('Action=RunInstances&ImageId=ami-12345678&MinCount=1&MaxCount=1&InstanceType=' + 'a'.repeat(40))
    expect(run.status).toBe(200)
    typed = instanceIds(run.body)[0] ?? ''
  })

  it('instance-type *a*a*a*a*a*a*a*a*b against 40 a\'s answers quickly (was 6.4 s, ×4 per *a)', async () => {
    for (const stars of [8, 16, 64]) {
      const answer = await ec2(`Action=DescribeInstances&Filter.1.Name=instance-type&Filter.1.Value.1=${encodeURIComponent('*a'.repeat(stars) + '*b')}`)
      expect({stars, status: answer.status, ids: instanceIds(answer.body)}).toEqual({stars, status: 200, ids: []})
      expect(answer.ms).toBeLessThan(QUICKLY_MS)
    }
  }, 60_000)

  it('keeps EC2\'s meaning of *, ? and \\ escapes', async () => {
    const matches = async (value: string) => instanceIds((await ec2([['Action', 'DescribeInstances'], ['Filter.1.Name', 'instance-type'], ['Filter.1.Value.1', value]])).body).includes(typed)
    const forty = 'a'.repeat(40)
    expect(await matches('*a*a*a*a*a')).toBe(true)
    expect(await matches(`${'a'.repeat(39)}?`)).toBe(true)
    expect(await matches(`${'a'.repeat(40)}?`)).toBe(false)
    expect(await matches('**********')).toBe(true)
    expect(await matches(forty)).toBe(true)
    expect(await matches(`${forty}*`)).toBe(true)
    expect(await matches('a*b')).toBe(false)
    expect(await matches('\\*')).toBe(false)
    expect(await matches(`\\a${'a'.repeat(39)}`)).toBe(true)
    expect(await matches('.*')).toBe(false)
  })
})

describe('#2 list parameters parse in one pass, with EC2\'s caps', () => {
  it('10,000 filters in one body answer FilterLimitExceeded quickly (was 17 s; 20,000 took 54.5 s)', async () => {
    const body = Array.from({length: 10_000}, (_, i) => `Filter.${i + 1}.Name=instance-type&Filter.${i + 1}.Value.1=x`).join('&')
    const answer = await ec2(`Action=DescribeInstances&${body}`)
    expect([answer.status, answer.code, answer.message])
      .toEqual([400, 'FilterLimitExceeded', 'The maximum number of filter values specified on a single call is 200'])
    expect(answer.ms).toBeLessThan(QUICKLY_MS)
  }, 120_000)

  it('200 filter values are fine, 201 are not, however they are spread over filters', async () => {
    const values = (n: number) => Array.from({length: n}, (_, i) => `Filter.${(i % 3) + 1}.Name=instance-id&Filter.${(i % 3) + 1}.Value.${i + 1}=i-${String(i).padStart(8, '0')}`).join('&')
    expect((await ec2(`Action=DescribeInstances&${values(200)}`)).status).toBe(200)
    expect((await ec2(`Action=DescribeInstances&${values(201)}`)).code).toBe('FilterLimitExceeded')
  })

  it('20,000 tags in a TagSpecification answer TagLimitExceeded quickly and launch nothing', async () => {
    const before = instanceCount()
    const tags = Array.from({length: 20_000}, (_, i) => `TagSpecification.1.Tag.${i + 1}.Key=k${i}&TagSpecification.1.Tag.${i + 1}.Value=v`).join('&')
    const answer = await ec2(`Action=RunInstances&MinCount=1&MaxCount=1&TagSpecification.1.ResourceType=instance&${tags}`)
    expect([answer.status, answer.code]).toEqual([400, 'TagLimitExceeded'])
    expect(answer.ms).toBeLessThan(QUICKLY_MS)
    expect(instanceCount()).toBe(before)
  }, 120_000)

  it('refuses tag keys over 128 and values over 256 characters, and over 1000 instance ids', async () => {
    const tag = (key: string, value: string) => ec2([['Action', 'RunInstances'], ['MinCount', '1'], ['MaxCount', '1'],
      ['TagSpecification.1.ResourceType', 'instance'], ['TagSpecification.1.Tag.1.Key', key], ['TagSpecification.1.Tag.1.Value', value]])
    expect((await tag('k'.repeat(129), 'v')).code).toBe('InvalidParameterValue')
    expect((await tag('k', 'v'.repeat(257))).code).toBe('InvalidParameterValue')
    const ids = Array.from({length: 1001}, (_, i) => `InstanceId.${i + 1}=i-${String(i).padStart(8, '0')}`).join('&')
    const many = await ec2(`Action=TerminateInstances&${ids}`)
    expect([many.status, many.code]).toEqual([400, 'InvalidParameterValue'])
    expect(many.message).toContain('at most 1000')
  })

  it('MaxResults with InstanceIds is InvalidParameterCombination; MaxResults outside 5-1000 is InvalidParameterValue', async () => {
    expect((await ec2('Action=DescribeInstances&InstanceId.1=i-00000000&MaxResults=5')).code).toBe('InvalidParameterCombination')
    expect((await ec2('Action=DescribeInstances&MaxResults=1001')).code).toBe('InvalidParameterValue')
    expect((await ec2('Action=DescribeInstances&MaxResults=4')).code).toBe('InvalidParameterValue')
  })
})

describe('#3 RunInstances cannot take the engine\'s descriptors', () => {
  const ports = (n: number, from = 21000) => Array.from({length: n}, (_, i) => `http:${from + i}`).join(',')
  const run = (min: number, max: number, serve: string) => ec2([['Action', 'RunInstances'], ['MinCount', String(min)], ['MaxCount', String(max)],
    ['TagSpecification.1.ResourceType', 'instance'], ['TagSpecification.1.Tag.1.Key', 'elb-local:serve'], ['TagSpecification.1.Tag.1.Value', serve]])

  it('MaxCount 50 with a serve tag of 450 ports is InvalidParameterValue on the tag and launches nothing', async () => {
    const before = instanceCount()
    const answer = await run(1, 50, ports(450))
    expect([answer.status, answer.code]).toEqual([400, 'InvalidParameterValue'])
    expect(answer.message).toContain('elb-local:serve')
    expect(answer.message).toContain('at most 16')
    expect(instanceCount()).toBe(before)
    expect(api.engine.runner.status()).toHaveLength(0)
    // The admin API (elb-local run-instances --serve) has the same bound.
    const serve = Array.from({length: 17}, (_, i) => ({protocol: 'http' as const, port: 21000 + i}))
    await expect(api.runInstances({serve})).rejects.toThrow('An instance serves at most 16 ports; 17 were given.')
    expect(instanceCount()).toBe(before)
  })

  it('the engine-wide cap on demo back ends: MaxCount launches what fits, a MinCount that does not fit is refused whole', async () => {
    const first = await run(50, 50, ports(16))
    expect(first.status).toBe(200)
    expect(instanceIds(first.body)).toHaveLength(50)
    // 800 of 1024 are used: 14 more instances of 16 ports fit.
    const refused = await run(15, 50, ports(16, 22000))
    expect([refused.status, refused.code]).toEqual([400, 'InstanceLimitExceeded'])
    expect(refused.message).toContain(`800 of the engine's ${MAX_DEMO_BACKENDS} are running`)
    const some = await run(1, 50, ports(16, 22000))
    expect(instanceIds(some.body)).toHaveLength(14)
    expect(api.engine.runner.status().filter((b) => b.state === 'listening')).toHaveLength(64 * 16)
    // The API and CreateLoadBalancer still work.
    const zones = await ec2('Action=DescribeAvailabilityZones')
    expect(zones.status).toBe(200)

    const ids = [...instanceIds(first.body), ...instanceIds(some.body)]
    const stop = await ec2(ids.map((id, i) => `InstanceId.${i + 1}=${id}`).join('&') + '&Action=StopInstances')
    expect(stop.status).toBe(200)
    const refill = await run(50, 50, ports(16, 23000))
    expect(refill.status).toBe(200)
    // Starting the 64 stopped instances would need 1024 more back ends: refused whole, all stay stopped.
    const start = await ec2(ids.map((id, i) => `InstanceId.${i + 1}=${id}`).join('&') + '&Action=StartInstances')
    expect([start.status, start.code]).toEqual([400, 'InstanceLimitExceeded'])
    const states = new Set(api.engine.store.region('us-east-1').instances.filter((i) => ids.includes(i.instanceId)).map((i) => i.state))
    expect([...states]).toEqual(['stopped'])
    const all = [...ids, ...instanceIds(refill.body)]
    expect((await ec2(all.map((id, i) => `InstanceId.${i + 1}=${id}`).join('&') + '&Action=TerminateInstances')).status).toBe(200)
    expect(api.engine.runner.status()).toHaveLength(0)
  }, 60_000)
})

describe('#14 canonical dotted-quad addresses only', () => {
  let network: string
  beforeAll(async () => {
    const [probe] = await api.runInstances({})
    network = (probe?.privateIp ?? '').split('.').slice(0, 3).join('.')
  })

  it.each(['010', '08', '0x8', '8.', '256', ' 8'])('refuses %s as the last part, in the admin API and in EC2\'s PrivateIpAddress', async (last) => {
    const before = instanceCount()
    const address = `${network}.${last}`
    await expect(api.runInstances({privateIp: address})).rejects.toThrow(/InvalidParameterValue|not a valid IPv4 address/)
    const answer = await ec2([['Action', 'RunInstances'], ['MinCount', '1'], ['MaxCount', '1'], ['PrivateIpAddress', address]])
    expect([answer.status, answer.code]).toEqual([400, 'InvalidParameterValue'])
    expect(answer.message).toContain('without leading zeros')
    expect(instanceCount()).toBe(before)
  })

  it('elb-local run-instances --ip 127.0.N.010 exits non-zero with the error; a canonical address works', async () => {
    ensureBuilt()
    const env = {ELB_LOCAL_ENDPOINT: api.endpoint, ELB_LOCAL_AUTOSTART: '0', ELB_LOCAL_HOME: api.home}
    const bad = await elbLocal(['run-instances', '--ip', `${network}.010`], env)
    expect(bad.code).not.toBe(0)
    expect(bad.stderr).toContain('not a valid IPv4 address')
    const good = await elbLocal(['run-instances', '--ip', `${network}.10`], env)
    expect(good.code).toBe(0)
    expect(good.stdout).toContain(`${network}.10 `)
    const viaEc2 = await ec2([['Action', 'RunInstances'], ['MinCount', '1'], ['MaxCount', '1'], ['PrivateIpAddress', `${network}.11`]])
    // A loopback PrivateIpAddress chooses the address that carries its traffic: its public one in the default VPC.
    expect(viaEc2.body).toContain(`<ipAddress>${network}.11</ipAddress>`)
  }, 60_000)
})

describe('#3 a state with too many serve specs (written by an older engine) cannot take the descriptors at start', () => {
  it('opens at most MAX_DEMO_BACKENDS back ends and reports the rest; the engine keeps answering, also after a restart', async () => {
    const home = mkdtempSync(join(tmpdir(), 'elb-serve-cap-'))
    let engine = await startTestEngine({home})
    try {
      const launched = await engine.runInstances({count: 2})
      // As the old code let RunInstances write it: 2 instances × 600 ports, past the model's rules.
      engine.engine.store.updateRegion('us-east-1', (region) => {
        for (const instance of region.instances) {
          instance.serve = Array.from({length: 600}, (_, i) => ({protocol: 'http' as const, port: 31000 + i}))
        }
      })
      await engine.engine.settle()
      const counted = () => {
        const rows = engine.engine.runner.status()
        return {listening: rows.filter((r) => r.state === 'listening').length, refused: rows.filter((r) => r.error?.includes(`at most ${MAX_DEMO_BACKENDS}`)).length}
      }
      expect(counted()).toEqual({listening: MAX_DEMO_BACKENDS, refused: 1200 - MAX_DEMO_BACKENDS})
      await engine.close()
      engine = await startTestEngine({home})
      expect(counted()).toEqual({listening: MAX_DEMO_BACKENDS, refused: 1200 - MAX_DEMO_BACKENDS})
      const created = await engine.elb.send(new CreateLoadBalancerCommand({
        LoadBalancerName: 'after', Listeners: [{Protocol: 'HTTP', LoadBalancerPort: 31999, InstancePort: 31000}], AvailabilityZones: ['us-east-1a'],
      }))
      expect(created.DNSName).toBeDefined()
      await engine.terminateInstances(...launched.map((i) => i.instanceId))
      expect(engine.engine.runner.status()).toEqual([])
    } finally {
      await engine.close()
      rmSync(home, {recursive: true, force: true})
    }
  }, 60_000)
})
