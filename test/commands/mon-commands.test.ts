/**
 * The legacy CloudWatch CLI's metric commands against a real engine over loopback: N requests
 * through a load balancer read back as the RequestCount Sum by `bin/mon-get-stats … | awk`, as the
 * Nagios and Munin plugins do; mon-put-data then mon-list-metrics and mon-get-stats, byte for byte;
 * the Query wire protocol the legacy tool spoke; and each failure with its legacy text and exit code.
 */
import {createServer} from 'node:net'
import {join} from 'node:path'
import {eventually, startTestEngine, type TestEngine} from '../helpers/engine.js'
import {ensureBuilt, REPO, runProcess} from '../helpers/processes.js'
import {startServedLoadBalancer} from '../helpers/served-lb.js'
import {runCli} from './run-cli.js'

const OFFSET = 20_000 + 100 * Math.floor(Math.random() * 300)
const LB = 'mon-watched'
const REQUESTS = 13
let t: TestEngine
let expectedSum: number
let start: string
let end: string

/** The message, unwrapped: the legacy word wrap breaks long lines with `\n `. */
const firstLine = (stderr: string): string => stderr.replace(/\n /g, ' ').split('\n')[0] ?? ''

/** The endpoint every in-process run targets (the legacy `-U`). */
const target = (): string[] => ['-U', t.endpoint]

beforeAll(async () => {
  ensureBuilt()
  t = await startTestEngine({portOffset: OFFSET})
  const {get} = await startServedLoadBalancer(t, LB, OFFSET)
  // Whatever the wait for InService sent counts too: the data plane's own total is the truth.
  const before = t.engine.metrics.find('us-east-1', LB)?.totals().counters.RequestCount ?? 0
  for (let n = 0; n < REQUESTS; n++) expect(await get(`/${n}`)).toBe(200)
  expectedSum = t.engine.metrics.find('us-east-1', LB)?.totals().counters.RequestCount ?? 0
  expect(expectedSum).toBe(before + REQUESTS)
  start = new Date(Date.now() - 30 * 60_000).toISOString()
  end = new Date(Date.now() + 5 * 60_000).toISOString()
}, 60_000)

afterAll(async () => {
  await (t as TestEngine | undefined)?.close()
})

/** A shell pipeline around the installed binary, as a monitoring plugin runs it. */
async function pipeline(script: string): Promise<string> {
  const env = {AWS_CLOUDWATCH_URL: t.endpoint, AWS_CLOUDWATCH_HOME: REPO, ELB_LOCAL_AUTOSTART: '0', PATH: `${join(REPO, 'bin')}:${process.env.PATH ?? ''}`}
  const run = await runProcess('sh', ['-c', script], {env})
  expect(run.stderr).toBe('')
  expect(run.code).toBe(0)
  return run.stdout
}

describe('mon-get-stats piped into awk', () => {
  const stats = () => `mon-get-stats RequestCount --namespace AWS/ELB --dimensions "LoadBalancerName=${LB}" --statistics Sum --start-time ${start} --end-time ${end}`

  test('one period over the whole range: `tail -1 | awk \'{print $3}\'` is the Sum, N requests', async () => {
    // As the plugins call it: through $AWS_CLOUDWATCH_HOME/bin, the legacy layout the package keeps.
    const third = (await pipeline(`"$AWS_CLOUDWATCH_HOME"/bin/${stats()} --period 3600 | tail -1 | awk '{print $3}'`)).trim()
    // Java's Double.toString, as the legacy tool printed every statistic.
    expect(third).toBe(`${expectedSum}.0`)
    expect(Number(third)).toBe(expectedSum)
  }, 30_000)

  test('one-minute points (the default period): awk adds the third column of every line to N', async () => {
    const output = await pipeline(stats())
    expect(output).toMatch(/^(\d{4}-\d\d-\d\d \d\d:\d\d:00 {2}\d+\.0 +Count\n)+$/)
    expect((await pipeline(`${stats()} | awk '{s += $3} END {print s}'`)).trim()).toBe(String(expectedSum))
  }, 30_000)
})

