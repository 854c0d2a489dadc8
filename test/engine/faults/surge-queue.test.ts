/**
 * The surge queue for real: 1,100 concurrent requests against an instance with a capacity of one
 * request and a slow answer. One is in flight, 1,024 wait (SurgeQueueLength), 75 spill over with
 * Classic ELB's 503 (SpilloverCount); once the instance is fast again every queued request is
 * served, one at a time. Bounded: 1,100 sockets, each ends by itself.
 */
import {connect} from 'node:net'
import {CloudWatchClient, GetMetricStatisticsCommand, type Dimension} from '@aws-sdk/client-cloudwatch'
import {
  CreateLoadBalancerCommand, ModifyLoadBalancerAttributesCommand, RegisterInstancesWithLoadBalancerCommand,
} from '@aws-sdk/client-elastic-load-balancing'
import {SURGE_QUEUE_MAX} from '../../../src/engine/dataplane/backends/surge-queue.js'
import {eventually, startTestEngine, TEST_CREDENTIALS, type TestEngine} from '../../helpers/engine.js'
import {clearFaults, send, setFault, waitForState} from './fault-helpers.js'

const OFFSET = 40_000 + 10 * Math.floor(Math.random() * 800)
const LB = 'surge'
const CLIENTS = 1100

/** One request on its own connection; resolves with the status line (or the error). */
function rawRequest(host: string, port: number): Promise<string> {
  return new Promise((resolve) => {
    let head = ''
    const socket = connect({host, port}, () => { socket.end('GET /surge HTTP/1.1\r\nHost: surge\r\nConnection: close\r\n\r\n') })
    socket.setEncoding('latin1')
    socket.on('data', (chunk: string) => { if (head.length < 200) head += chunk })
    socket.once('error', (error) => { resolve(`error ${error.message}`) })
    socket.once('close', () => { resolve(head.split('\r\n')[0] ?? '') })
  })
}

describe('surge queue', () => {
  let t: TestEngine

  beforeAll(async () => {
    t = await startTestEngine({portOffset: OFFSET})
  }, 30_000)

  afterAll(async () => {
    await t.close()
  })

  test('capacity 1 and a slow instance: SurgeQueueLength reaches 1,024, SpilloverCount counts the 75 503s; all queued ones are served', async () => {
    const [instance] = await t.runInstances({serve: [{protocol: 'http', port: 80}]})
    const instanceId = instance?.instanceId ?? ''
    await t.elb.send(new CreateLoadBalancerCommand({
      LoadBalancerName: LB, AvailabilityZones: ['us-east-1a'],
      Listeners: [{Protocol: 'HTTP', LoadBalancerPort: 80, InstanceProtocol: 'HTTP', InstancePort: 80}],
    }))
    // An hour of idle timeout (36 s at the test time scale): queued requests wait, they do not time out.
    await t.elb.send(new ModifyLoadBalancerAttributesCommand({LoadBalancerName: LB, LoadBalancerAttributes: {ConnectionSettings: {IdleTimeout: 3600}}}))
    await t.elb.send(new RegisterInstancesWithLoadBalancerCommand({LoadBalancerName: LB, Instances: [{InstanceId: instanceId}]}))
    await waitForState(t, LB, instanceId, 'InService')
    const address = t.engine.store.state.regions['us-east-1']?.loadBalancers.find((lb) => lb.name === LB)?.localAddress ?? ''
    expect((await send(address, 80 + OFFSET, '/before')).status).toBe(200)
    const metrics = t.engine.metrics.find('us-east-1', LB)
    if (metrics === undefined) throw new Error('no metrics')
    const before = metrics.totals().counters

    await setFault(t, {kind: 'capacity', instanceId, capacity: 1})
    // Slow enough that all 1,100 connections arrive while the first request is in flight, even on a loaded machine.
    const slow = await setFault(t, {kind: 'delay', instanceId, delayMs: 8000})
    const answers = Array.from({length: CLIENTS}, () => rawRequest(address, 80 + OFFSET))
    await eventually(() => (metrics.totals().counters.SpilloverCount - before.SpilloverCount === CLIENTS - 1 - SURGE_QUEUE_MAX ? true : undefined),
      30_000, 'the spillovers')
    expect(metrics.totals().surgeQueueLength).toBe(SURGE_QUEUE_MAX)
    // The instance is fast again (its capacity stays 1): the queue drains one request at a time.
    await t.admin.call('clearFaults', {id: slow.id})
    const lines = await Promise.all(answers)
    const counts = new Map<string, number>()
    for (const line of lines) counts.set(line, (counts.get(line) ?? 0) + 1)
    expect(Object.fromEntries(counts)).toEqual({
      'HTTP/1.1 200 OK': SURGE_QUEUE_MAX + 1,
      'HTTP/1.1 503 Service Unavailable: Back-end server is at capacity': CLIENTS - 1 - SURGE_QUEUE_MAX,
    })
    const after = metrics.totals()
    expect(after.counters.SpilloverCount - before.SpilloverCount).toBe(75)
    expect(after.counters.HTTPCode_ELB_5XX - before.HTTPCode_ELB_5XX).toBe(75)
    expect(after.counters.HTTPCode_Backend_2XX - before.HTTPCode_Backend_2XX).toBe(SURGE_QUEUE_MAX + 1)
    expect(after.surgeQueueLength).toBe(0)
    const minute = metrics.points(120, 60).metrics
    expect(Math.max(...(minute.SurgeQueueLength ?? []).map((value) => value ?? 0))).toBe(SURGE_QUEUE_MAX)
    expect((minute.SpilloverCount ?? []).reduce<number>((sum, value) => sum + (value ?? 0), 0)).toBe(75)
    // CloudWatch per Availability Zone: every request came through the node in us-east-1a.
    const cloudwatch = new CloudWatchClient({endpoint: t.endpoint, region: 'us-east-1', credentials: TEST_CREDENTIALS, maxAttempts: 1})
    const statistic = async (metricName: string, dimensions: Dimension[], statistic: 'Maximum' | 'Sum') => {
      const answer = await cloudwatch.send(new GetMetricStatisticsCommand({
        Namespace: 'AWS/ELB', MetricName: metricName, Dimensions: dimensions, Period: 3600, Statistics: [statistic],
        StartTime: new Date(Date.now() - 30 * 60_000), EndTime: new Date(Date.now() + 5 * 60_000),
      }))
      return (answer.Datapoints ?? []).map((point) => point[statistic])
    }
    for (const dimensions of [[{Name: 'LoadBalancerName', Value: LB}, {Name: 'AvailabilityZone', Value: 'us-east-1a'}], [{Name: 'AvailabilityZone', Value: 'us-east-1a'}]]) {
      expect(await statistic('SurgeQueueLength', dimensions, 'Maximum')).toEqual([SURGE_QUEUE_MAX])
      expect(await statistic('SpilloverCount', dimensions, 'Sum')).toEqual([75])
    }
    expect(await statistic('SpilloverCount', [{Name: 'AvailabilityZone', Value: 'us-east-1b'}], 'Sum')).toEqual([])
    cloudwatch.destroy()
    await clearFaults(t)
    expect((await send(address, 80 + OFFSET, '/after')).status).toBe(200)
  }, 90_000)
})
