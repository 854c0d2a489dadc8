/**
 * The mon-* alarm commands against the real engine over loopback (its alarm API, issue 19): create,
 * describe (all, by prefix, by state, for a metric), set the state, turn actions off and on, read
 * the history, delete — each line as the legacy tool prints it. Real time (time scale 1): the
 * evaluator's minute never comes during the test, so an alarm on a metric nobody publishes stays
 * INSUFFICIENT_DATA unless the test sets it.
 */
import {startTestEngine, type TestEngine} from '../helpers/engine.js'
import {runCli} from './run-cli.js'

let t: TestEngine
const target = (): string[] => ['-U', t.endpoint]
const firstLine = (stderr: string): string => stderr.replace(/\n /g, ' ').split('\n')[0] ?? ''

const ALARM_ARGS = ['--metric-name', 'UnHealthyHostCount', '--namespace', 'AWS/ELB', '--statistic', 'Average', '--period', '60',
  '--threshold', '1', '--comparison-operator', 'GreaterThanThreshold', '--dimensions', 'LoadBalancerName=mon-lb', '--evaluation-periods', '2']

describe('the mon-* alarm commands on the engine', () => {
  beforeAll(async () => {
    t = await startTestEngine({timeScale: 1})
  }, 30_000)

  afterAll(async () => {
    await (t as TestEngine | undefined)?.close()
  })

  test('create, describe, set the state, actions off and on, history, delete', async () => {
    const created = await runCli('mon-put-metric-alarm', ['lb-unhealthy', ...ALARM_ARGS, '--alarm-description', 'hosts down',
      '--alarm-actions', 'arn:aws:sns:us-east-1:123456789012:ops-pager-notifications-topic', ...target()])
    expect(created).toEqual({stdout: 'OK-Created Alarm\n', stderr: '', code: 0})
    // The first of a repeated option wins (the legacy parser): this threshold comes before ALARM_ARGS'.
    expect((await runCli('mon-put-metric-alarm', ['other', '--threshold', '2.5', ...ALARM_ARGS, ...target()])).code).toBe(0)

    const table = await runCli('mon-describe-alarms', ['--headers', ...target()])
    expect(table).toEqual({
      stdout:
        'ALARM         STATE              ALARM_ACTIONS                             NAMESPACE  METRIC_NAME         PERIOD  STATISTIC  EVAL_PERIODS  COMPARISON            THRESHOLD\n' +
        'lb-unhealthy  INSUFFICIENT_DATA  arn:aws:sns:us-eas...notifications-topic  AWS/ELB    UnHealthyHostCount  60      Average    2             GreaterThanThreshold  1.0\n' +
        `other         INSUFFICIENT_DATA  ${' '.repeat(40)}  AWS/ELB    UnHealthyHostCount  60      Average    2             GreaterThanThreshold  2.5\n`,
      stderr: '', code: 0,
    })
    const byPrefix = await runCli('mon-describe-alarms', ['--alarm-name-prefix', 'lb-', '--show-long', ...target()])
    const [row = ''] = byPrefix.stdout.split('\n')
    expect(row.split(',').slice(0, 3)).toEqual(['lb-unhealthy', 'hosts down', 'INSUFFICIENT_DATA'])
    expect(row).toContain(',true,(nil),arn:aws:sns:us-east-1:123456789012:ops-pager-notifications-topic,(nil),AWS/ELB,UnHealthyHostCount,{LoadBalancerName=mon-lb},60,Average,')
    const forMetric = await runCli('mon-describe-alarms-for-metric', ['--metric-name', 'UnHealthyHostCount', '--namespace', 'AWS/ELB',
      '--dimensions', 'LoadBalancerName=mon-lb', ...target()])
    expect(forMetric.stdout.split('\n').filter((line) => line !== '').map((line) => line.split(/ +/)[0])).toEqual(['lb-unhealthy', 'other'])

    const set = await runCli('mon-set-alarm-state', ['lb-unhealthy', '--state-value', 'ALARM', '--state-reason', 'testing the pager', ...target()])
    expect(set).toEqual({stdout: 'OK-Set alarm state value\n', stderr: '', code: 0})
    const alarming = await runCli('mon-describe-alarms', ['--state-value', 'ALARM', ...target()])
    expect(alarming.stdout.split(/ +/).slice(0, 2)).toEqual(['lb-unhealthy', 'ALARM'])

    expect(await runCli('mon-disable-alarm-actions', ['lb-unhealthy', ...target()])).toEqual({stdout: 'OK-Disabled alarm actions\n', stderr: '', code: 0})
    expect((await runCli('mon-describe-alarms', ['lb-unhealthy', '--show-long', ...target()])).stdout).toContain(',false,')
    expect(await runCli('mon-enable-alarm-actions', ['--alarm-name', 'lb-unhealthy', ...target()])).toEqual({stdout: 'OK-Enabled alarm actions\n', stderr: '', code: 0})
    expect((await runCli('mon-describe-alarms', ['lb-unhealthy', '--show-long', ...target()])).stdout).toContain(',true,')

    const history = await runCli('mon-describe-alarm-history', ['lb-unhealthy', '--headers', ...target()])
    const lines = history.stdout.split('\n').filter((line) => line !== '')
    expect(lines[0]).toMatch(/^ALARM {9}TIMESTAMP {17}TYPE {17}SUMMARY$/)
    const rows = lines.slice(1).map((line) => line.split(/ {2,}/))
    expect(rows.map(([name, , type, summary]) => [name, type, summary])).toEqual(expect.arrayContaining([
      ['lb-unhealthy', 'StateUpdate', 'Alarm updated from INSUFFICIENT_DATA to ALARM'],
      ['lb-unhealthy', 'ConfigurationUpdate', 'Alarm "lb-unhealthy" created'],
    ]))
    for (const [, timestamp] of rows) expect(timestamp).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/)

    expect(await runCli('mon-delete-alarms', ['lb-unhealthy', 'other', '-f', ...target()])).toEqual({stdout: 'OK-Deleted alarms\n', stderr: '', code: 0})
    expect(await runCli('mon-describe-alarms', [...target()])).toEqual({stdout: '', stderr: '', code: 0})
  })

  test('the engine refuses what AWS refuses: its words after Malformed input-, exit 1', async () => {
    // The first of a repeated option wins (the legacy parser): the bad operator comes first.
    const run = await runCli('mon-put-metric-alarm', ['bad', '--comparison-operator', 'Bigger', ...ALARM_ARGS, ...target()])
    expect(run.code).toBe(1)
    expect(firstLine(run.stderr)).toMatch(/^mon-put-metric-alarm: {2}Malformed input-.*Bigger/)
    const missing = await runCli('mon-set-alarm-state', ['no-such-alarm', '--state-value', 'OK', '--state-reason', 'x', ...target()])
    expect(missing.code).not.toBe(0)
    expect(firstLine(missing.stderr)).toMatch(/^mon-set-alarm-state: {2}.*no-such-alarm/)
  })
})