describe('the wire: Query, as the legacy tool spoke it', () => {
  test('--show-request names the Action and the 2010-08-01 Version; --show-xml is the XML answer', async () => {
    const shown = await runCli('mon-get-stats', ['RequestCount', '-n', 'AWS/ELB', '-s', 'Sum', '-d', `LoadBalancerName=${LB}`, '--show-request', ...target()])
    expect(shown.code).toBe(0)
    const [url = ''] = shown.stdout.split('\n')
    expect(url.startsWith(`${t.endpoint}/?`)).toBe(true)
    const params = new URLSearchParams(url.slice(url.indexOf('?') + 1))
    expect([params.get('Action'), params.get('Version'), params.get('Namespace'), params.get('Statistics.member.1')])
      .toEqual(['GetMetricStatistics', '2010-08-01', 'AWS/ELB', 'Sum'])
    const xml = await runCli('mon-list-metrics', ['--namespace', 'AWS/ELB', '--show-xml', ...target()])
    expect(xml.stdout.startsWith('<ListMetricsResponse xmlns="http://monitoring.amazonaws.com/doc/2010-08-01/">')).toBe(true)
  })
})

describe('mon-put-data, then mon-list-metrics and mon-get-stats find it', () => {
  // A whole minute an hour ago: inside the two weeks PutMetricData takes, and a known row.
  const minute = new Date(Math.floor((Date.now() - 3600_000) / 60_000) * 60_000)
  const shown = minute.toISOString().slice(0, 19).replace('T', ' ')

  test('a statistic set and a value, read back with their columns', async () => {
    const put = await runCli('mon-put-data', ['--metric-name', 'RequestCount', '--namespace', 'MyService', '--timestamp', minute.toISOString(),
      '--statisticValues', 'Sum=250,Minimum=30,Maximum=70,SampleCount=5', '--unit', 'Count', ...target()])
    expect(put).toEqual({stdout: '', stderr: '', code: 0})
    const value = await runCli('mon-put-data', ['-m', 'RequestCount', '-n', 'MyService', '-d', 'User=SomeUser,Stack=Test', '-t', minute.toISOString(),
      '-v', '50', ...target()])
    expect(value).toEqual({stdout: '', stderr: '', code: 0})

    const listed = await runCli('mon-list-metrics', ['--namespace', 'MyService', '--headers', ...target()])
    expect(listed).toEqual({
      stdout:
        'Metric Name   Namespace  Dimensions\n' +
        'RequestCount  MyService  {}\n' +
        'RequestCount  MyService  {Stack=Test, User=SomeUser}\n',
      stderr: '', code: 0,
    })
    const filtered = await runCli('mon-list-metrics', ['-n', 'MyService', '-d', 'User=SomeUser', ...target()])
    expect(filtered.stdout).toBe('RequestCount  MyService  {Stack=Test, User=SomeUser}\n')

    const range = ['--start-time', new Date(minute.getTime() - 60_000).toISOString(), '--end-time', new Date(minute.getTime() + 60_000).toISOString()]
    const stats = await runCli('mon-get-stats', ['RequestCount', '--namespace', 'MyService', '--statistics', 'Average,Maximum,Minimum,SampleCount,Sum',
      ...range, '--headers', ...target()])
    expect(stats).toEqual({
      stdout:
        'Time                 Samples  Average  Sum    Minimum  Maximum  Unit\n' +
        `${shown}  5.0      50.0     250.0  30.0     70.0     Count\n`,
      stderr: '', code: 0,
    })
    const long = await runCli('mon-get-stats', ['RequestCount', '-n', 'MyService', '-s', 'Sum', '-d', 'Stack=Test,User=SomeUser', ...range,
      '--show-long', '--headers', ...target()])
    expect(long.stdout).toBe(`Time,Samples,Average,Sum,Minimum,Maximum,Unit\n${shown},(nil),(nil),50.0,(nil),(nil),None\n`)
    const delimited = await runCli('mon-get-stats', ['RequestCount', '-n', 'MyService', '-s', 'Sum', ...range, '--delimiter', '|', ...target()])
    expect(delimited.stdout).toBe(`${shown}|250.0|Count\n`)
  })

  test('--region picks the engine\'s region, as for the elb-* commands', async () => {
    expect((await runCli('mon-put-data', ['-m', 'Orders', '-n', 'RegionalApp', '-v', '3', '--region', 'eu-west-1', ...target()])).code).toBe(0)
    expect((await runCli('mon-list-metrics', ['-n', 'RegionalApp', '--region', 'eu-west-1', ...target()])).stdout).toBe('Orders  RegionalApp  {}\n')
    expect(await runCli('mon-list-metrics', ['-n', 'RegionalApp', ...target()])).toEqual({stdout: '', stderr: '', code: 0})
    const unknown = await runCli('mon-list-metrics', ['--region', 'mars-1', ...target()])
    expect(unknown.code).toBe(1)
    expect(firstLine(unknown.stderr)).toBe("mon-list-metrics:  Malformed input-Invalid region: 'mars-1' is not an AWS Region name (such as us-east-1 or eu-west-1)")
  })

  test('nothing in the range, or a metric nobody published: no lines, exit 0', async () => {
    expect(await runCli('mon-get-stats', ['NoSuchMetric', '-n', 'MyService', '-s', 'Sum', ...target()])).toEqual({stdout: '', stderr: '', code: 0})
    expect(await runCli('mon-list-metrics', ['-n', 'NoSuchNamespace', ...target()])).toEqual({stdout: '', stderr: '', code: 0})
  })
})

