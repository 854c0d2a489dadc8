/**
 * CloudWatch's data outlives the engine: N requests through a real listener, a custom metric and
 * an alarm's history, written to <home>/cloudwatch/ at the minute's fold; then kill -9 and a
 * restart on the same home read exactly N back through SDK v3 (GetMetricStatistics), the custom
 * metric and the alarm's history; then a clean stop (SIGTERM) writes what the last minute
 * buffered and a third engine reads everything again.
 */
import {spawn, type ChildProcess} from 'node:child_process'
import {mkdtempSync, rmSync} from 'node:fs'
import {request as httpRequest} from 'node:http'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {
  CloudWatchClient, DescribeAlarmHistoryCommand, GetMetricStatisticsCommand, PutMetricAlarmCommand, PutMetricDataCommand,
} from '@aws-sdk/client-cloudwatch'
import {ConfigureHealthCheckCommand, CreateLoadBalancerCommand, ElasticLoadBalancingClient, RegisterInstancesWithLoadBalancerCommand} from '@aws-sdk/client-elastic-load-balancing'
import {afterAll, expect, test} from '@jest/globals'
import {readAlarmDocument, readCustomDocument, readElbDocument, unpack} from '../../../src/engine/cloudwatch/persistence/records.js'
import {readFrames} from '../../../src/engine/cloudwatch/persistence/segments.js'
import {AdminClient} from '../../../src/lib/local/admin-client.js'
import {eventually, TEST_CREDENTIALS} from '../../helpers/engine.js'
import {ENGINE_ENTRY, ensureBuilt, REPO} from '../../helpers/processes.js'

const LB = 'kept'
const OFFSET = 20_000 + 100 * Math.floor(Math.random() * 300)
const REQUESTS = 23
const home = mkdtempSync(join(tmpdir(), 'elb-local-cw-persist-'))
const dir = join(home, 'cloudwatch')
const children: ChildProcess[] = []

afterAll(() => {
  for (const child of children) if (child.exitCode === null) child.kill('SIGKILL')
  rmSync(home, {recursive: true, force: true})
})

interface Running {
  readonly child: ChildProcess
  readonly endpoint: string
  readonly output: () => string
  readonly cloudWatch: CloudWatchClient
}

/** The built engine on port 0 in its own networks; resolves once it logs that it listens. */
function startEngine(): Promise<Running> {
  const child = spawn(process.execPath, [ENGINE_ENTRY, '--home', home, '--port', '0', '--port-offset', String(OFFSET), '--time-scale', '0.01', '--background'], {
    cwd: REPO,
    stdio: ['ignore', 'pipe', 'ignore'],
    env: {...process.env, NODE_OPTIONS: '', AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true', ELB_LOCAL_INSTANCE_NETWORK: '127.0.249', ELB_LOCAL_LB_NETWORK: '127.249'},
  })
  children.push(child)
  let output = ''
  return new Promise((resolve, reject) => {
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString()
      const endpoint = /engine listening on (http:\/\/[^\s]+)/.exec(output)?.[1]
      if (endpoint !== undefined) {
        const cloudWatch = new CloudWatchClient({endpoint, region: 'us-east-1', credentials: TEST_CREDENTIALS, maxAttempts: 1})
        resolve({child, endpoint, output: () => output, cloudWatch})
      }
    })
    child.once('exit', (code) => { reject(new Error(`the engine exited (${String(code)}) before listening: ${output}`)); })
  })
}

async function stop(engine: Running, signal: 'SIGKILL' | 'SIGTERM'): Promise<void> {
  engine.cloudWatch.destroy()
  const exited = new Promise((resolve) => engine.child.once('exit', resolve))
  engine.child.kill(signal)
  await exited
}

function get(address: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const request = httpRequest({host: address, port: 80 + OFFSET, path: '/', agent: false, timeout: 5_000}, (response) => {
      response.resume()
      response.once('end', () => { resolve(response.statusCode ?? 0) })
    })
    request.once('timeout', () => request.destroy(new Error('timed out')))
    request.once('error', reject)
    request.end()
  })
}

const range = {StartTime: new Date(Date.now() - 30 * 60_000), EndTime: new Date(Date.now() + 30 * 60_000)}

async function requestSum(engine: Running): Promise<number> {
  const answer = await engine.cloudWatch.send(new GetMetricStatisticsCommand({
    Namespace: 'AWS/ELB', MetricName: 'RequestCount', Dimensions: [{Name: 'LoadBalancerName', Value: LB}], ...range, Period: 60, Statistics: ['Sum'],
  }))
  return (answer.Datapoints ?? []).reduce((total, point) => total + (point.Sum ?? 0), 0)
}

async function ordersSum(engine: Running): Promise<number | undefined> {
  const answer = await engine.cloudWatch.send(new GetMetricStatisticsCommand({
    Namespace: 'Shop', MetricName: 'Orders', ...range, Period: 3600, Statistics: ['Sum'],
  }))
  return answer.Datapoints?.[0]?.Sum
}

