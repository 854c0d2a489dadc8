/**
 * Names that resolve and the CI verbs, through the real commands: `elb-local start --ephemeral
 * --time-scale`, `elb-local wait --in-service`, `dig` at the engine's DNS responder, and
 * `elb-local hosts --sync | --remove` on the real /etc/hosts (where this test may write it), with
 * `getent hosts` and `curl` by the load balancer's DNS name.
 */
import {execFile, spawnSync} from 'node:child_process'
import {accessSync, constants, existsSync, readFileSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'
import {promisify} from 'node:util'
import {afterAll, beforeAll, describe, expect, it} from '@jest/globals'
import type {EngineStatus} from '../../src/engine/admin/types.js'
import {elbLocal, ensureBuilt, REPO, runNode} from '../helpers/processes.js'

const run = promisify(execFile)
const LB = 'ci-web'
const hasDig = spawnSync('dig', ['-v'], {stdio: 'ignore'}).status === 0

function hostsWritable(): boolean {
  try {
    accessSync('/etc/hosts', constants.W_OK)
    return true
  } catch {
    return false
  }
}

describe('elb-local start --ephemeral, wait, DNS and hosts --sync', () => {
  let env: NodeJS.ProcessEnv
  let status: EngineStatus
  let dnsName = ''
  const legacy = (name: string, args: string[]) => runNode([join(REPO, 'bin', name), ...args], env)
  const currentStatus = async (): Promise<EngineStatus> => JSON.parse((await elbLocal(['status', '--json'], env)).stdout) as EngineStatus

  beforeAll(async () => {
    ensureBuilt()
    const base = {
      ELB_LOCAL_AUTOSTART: '0',
      ELB_LOCAL_INSTANCE_NETWORK: `127.0.${2 + Math.floor(Math.random() * 250)}`,
      ELB_LOCAL_LB_NETWORK: `127.${100 + Math.floor(Math.random() * 150)}`,
    }
    const started = await elbLocal(['start', '--ephemeral', '--port', '0', '--time-scale', '0.01'], base)
    expect(started).toMatchObject({code: 0})
    expect(started.stdout).toMatch(/removed at stop\)\.\n$/)
    env = {...base, ELB_LOCAL_ENDPOINT: /started at (http:\/\/\S+) /.exec(started.stdout)?.[1] ?? ''}
    status = await currentStatus()
  }, 60_000)

  afterAll(async () => {
    await elbLocal(['stop'], env)
  })

  it('status shows the ephemeral home, the time scale and the DNS responder', () => {
    expect(status).toMatchObject({ephemeral: true, timeScale: 0.01, hostsSync: {enabled: false}})
    expect(status.home).toMatch(/elb-local-ephemeral-/)
    expect(status.dns?.port).toBeGreaterThan(0)
  })

  it('wait returns at once for a running engine; --in-service fails clearly on timeout', async () => {
    expect(await elbLocal(['wait'], env)).toMatchObject({code: 0, stdout: `The engine at ${env.ELB_LOCAL_ENDPOINT ?? ''} is ready.\n`})
    expect((await legacy('elb-create-lb', [LB, '--listener', 'protocol=http, lb-port=8080, instance-port=8080', '-z', 'us-east-1a'])).code).toBe(0)
    const missing = await elbLocal(['wait', '--in-service', '--timeout', '1', LB, 'no-such-lb'], env)
    expect(missing).toEqual({
      code: 1, stdout: '',
      stderr: `elb-local wait: Timed out after 1 s waiting for:\n  ${LB}: no instances registered\n  no-such-lb: no such load balancer in us-east-1\n`,
    })
  }, 30_000)

  it('wait --in-service returns once both instances are InService', async () => {
    const ran = await elbLocal(['run-instances', '--count', '2', '--serve', 'http:8080', '--json'], env)
    expect(ran.code).toBe(0)
    const ids = (JSON.parse(ran.stdout) as {instanceId: string}[]).map((instance) => instance.instanceId)
    expect((await legacy('elb-register-instances-with-lb', [LB, '--instances', ids.join(',')])).code).toBe(0)
    expect(await elbLocal(['wait', '--in-service', '--timeout', '30', LB], env)).toMatchObject({code: 0, stdout: `In service: ${LB}.\n`})
    const health = await legacy('elb-describe-instance-health', [LB])
    expect(health.stdout.split('\n').filter((line) => line.includes('InService'))).toHaveLength(2)
    dnsName = (await currentStatus()).loadBalancers.find((lb) => lb.name === LB)?.dnsName ?? ''
  }, 60_000)

  const withDig = hasDig ? it : it.skip
  withDig('dig at the responder: the name resolves, an unknown one is NXDOMAIN, another zone REFUSED', async () => {
    const dig = async (name: string) => (await run('dig', ['@127.0.0.1', '-p', String(status.dns?.port), '+time=2', '+tries=2', name])).stdout
    const address = (await currentStatus()).loadBalancers.find((lb) => lb.name === LB)?.address ?? ''
    const answer = await dig(dnsName)
    expect(answer).toContain('status: NOERROR')
    expect(answer).toMatch(new RegExp(`${dnsName.replace(/\./g, '\\.')}\\.\\s+60\\s+IN\\s+A\\s+${address.replace(/\./g, '\\.')}`))
    expect(await dig(`missing-1.us-east-1.elb.amazonaws.com`)).toContain('status: NXDOMAIN')
    expect(await dig('example.com')).toContain('status: REFUSED')
  }, 30_000)

  const withHosts = hostsWritable() ? it : it.skip
  if (!hostsWritable()) it('hosts --sync on the real /etc/hosts', () => { console.warn('/etc/hosts is not writable here: the hosts --sync test is skipped') })
  withHosts('hosts --sync: getent and curl reach the load balancer by name; --remove takes the block out', async () => {
    const original = readFileSync('/etc/hosts', 'utf8')
    try {
      const synced = await elbLocal(['hosts', '--sync'], env)
      expect(synced).toMatchObject({code: 0, stdout: 'The engine keeps 1 name(s) in /etc/hosts (`elb-local hosts --remove` takes them out).\n'})
      const text = readFileSync('/etc/hosts', 'utf8')
      expect(text.startsWith(original.endsWith('\n') ? original : `${original}\n`)).toBe(true)
      expect(text).toContain(`# BEGIN elb-local (${status.home})\n`)
      const {stdout: resolved} = await run('getent', ['hosts', dnsName])
      expect(resolved.trim().split(/\s+/)[1]).toBe(dnsName)
      const {stdout: body} = await run('curl', ['-sS', '--max-time', '5', `http://${dnsName}:8080/`])
      expect(JSON.parse(body)).toMatchObject({instanceId: expect.stringMatching(/^i-/), headers: {host: `${dnsName}:8080`}})
      // A new load balancer appears in the block without another --sync.
      expect((await legacy('elb-create-lb', ['ci-second', '--listener', 'protocol=http, lb-port=8081, instance-port=8080', '-z', 'us-east-1a'])).code).toBe(0)
      expect(readFileSync('/etc/hosts', 'utf8')).toMatch(/ ci-second-\d+\.us-east-1\.elb\.amazonaws\.com\n/)
      expect(await elbLocal(['hosts', '--remove'], env)).toMatchObject({code: 0, stdout: 'Removed the engine\'s block from /etc/hosts.\n'})
      expect(readFileSync('/etc/hosts', 'utf8')).toBe(original)
      expect(spawnSync('getent', ['hosts', dnsName]).status).not.toBe(0)
    } finally {
      if (readFileSync('/etc/hosts', 'utf8') !== original) writeFileSync('/etc/hosts', original)
    }
  }, 30_000)

  it('stop removes the ephemeral state directory', async () => {
    expect(existsSync(status.home)).toBe(true)
    expect((await elbLocal(['stop'], env)).code).toBe(0)
    expect(existsSync(status.home)).toBe(false)
  }, 30_000)
})
