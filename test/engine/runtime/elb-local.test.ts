import {existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {afterAll, beforeAll, describe, expect, it} from '@jest/globals'
import {AdminClient} from '../../../src/lib/local/admin-client.js'
import type {EngineStatus} from '../../../src/engine/admin/types.js'
import {ensureLocalEngine, isAnswering, LocalEngineUnreachableError} from '../../../src/lib/client/local-engine.js'
import {eventually} from '../../helpers/engine.js'
import {claimInstanceNetwork, claimLoadBalancerNetwork, type Claim} from '../../helpers/networks.js'
import {elbLocal, ensureBuilt, freePort} from '../../helpers/processes.js'

describe('elb-local start/status/stop (child processes)', () => {
  let home: string
  let env: NodeJS.ProcessEnv
  let endpoint: string
  let claims: Claim[] = []

  beforeAll(async () => {
    ensureBuilt()
    home = mkdtempSync(join(tmpdir(), 'elb-local-cli-'))
    endpoint = `http://127.0.0.1:${await freePort()}`
    claims = [await claimInstanceNetwork(), await claimLoadBalancerNetwork()]
    env = {
      ELB_LOCAL_HOME: home, ELB_LOCAL_ENDPOINT: endpoint, ELB_LOCAL_AUTOSTART: '0',
      ELB_LOCAL_INSTANCE_NETWORK: claims[0]?.block, ELB_LOCAL_LB_NETWORK: claims[1]?.block,
    }
  })
  afterAll(async () => {
    if (await isAnswering(endpoint)) await new AdminClient(endpoint).shutdown().catch(() => undefined)
    await Promise.all(claims.map(claim => claim.release()))
    rmSync(home, {recursive: true, force: true})
  })

  it('starts in the background, reports status, runs instances, stops', async () => {
    const started = await elbLocal(['start'], env)
    expect(started.stderr).toBe('')
    expect(started.code).toBe(0)
    expect(started.stdout).toContain(`Local engine started at ${endpoint}`)
    expect(await isAnswering(endpoint)).toBe(true)
    const pid = Number(readFileSync(join(home, 'engine.pid'), 'utf8'))
    expect(pid).toBeGreaterThan(0)

    const again = await elbLocal(['start'], env)
    expect(again.stdout).toContain('already running')

    const status = await elbLocal(['status', '--json'], env)
    expect(status.code).toBe(0)
    const parsed = JSON.parse(status.stdout) as EngineStatus
    expect(parsed).toMatchObject({endpoint, pid, home, counts: {loadBalancers: 0, instances: 0}})
    const table = await elbLocal(['status'], env)
    expect(table.stdout).toContain(endpoint)
    expect(table.stdout).toContain(home)

    const run = await elbLocal(['run-instances', '--id', 'i-0bb7ca62', '--serve', 'http:18080'], env)
    expect(run.code).toBe(0)
    expect(run.stdout).toMatch(/i-0bb7ca62 .*running .*127\.0\.\d+\.2 /)
    const bad = await elbLocal(['run-instances', '--id', 'nope'], env)
    expect(bad.code).toBe(1)
    expect(bad.stderr).toContain('InvalidInstanceID.Malformed')
    const stop = await elbLocal(['stop-instances', 'i-0bb7ca62'], env)
    expect(stop.stdout).toMatch(/i-0bb7ca62 .*stopped/)
    const described = await elbLocal(['describe-instances', '--json'], env)
    expect(JSON.parse(described.stdout)).toMatchObject([{instanceId: 'i-0bb7ca62', state: 'stopped'}])

    const logs = await elbLocal(['logs', '-n', '50'], env)
    expect(logs.stdout).toContain(`engine listening on ${endpoint}`)

    const stopped = await elbLocal(['stop'], env)
    expect(stopped.code).toBe(0)
    expect(stopped.stdout).toContain('stopped')
    expect(await isAnswering(endpoint)).toBe(false)
    expect(existsSync(join(home, 'engine.pid'))).toBe(false)

    const down = await elbLocal(['status'], env)
    expect(down.code).toBe(1)
    expect(down.stderr).toContain('not running')
  }, 120_000)

  it('refuses an unreadable state file loudly and leaves it untouched', async () => {
    const brokenHome = mkdtempSync(join(tmpdir(), 'elb-local-broken-'))
    writeFileSync(join(brokenHome, 'state.json'), '{"formatVersion": 1, "regions": {')
    const brokenEndpoint = `http://127.0.0.1:${await freePort()}`
    const result = await elbLocal(['start'], {...env, ELB_LOCAL_HOME: brokenHome, ELB_LOCAL_ENDPOINT: brokenEndpoint})
    expect(result.code).not.toBe(0)
    expect(result.stderr).toContain('cannot be read')
    expect(result.stderr).toContain('exited (code 2)')
    expect(readFileSync(join(brokenHome, 'state.json'), 'utf8')).toBe('{"formatVersion": 1, "regions": {')
    expect(await isAnswering(brokenEndpoint)).toBe(false)
    rmSync(brokenHome, {recursive: true, force: true})
  })
})

describe('ensureLocalEngine', () => {
  const saved = {...process.env}
  let home: string
  afterAll(() => {
    process.env = saved
    rmSync(home, {recursive: true, force: true})
  })

  it('starts the engine when nothing answers, says so on stderr, then answers at once', async () => {
    ensureBuilt()
    home = mkdtempSync(join(tmpdir(), 'elb-local-auto-'))
    const endpoint = `http://127.0.0.1:${await freePort()}`
    process.env.ELB_LOCAL_HOME = home
    delete process.env.ELB_LOCAL_AUTOSTART
    const messages: string[] = []
    const started = Date.now()
    await ensureLocalEngine(endpoint, {stderr: (text) => messages.push(text)})
    const startMs = Date.now() - started
    expect(messages.join('')).toContain(`Starting the local engine at ${endpoint}`)
    expect(await isAnswering(endpoint)).toBe(true)
    expect(startMs).toBeLessThan(20_000)

    const quick = Date.now()
    const again: string[] = []
    await ensureLocalEngine(endpoint, {stderr: (text) => again.push(text)})
    expect(again).toEqual([])
    expect(Date.now() - quick).toBeLessThan(200)
    expect(existsSync(join(home, 'engine.pid'))).toBe(true)
    await new AdminClient(endpoint).shutdown()
  })

  it('two commands racing to autostart end up with one engine', async () => {
    const endpoint = `http://127.0.0.1:${await freePort()}`
    const raceHome = mkdtempSync(join(tmpdir(), 'elb-local-race-'))
    const env: NodeJS.ProcessEnv = {...process.env, ELB_LOCAL_HOME: raceHome, ELB_LOCAL_INSTANCE_NETWORK: '127.0.252', ELB_LOCAL_LB_NETWORK: '127.252'}
    delete env.ELB_LOCAL_AUTOSTART
    await Promise.all([
      ensureLocalEngine(endpoint, {stderr: () => undefined, env}),
      ensureLocalEngine(endpoint, {stderr: () => undefined, env}),
    ])
    const status = await new AdminClient(endpoint).status()
    expect(Number(readFileSync(join(raceHome, 'engine.pid'), 'utf8'))).toBe(status.pid)
    await new AdminClient(endpoint).shutdown()
    await eventually(async () => ((await isAnswering(endpoint)) ? undefined : true), 5000, 'engine to stop')
    rmSync(raceHome, {recursive: true, force: true})
  })

  it('throws LocalEngineUnreachableError when autostart is off', async () => {
    process.env.ELB_LOCAL_AUTOSTART = '0'
    const endpoint = `http://127.0.0.1:${await freePort()}`
    await expect(ensureLocalEngine(endpoint, {stderr: () => undefined})).rejects.toBeInstanceOf(LocalEngineUnreachableError)
  })
})