async function alarmSummaries(engine: Running): Promise<string[]> {
  const answer = await engine.cloudWatch.send(new DescribeAlarmHistoryCommand({AlarmName: 'orders-low', HistoryItemType: 'ConfigurationUpdate'}))
  return (answer.AlarmHistoryItems ?? []).map((item) => item.HistorySummary ?? '')
}

/** What the segments on disk hold: the LB's RequestCount, the custom buckets, the alarm items. */
async function onDisk(): Promise<{requests: number; customBuckets: number; alarmItems: number}> {
  const found = {requests: 0, customBuckets: 0, alarmItems: 0}
  for await (const payload of readFrames(dir, 'elb', () => undefined)) {
    // The load balancer's own minutes (zone ''); its node's minutes are recorded beside them.
    for (const record of readElbDocument(await unpack(payload)).traffic) if (record.name === LB && record.zone === '') found.requests += record.traffic.counts[0] ?? 0
  }
  for await (const payload of readFrames(dir, 'custom', () => undefined)) found.customBuckets += readCustomDocument(await unpack(payload)).records.length
  for await (const payload of readFrames(dir, 'alarms', () => undefined)) found.alarmItems += readAlarmDocument(await unpack(payload)).records.length
  return found
}

test('requests, a custom metric and alarm history survive kill -9 and a clean restart, read back exactly', async () => {
  ensureBuilt()
  const first = await startEngine()
  const admin = new AdminClient(first.endpoint, home)
  const [instance] = await admin.runInstances({serve: [{protocol: 'http', port: 80}]})
  const elb = new ElasticLoadBalancingClient({endpoint: first.endpoint, region: 'us-east-1', credentials: TEST_CREDENTIALS, maxAttempts: 1})
  await elb.send(new CreateLoadBalancerCommand({
    LoadBalancerName: LB, AvailabilityZones: ['us-east-1a'], Listeners: [{Protocol: 'HTTP', LoadBalancerPort: 80, InstanceProtocol: 'HTTP', InstancePort: 80}],
  }))
  await elb.send(new ConfigureHealthCheckCommand({LoadBalancerName: LB, HealthCheck: {Target: 'HTTP:80/', Interval: 30, Timeout: 5, UnhealthyThreshold: 2, HealthyThreshold: 2}}))
  await elb.send(new RegisterInstancesWithLoadBalancerCommand({LoadBalancerName: LB, Instances: [{InstanceId: instance?.instanceId}]}))
  elb.destroy()
  const address = (await admin.status()).loadBalancers.find((lb) => lb.name === LB)?.address ?? ''
  await eventually(async () => (await get(address)) === 200 ? true : undefined, 20_000, 'the instance to serve')

  // The probes above count too: the engine's own live reading before and after is the truth.
  const before = await requestSum(first)
  for (let n = 0; n < REQUESTS; n++) expect(await get(address)).toBe(200)
  const expected = await requestSum(first)
  expect(expected).toBe(before + REQUESTS)
  await first.cloudWatch.send(new PutMetricDataCommand({Namespace: 'Shop', MetricData: [{MetricName: 'Orders', Value: 5}, {MetricName: 'Orders', Value: 7}]}))
  await first.cloudWatch.send(new PutMetricAlarmCommand({
    AlarmName: 'orders-low', Namespace: 'Shop', MetricName: 'Orders', Statistic: 'Sum', Period: 60, EvaluationPeriods: 1, Threshold: 1, ComparisonOperator: 'LessThanThreshold',
  }))

  // The minute's fold writes it all (a second after the minute ends): wait for it on disk, then kill -9.
  await eventually(async () => {
    const found = await onDisk()
    return found.requests === expected && found.customBuckets > 0 && found.alarmItems > 0 ? found : undefined
  }, 130_000, 'the minutes on disk')
  await stop(first, 'SIGKILL')

  const second = await startEngine()
  expect(await eventually(async () => (await requestSum(second)) === expected ? expected : undefined, 20_000, `RequestCount ${expected} after kill -9`)).toBe(expected)
  expect(await ordersSum(second)).toBe(12)
  expect(await alarmSummaries(second)).toEqual(['Alarm "orders-low" created'])
  expect(second.output()).toMatch(/CloudWatch history loaded: \d+ load-balancer minutes from \d+ records in \d+ ms/)
  // Put now, in the minute no fold has written yet: a clean stop writes it.
  await second.cloudWatch.send(new PutMetricDataCommand({Namespace: 'Shop', MetricData: [{MetricName: 'Orders', Value: 30}]}))
  await stop(second, 'SIGTERM')

  const third = await startEngine()
  await eventually(() => (/CloudWatch history loaded/.test(third.output()) ? true : undefined), 20_000, 'the history loaded')
  expect(await requestSum(third)).toBe(expected)
  expect(await ordersSum(third)).toBe(42)
  expect(await alarmSummaries(third)).toEqual(['Alarm "orders-low" created'])
  await stop(third, 'SIGTERM')
}, 200_000)