describe('failures, with the legacy text and exit code', () => {
  const usage = (stderr: string): string => stderr.slice(stderr.indexOf('Usage:'))

  test('an unknown option: Malformed input, the usage block, exit 1', async () => {
    const run = await runCli('mon-get-stats', ['RequestCount', '-n', 'AWS/ELB', '-s', 'Sum', '--bogus', ...target()])
    expect(run.code).toBe(1)
    expect(run.stdout).toBe('')
    expect(run.stderr.startsWith('mon-get-stats:  Malformed input-Unrecognized option:  --bogus\nUsage:\nmon-get-stats\n')).toBe(true)
    expect(usage(run.stderr)).toContain('For more information and a full list of options, run "mon-get-stats --help"\n')
  })

  test('missing required arguments are named, sorted, before any call', async () => {
    const run = await runCli('mon-get-stats', [...target()])
    expect(run.code).toBe(1)
    expect(run.stderr.split('\n')[0]).toBe('mon-get-stats:  Malformed input-Missing argument(s): --metric-name  --namespace  --statistics')
    const put = await runCli('mon-put-data', ['--value', '1', ...target()])
    expect(put.stderr.split('\n')[0]).toBe('mon-put-data:  Malformed input-Missing argument(s): --metric-name  --namespace')
  })

  test('an unknown statistic and a bad period: the service\'s words (400), exit 1', async () => {
    const statistic = await runCli('mon-get-stats', ['RequestCount', '-n', 'AWS/ELB', '-s', 'Median', ...target()])
    expect(statistic.code).toBe(1)
    expect(statistic.stderr).toMatch(/^mon-get-stats: {2}Malformed input-The parameter Statistics\.member\.1 must be a value in the set \[\s+Minimum, Maximum, Average, SampleCount, Sum \]\./)
    const period = await runCli('mon-get-stats', ['RequestCount', '-n', 'AWS/ELB', '-s', 'Sum', '--period', '61', ...target()])
    expect(period.code).toBe(1)
    expect(period.stderr.split('\n')[0]).toBe('mon-get-stats:  Malformed input-The parameter Period must be a multiple of 60.')
  })

  test('a timestamp that is not ISO 8601, or a date that does not exist', async () => {
    for (const bad of ['yesterday', '2013-02-30T00:00:00Z', '2013-07-30T25:00:00Z']) {
      const run = await runCli('mon-get-stats', ['RequestCount', '-n', 'AWS/ELB', '-s', 'Sum', '--start-time', bad, ...target()])
      expect(run.code).toBe(1)
      expect(firstLine(run.stderr)).toBe(`mon-get-stats:  Malformed input-Invalid value for --start-time: '${bad}' is not an ISO 8601 time such as 2013-07-30T19:30:00Z`)
    }
  })

  test('mon-put-data: --value and --statisticValues together are refused by the service; a statistic set must be whole', async () => {
    const both = await runCli('mon-put-data', ['-m', 'M', '-n', 'MyService', '-v', '1', '-s', 'Sum=1,Minimum=1,Maximum=1,SampleCount=1', ...target()])
    expect(both.code).toBe(1)
    expect(both.stderr).toContain('mon-put-data:  Malformed input-The parameters MetricData.member.1.Value and')
    const partial = await runCli('mon-put-data', ['-m', 'M', '-n', 'MyService', '-s', 'Sum=1,Minimum=1', ...target()])
    expect(partial.code).toBe(1)
    expect(firstLine(partial.stderr))
      .toBe('mon-put-data:  Malformed input---statisticValues needs SampleCount, Sum, Maximum and Minimum; missing: SampleCount, Maximum')
  })

  test('no engine at the endpoint: the connection message, how to start one, exit 31', async () => {
    const closed = await new Promise<number>((resolve) => {
      const server = createServer().listen(0, '127.0.0.1', () => {
        const {port} = server.address() as {port: number}
        server.close(() => { resolve(port) })
      })
    })
    // The installed binary (in-process under jest's VM modules, the SDK's socket errors lose their code).
    const run = await runProcess(join(REPO, 'bin', 'mon-get-stats'), ['RequestCount', '-n', 'AWS/ELB', '-s', 'Sum'],
      {env: {AWS_CLOUDWATCH_URL: `http://127.0.0.1:${closed}`, ELB_LOCAL_AUTOSTART: '0'}})
    expect(run.code).toBe(31)
    expect(run.stdout).toBe('')
    expect(run.stderr.replace(/\n /g, ' ')).toContain(
      `mon-get-stats:  Couldn't reach the service (reason: Connection refused) - please check your network settings and if the problem continues, contact support. No local engine answers at http://127.0.0.1:${closed}`,
    )
  })

  test('AWS_CLOUDWATCH_URL is checked like AWS_ELB_URL: no scheme is one sentence, exit 1', async () => {
    const run = await runCli('mon-list-metrics', [], {env: {AWS_CLOUDWATCH_URL: '127.0.0.1:8773'}})
    expect({...run, stderr: run.stderr.replace(/\n /g, ' ')})
      .toEqual({stdout: '', stderr: "mon-list-metrics:  AWS_CLOUDWATCH_URL '127.0.0.1:8773' has no scheme: write it as http://127.0.0.1:8773.\n\n", code: 1})
  })
})

test('an AWS_ELB_URL on loopback serves the mon-* commands too (one engine, one state)', async () => {
  const run = await eventually(async () => {
    const listed = await runCli('mon-list-metrics', ['-n', 'AWS/ELB', '-m', 'RequestCount'], {env: {AWS_ELB_URL: t.endpoint}})
    return listed.code === 0 && listed.stdout !== '' ? listed : undefined
  }, 5_000, 'RequestCount in the listing')
  // AWS/ELB is also published per zone and over every load balancer: the load balancer's own line is among them.
  expect(run.stdout.split('\n')).toContain(`RequestCount  AWS/ELB  {LoadBalancerName=${LB}}`)
})
