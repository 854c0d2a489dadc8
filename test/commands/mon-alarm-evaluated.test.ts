/**
 * A monitoring script's view of an evaluated alarm, through the mon-* commands only: an
 * UnHealthyHostCount alarm on a load balancer whose one instance stops shows up in
 * `mon-describe-alarms --state-value ALARM`, with the engine's state reason in the long view and the
 * transitions in `mon-describe-alarm-history`. Time scale 1/60: a 60-second period lasts a second.
 */
import {eventually, startTestEngine, type TestEngine} from '../helpers/engine.js'
import {startServedLoadBalancer} from '../helpers/served-lb.js'
import {runCli} from './run-cli.js'

const OFFSET = 20_000 + 100 * Math.floor(Math.random() * 300)
const LB = 'mon-alarmed'
let t: TestEngine
const target = (): string[] => ['-U', t.endpoint]

beforeAll(async () => {
  t = await startTestEngine({portOffset: OFFSET, timeScale: 1 / 60})
  await startServedLoadBalancer(t, LB, OFFSET)
}, 60_000)

afterAll(async () => {
  await (t as TestEngine | undefined)?.close()
})

/** The alarm's STATE and STATE_REASON, read as a script would: the long view with a `|` delimiter. */
async function stateOf(name: string): Promise<{state: string; reason: string}> {
  const run = await runCli('mon-describe-alarms', [name, '--show-long', '--delimiter', '|', ...target()])
  const [, , state = '', reason = ''] = (run.stdout.split('\n')[0] ?? '').split('|')
  return {state, reason}
}

test('stopping the instance puts the alarm in ALARM, as mon-describe-alarms and its history show', async () => {
  const created = await runCli('mon-put-metric-alarm', ['lb-down', '--metric-name', 'UnHealthyHostCount', '--namespace', 'AWS/ELB',
    '--statistic', 'Maximum', '--period', '60', '--threshold', '0', '--comparison-operator', 'GreaterThanThreshold',
    '--evaluation-periods', '2', '--dimensions', `LoadBalancerName=${LB}`, ...target()])
  expect(created).toEqual({stdout: 'OK-Created Alarm\n', stderr: '', code: 0})
  await eventually(async () => ((await stateOf('lb-down')).state === 'OK' ? true : undefined), 15_000, 'the alarm to be OK')
  expect((await runCli('mon-describe-alarms', ['--state-value', 'ALARM', ...target()])).stdout).toBe('')

  const instanceId = t.engine.store.state.regions['us-east-1']?.loadBalancers.find((lb) => lb.name === LB)?.instances[0]?.instanceId ?? ''
  await t.stopInstances(instanceId)
  const alarming = await eventually(async () => {
    const run = await runCli('mon-describe-alarms', ['--state-value', 'ALARM', ...target()])
    return run.stdout === '' ? undefined : run.stdout
  }, 15_000, 'the alarm to be listed in ALARM')
  // What a Nagios check reads: the first column of each alarming line.
  expect(alarming.split('\n').filter((line) => line !== '').map((line) => line.split(/ +/)[0])).toEqual(['lb-down'])
  const {state, reason} = await stateOf('lb-down')
  expect(state).toBe('ALARM')
  expect(reason).toMatch(/^Threshold Crossed: 2 datapoints \[1\.0 \([\d/: ]+\), 1\.0 \([\d/: ]+\)\] were greater than the threshold \(0\.0\)\.$/)

  const history = await runCli('mon-describe-alarm-history', ['lb-down', ...target()])
  expect(history.stdout.split('\n').filter((line) => line !== '').map((line) => line.split(/ {2,}/).slice(2))).toEqual([
    ['StateUpdate', 'Alarm updated from OK to ALARM'],
    ['StateUpdate', 'Alarm updated from INSUFFICIENT_DATA to OK'],
    ['ConfigurationUpdate', 'Alarm "lb-down" created'],
  ])
}, 60_000)
