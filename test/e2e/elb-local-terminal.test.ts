/**
 * Issue 21 — what a new user meets in the terminal, through real child processes of bin/elb-local
 * (and aws-cli) against an in-process engine: the start-instances warning, tables that fit 100
 * columns without rules between rows, metrics rows only since the load balancer exists, usage
 * lines, `console --open` without a browser, and the aws-cli shorthand mistake.
 */
import {
  CreateLoadBalancerCommand, RegisterInstancesWithLoadBalancerCommand,
} from '@aws-sdk/client-elastic-load-balancing'
import {chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {afterAll, beforeAll, describe, expect, it} from '@jest/globals'
import {startTestEngine, TEST_CREDENTIALS, type TestEngine} from '../helpers/engine.js'
import {elbLocal, ensureBuilt, isInstalled, runProcess} from '../helpers/processes.js'
import {printedError} from '../helpers/aws-cli.js'

let t: TestEngine
let env: NodeJS.ProcessEnv
const scratch = mkdtempSync(join(tmpdir(), 'elb-local-terminal-'))
/** 32 characters, the longest name AWS allows: the widest load-balancer row. */
const LONG_NAME = 'a-load-balancer-with-a-long-name'

beforeAll(async () => {
  ensureBuilt()
  t = await startTestEngine()
  env = {ELB_LOCAL_ENDPOINT: t.endpoint, ELB_LOCAL_AUTOSTART: '0', ELB_LOCAL_HOME: t.home}
  for (const name of [LONG_NAME, 'web']) {
    await t.elb.send(new CreateLoadBalancerCommand({
      LoadBalancerName: name, AvailabilityZones: ['us-east-1a'],
      Listeners: [
        {Protocol: 'HTTP', LoadBalancerPort: 80, InstanceProtocol: 'HTTP', InstancePort: 8080},
        {Protocol: 'TCP', LoadBalancerPort: 8443, InstanceProtocol: 'TCP', InstancePort: 8443},
      ],
    }))
  }
}, 120_000)

afterAll(async () => {
  await t.close()
  rmSync(scratch, {recursive: true, force: true})
})

const widest = (text: string): number => Math.max(...text.split('\n').map((line) => line.length))
/** Rules under a header row start with ├; compact tables have no other. */
const rules = (text: string): number => text.split('\n').filter((line) => line.startsWith('├')).length

describe('start-instances', () => {
  it('names the load balancers that still hold the old address and what to run', async () => {
    const [instance] = await t.runInstances({serve: [{protocol: 'http', port: 8080}]})
    const id = instance?.instanceId ?? ''
    await t.elb.send(new RegisterInstancesWithLoadBalancerCommand({LoadBalancerName: 'web', Instances: [{InstanceId: id}]}))
    expect((await elbLocal(['stop-instances', id], env)).code).toBe(0)
    const started = await elbLocal(['start-instances', id], env)
    const [now] = await t.admin.describeInstances(undefined, [id])
    expect(now?.privateIp).not.toBe(instance?.privateIp)
    expect(started.code).toBe(0)
    expect(started.stdout).toContain(`│ ${id} │ running │ ${now?.privateIp ?? ''} `)
    expect(started.stderr).toBe(
      `Warning: ${id} now runs at ${now?.privateIp ?? ''}, but load balancer web still sends it health checks and traffic at ` +
      `${instance?.privateIp ?? ''}, its address when it was registered: it stays OutOfService there. Register it again: ` +
      `elb-deregister-instances-from-lb web --instances ${id}, then elb-register-instances-with-lb web --instances ${id}.\n`)
    // --json keeps stdout JSON; the warning stays on stderr.
    expect((await elbLocal(['stop-instances', id], env)).code).toBe(0)
    const json = await elbLocal(['start-instances', id, '--json'], env)
    expect((JSON.parse(json.stdout) as {instanceId: string}[]).map((row) => row.instanceId)).toEqual([id])
    expect(json.stderr).toMatch(/^Warning: .* load balancer web still sends it health checks/)
  }, 60_000)
})

describe('tables', () => {
  it('status fits 100 columns, says which columns it left out, rules no line between rows; --wide shows all', async () => {
    const status = await elbLocal(['status'], env)
    expect(status.code).toBe(0)
    expect(widest(status.stdout)).toBeLessThanOrEqual(100)
    expect(status.stdout).toContain(`│ ${LONG_NAME} │`)
    expect(status.stdout).toContain('(DNS name left out to fit 100 columns; --wide shows every column.)')
    expect(status.stdout).not.toContain('.elb.amazonaws.com')
    // Two header rules (load balancers; the engine table has no header), none between rows.
    expect(rules(status.stdout)).toBe(1)

    const wide = await elbLocal(['status', '--wide'], env)
    expect(wide.stdout).toMatch(new RegExp(`│ ${LONG_NAME} +│ us-east-1 │ [0-9.]+ +│ ${LONG_NAME}-\\d+\\.us-east-1\\.elb\\.amazonaws\\.com │`))
    expect(widest(wide.stdout)).toBeGreaterThan(100)
    expect(wide.stdout).not.toContain('left out')
  }, 60_000)

  it('metrics: every load balancer in 100 columns without rules between rows; one load balancer only since it exists', async () => {
    const all = await elbLocal(['metrics'], env)
    expect(all.code).toBe(0)
    expect(widest(all.stdout)).toBeLessThanOrEqual(100)
    // The 32-character name wraps after a hyphen rather than widen the table.
    expect(all.stdout).toMatch(/^│ a-load-balancer- +│ 0 .*\n│ with-a-long-name +│ +│/m)
    expect(all.stdout).toMatch(/^│ web +│ 0 /m)
    expect(rules(all.stdout)).toBe(1)

    // Created seconds ago: --range 600 (50 s a row) has one row, or two across a step boundary.
    const series = await elbLocal(['metrics', 'web', '--range', '600', '--step', '50'], env)
    expect(series.code).toBe(0)
    const rows = series.stdout.split('\n').filter((line) => /^│ \d\d:\d\d:\d\d /.test(line))
    expect(rows.length).toBeGreaterThanOrEqual(1)
    expect(rows.length).toBeLessThanOrEqual(2)
    expect(rules(series.stdout)).toBe(1)
    expect(widest(series.stdout)).toBeLessThanOrEqual(100)
    const json = JSON.parse((await elbLocal(['metrics', 'web', '--range', '600', '--step', '50', '--json'], env)).stdout) as {timestamps: number[]}
    expect(json.timestamps.length).toBe(rows.length)
  }, 60_000)

  it('usage lines put optional positionals in one pair of brackets', async () => {
    const metrics = await elbLocal(['metrics', '--bogus'], env)
    expect(metrics.stderr).toBe('elb-local metrics: unknown option --bogus.\n' +
      'Usage: elb-local metrics [--region REGION] [--range SECONDS] [--step SECONDS] [--wide] [--json] [LOAD-BALANCER]\n')
    const describeInstances = await elbLocal(['describe-instances', '--bogus'], env)
    expect(describeInstances.stderr).toBe('elb-local describe-instances: unknown option --bogus.\n' +
      'Usage: elb-local describe-instances [--region REGION] [--wide] [--json] [ID…]\n')
  })
})

describe('console --open without a browser', () => {
  const url = () => `${t.endpoint}/console/`

  it('no opener on PATH: says so, with the URL', async () => {
    const empty = join(scratch, 'empty')
    mkdirSync(empty, {recursive: true})
    const result = await elbLocal(['console', '--open'], {...env, PATH: empty})
    expect(result).toEqual({
      code: 0, stdout: `${url()}\n`,
      stderr: `No browser found (none of xdg-open, open, sensible-browser is on PATH): open ${url()} yourself.\n`,
    })
  })

  it('an opener that finds no browser (xdg-open exits 3): says so, with the URL', async () => {
    const bin = join(scratch, 'bin')
    mkdirSync(bin, {recursive: true})
    writeFileSync(join(bin, 'xdg-open'), '#!/bin/sh\necho "xdg-open: no method available for opening \'$1\'" >&2\nexit 3\n')
    chmodSync(join(bin, 'xdg-open'), 0o755)
    const result = await elbLocal(['console', '--open'], {...env, PATH: `${bin}:/bin:/usr/bin`})
    expect(result).toEqual({
      code: 0, stdout: `${url()}\n`,
      stderr: `No browser found (xdg-open could not open one): open ${url()} yourself.\n`,
    })
  })
})

const withAwsCli = isInstalled('aws') ? it : it.skip

withAwsCli('aws-cli\'s `--instances InstanceId=i-…` gets the bare id suggested, not `run-instances --id InstanceId=…`', async () => {
  const [instance] = await t.runInstances({})
  const id = instance?.instanceId ?? ''
  // --endpoint-url, not AWS_ENDPOINT_URL: Debian's aws-cli 2.9.19 predates that variable.
  const result = await runProcess('aws', ['--endpoint-url', t.endpoint, 'elb', 'register-instances-with-load-balancer', '--load-balancer-name', 'web',
    '--instances', `InstanceId=${id}`], {
    env: {
      AWS_ACCESS_KEY_ID: TEST_CREDENTIALS.accessKeyId, AWS_SECRET_ACCESS_KEY: TEST_CREDENTIALS.secretAccessKey, AWS_DEFAULT_REGION: t.region,
      AWS_CONFIG_FILE: '/dev/null', AWS_SHARED_CREDENTIALS_FILE: '/dev/null', AWS_MAX_ATTEMPTS: '1', AWS_PAGER: '',
    },
    timeoutMs: 60_000,
  })
  expect(result.code).not.toBe(0)
  expect(result.stderr).toMatch(printedError('InvalidInstance', 'RegisterInstancesWithLoadBalancer', `Could not find EC2 instance InstanceId=${id}. ` +
    `aws-cli's --instances takes bare instance ids: --instances ${id} (InstanceId=${id} arrives as the id itself).`))
  expect(result.stderr).not.toContain('run-instances')
}, 120_000)
