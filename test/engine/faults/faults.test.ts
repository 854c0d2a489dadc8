/**
 * Faults on demand (`elb-local fault set`, src/engine/faults) through the whole engine: for each
 * kind, what the client receives, what the access log and the metrics record, the health
 * transitions it causes, and that clearing it restores service. docs/faults.md names these tests.
 */
import {
  ConfigureHealthCheckCommand, CreateLoadBalancerCommand, ModifyLoadBalancerAttributesCommand, RegisterInstancesWithLoadBalancerCommand,
} from '@aws-sdk/client-elastic-load-balancing'
import {startTestEngine, eventually, type TestEngine} from '../../helpers/engine.js'
import {accessLogFields, accessLogLinesNow, accessLogNow, clearFaults, FIELD, rawExchange, send, setFault, waitForState} from './fault-helpers.js'

const OFFSET = 31_000 + 10 * Math.floor(Math.random() * 800)
const LB = 'faults'
const ZONES_LB = 'faults-zones'
const BUCKET = 'fault-logs'
/** The default idle timeout (60 s) at the test time scale (0.01). */
const IDLE_MS = 600
const FAILED_CHECKS = 'Instance has failed at least the UnhealthyThreshold number of health checks consecutively.'

describe('faults on demand through the engine', () => {
  let t: TestEngine
  let instanceId: string
  let address: string
  const log: string[] = []
  const get = (path: string) => send(address, 80 + OFFSET, path)
  const counters = () => {
    const metrics = t.engine.metrics.find('us-east-1', LB)
    if (metrics === undefined) throw new Error('no metrics yet')
    return metrics.totals()
  }
  /** Counter increases over `run`. */
  async function delta<T>(run: () => Promise<T>): Promise<{result: T; changed: (name: keyof ReturnType<typeof counters>['counters']) => number}> {
    const before = counters().counters
    const result = await run()
    const after = counters().counters
    return {result, changed: (name) => after[name] - before[name]}
  }

  async function servedLoadBalancer(name: string, ids: string[], zones: string[]): Promise<string> {
    await t.elb.send(new CreateLoadBalancerCommand({
      LoadBalancerName: name, AvailabilityZones: zones,
      Listeners: [{Protocol: 'HTTP', LoadBalancerPort: 80, InstanceProtocol: 'HTTP', InstancePort: 80}],
    }))
    await t.elb.send(new ConfigureHealthCheckCommand({LoadBalancerName: name, HealthCheck: {Target: 'HTTP:80/', Interval: 30, Timeout: 5, UnhealthyThreshold: 2, HealthyThreshold: 2}}))
    await t.elb.send(new ModifyLoadBalancerAttributesCommand({LoadBalancerName: name, LoadBalancerAttributes: {
      CrossZoneLoadBalancing: {Enabled: true},
      AccessLog: {Enabled: true, S3BucketName: BUCKET, EmitInterval: 5},
    }}))
    await t.elb.send(new RegisterInstancesWithLoadBalancerCommand({LoadBalancerName: name, Instances: ids.map((InstanceId) => ({InstanceId}))}))
    for (const id of ids) await waitForState(t, name, id, 'InService')
    return t.engine.store.state.regions['us-east-1']?.loadBalancers.find((lb) => lb.name === name)?.localAddress ?? ''
  }

  beforeAll(async () => {
    t = await startTestEngine({portOffset: OFFSET, log: (line) => { log.push(line) }})
    const [instance] = await t.runInstances({availabilityZone: 'us-east-1c', serve: [{protocol: 'http', port: 80}]})
    instanceId = instance?.instanceId ?? ''
    address = await servedLoadBalancer(LB, [instanceId], ['us-east-1c'])
    expect((await get('/warm-up')).status).toBe(200)
  }, 60_000)

  afterAll(async () => {
    await t.close()
  })

  /** Clearing restores service: the instance is InService and answers 200 again. */
  async function clearAndExpectService(path: string): Promise<void> {
    await clearFaults(t)
    await waitForState(t, LB, instanceId, 'InService')
    await eventually(async () => ((await get(path)).status === 200 ? true : undefined), 10_000, `${path} answered 200 again`)
  }

  test('refuse: 502 and a BackendConnectionError; failed health checks take it OutOfService (503); cleared, InService and 200', async () => {
    const fault = await setFault(t, {kind: 'refuse', instanceId})
    expect(log.some((line) => line.includes(`fault ${fault.id} set: refuse on ${instanceId} (us-east-1)`))).toBe(true)
    const {result, changed} = await delta(() => get('/refuse'))
    expect(result).toMatchObject({status: 502, statusMessage: 'Bad Gateway', body: ''})
    expect(changed('HTTPCode_ELB_5XX')).toBe(1)
    expect(changed('BackendConnectionErrors')).toBe(1)
    const fields = await accessLogFields(t.home, BUCKET, '/refuse')
    expect([fields[FIELD.backend], fields[FIELD.requestTime], fields[FIELD.backendTime], fields[FIELD.responseTime], fields[FIELD.elbStatus], fields[FIELD.backendStatus]])
      .toEqual(['-', '-1', '-1', '-1', '502', '-'])
    expect(await waitForState(t, LB, instanceId, 'OutOfService')).toEqual({state: 'OutOfService', description: FAILED_CHECKS})
    expect(await get('/refuse-out')).toMatchObject({status: 503, statusMessage: 'Service Unavailable: Back-end server is at capacity', body: ''})
    await clearAndExpectService('/refuse-cleared')
    expect(log.some((line) => line.includes(`fault ${fault.id} cleared: refuse on ${instanceId}`))).toBe(true)
  })

  test('hang: 504 GATEWAY_TIMEOUT after the idle timeout; the health checks still pass; cleared, 200', async () => {
    await setFault(t, {kind: 'hang', instanceId})
    const {result, changed} = await delta(() => get('/hang'))
    expect(result).toMatchObject({status: 504, statusMessage: 'GATEWAY_TIMEOUT', body: ''})
    expect(result.ms).toBeGreaterThanOrEqual(IDLE_MS - 50)
    expect(result.ms).toBeLessThan(IDLE_MS * 8)
    expect(changed('HTTPCode_ELB_5XX')).toBe(1)
    expect(changed('BackendConnectionErrors')).toBe(0)
    const fields = await accessLogFields(t.home, BUCKET, '/hang')
    expect([fields[FIELD.backend], fields[FIELD.backendTime], fields[FIELD.elbStatus], fields[FIELD.backendStatus]]).toEqual(['-', '-1', '504', '-'])
    expect((await waitForState(t, LB, instanceId, 'InService')).state).toBe('InService')
    await clearAndExpectService('/hang-cleared')
  })

  test('delay: the answer comes at least the delay late and Latency shows it; longer than the idle timeout, 504', async () => {
    await setFault(t, {kind: 'delay', instanceId, delayMs: 300})
    const latencyBefore = counters().latencySum
    const slow = await get('/delay')
    expect(slow.status).toBe(200)
    expect(slow.ms).toBeGreaterThanOrEqual(290)
    expect(slow.ms).toBeLessThan(IDLE_MS)
    expect(counters().latencySum - latencyBefore).toBeGreaterThanOrEqual(0.29)
    const fields = await accessLogFields(t.home, BUCKET, '/delay')
    expect(Number(fields[FIELD.backendTime])).toBeGreaterThanOrEqual(0.29)
    expect([fields[FIELD.elbStatus], fields[FIELD.backendStatus]]).toEqual(['200', '200'])
    await clearFaults(t)
    await setFault(t, {kind: 'delay', instanceId, delayMs: IDLE_MS * 3})
    expect(await get('/delay-too-long')).toMatchObject({status: 504, statusMessage: 'GATEWAY_TIMEOUT'})
    await clearAndExpectService('/delay-cleared')
    expect((await get('/delay-cleared-fast')).ms).toBeLessThan(290)
  })

  test('status: the instance\'s own status is relayed and counted as HTTPCode_Backend_5XX, not the ELB\'s', async () => {
    const fault = await setFault(t, {kind: 'status', instanceId, status: 500})
    const {result, changed} = await delta(() => get('/status'))
    expect(result).toMatchObject({status: 500, body: `fault ${fault.id}: status 500\n`})
    expect(changed('HTTPCode_Backend_5XX')).toBe(1)
    expect(changed('HTTPCode_ELB_5XX')).toBe(0)
    const fields = await accessLogFields(t.home, BUCKET, '/status')
    expect([fields[FIELD.elbStatus], fields[FIELD.backendStatus]]).toEqual(['500', '500'])
    expect(fields[FIELD.backend]).toMatch(/^127\.\d+\.\d+\.\d+:80$/)
    await clearAndExpectService('/status-cleared')
  })

  test('malformed: the load balancer cannot parse the answer: 502 Bad Gateway, HTTPCode_ELB_5XX', async () => {
    await setFault(t, {kind: 'malformed', instanceId})
    const {result, changed} = await delta(() => get('/malformed'))
    expect(result).toMatchObject({status: 502, statusMessage: 'Bad Gateway', body: ''})
    expect(changed('HTTPCode_ELB_5XX')).toBe(1)
    expect(changed('HTTPCode_Backend_2XX')).toBe(0)
    const fields = await accessLogFields(t.home, BUCKET, '/malformed')
    expect([fields[FIELD.backend], fields[FIELD.elbStatus], fields[FIELD.backendStatus]]).toEqual(['-', '502', '-'])
    await clearAndExpectService('/malformed-cleared')
  })

  test('reset: the response is cut off mid-body (the client sees it incomplete); no access-log line', async () => {
    await setFault(t, {kind: 'reset', instanceId})
    const answer = await get('/reset')
    expect(answer.status).toBe(200)
    expect(answer.error).toBeDefined()
    expect(answer.body.length).toBeLessThan(64 * 1024)
    // The next request's line is written after it: had /reset been logged, it would be there by then.
    await clearAndExpectService('/reset-cleared')
    await accessLogFields(t.home, BUCKET, '/reset-cleared')
    expect(accessLogLinesNow(t.home, BUCKET, '/reset')).toEqual([])
  })

  test('close-after-headers: the instance closes without answering: 504 GATEWAY_TIMEOUT at once', async () => {
    await setFault(t, {kind: 'close-after-headers', instanceId})
    const {result, changed} = await delta(() => get('/closed'))
    expect(result).toMatchObject({status: 504, statusMessage: 'GATEWAY_TIMEOUT', body: ''})
    expect(result.ms).toBeLessThan(IDLE_MS)
    expect(changed('HTTPCode_ELB_5XX')).toBe(1)
    const fields = await accessLogFields(t.home, BUCKET, '/closed')
    expect([fields[FIELD.backend], fields[FIELD.requestTime], fields[FIELD.elbStatus], fields[FIELD.backendStatus]]).toEqual(['-', '-1', '504', '-'])
    await clearAndExpectService('/closed-cleared')
  })

  test('fail-health-checks: OutOfService with the failed-checks reason, UnHealthyHostCount 1, 503; cleared, InService', async () => {
    await setFault(t, {kind: 'fail-health-checks', instanceId})
    expect(await waitForState(t, LB, instanceId, 'OutOfService')).toEqual({state: 'OutOfService', description: FAILED_CHECKS})
    await eventually(() => (counters().unhealthy === 1 && counters().healthy === 0 ? true : undefined), 5_000, 'UnHealthyHostCount 1')
    const {result, changed} = await delta(() => get('/unhealthy'))
    expect(result).toMatchObject({status: 503, statusMessage: 'Service Unavailable: Back-end server is at capacity'})
    expect(changed('HTTPCode_ELB_5XX')).toBe(1)
    expect(changed('BackendConnectionErrors')).toBe(0)
    const fields = await accessLogFields(t.home, BUCKET, '/unhealthy')
    expect([fields[FIELD.backend], fields[FIELD.elbStatus], fields[FIELD.backendStatus]]).toEqual(['-', '503', '-'])
    await clearAndExpectService('/unhealthy-cleared')
    await eventually(() => (counters().healthy === 1 ? true : undefined), 5_000, 'HealthyHostCount 1')
  })

  test('fail-health-checks with probability 0.5: the instance flaps between OutOfService and InService while the fault stays', async () => {
    await setFault(t, {kind: 'fail-health-checks', instanceId, probability: 0.5})
    expect(await waitForState(t, LB, instanceId, 'OutOfService', 30_000)).toEqual({state: 'OutOfService', description: FAILED_CHECKS})
    expect((await waitForState(t, LB, instanceId, 'InService', 30_000)).state).toBe('InService')
    expect((await t.admin.call('faults', {})).faults).toMatchObject([{kind: 'fail-health-checks', probability: 0.5}])
    await clearAndExpectService('/flap-cleared')
  }, 70_000)

  test('zone-outage: the zone\'s instances become unreachable and OutOfService; traffic goes to the other zone; cleared, both InService', async () => {
    const instances = await t.runInstances({count: 1, availabilityZone: 'us-east-1a', serve: [{protocol: 'http', port: 80}]})
    const others = await t.runInstances({count: 1, availabilityZone: 'us-east-1b', serve: [{protocol: 'http', port: 80}]})
    const [down, up] = [instances[0]?.instanceId ?? '', others[0]?.instanceId ?? '']
    const zonesAddress = await servedLoadBalancer(ZONES_LB, [down, up], ['us-east-1a', 'us-east-1b'])
    await setFault(t, {kind: 'zone-outage', availabilityZone: 'us-east-1a'})
    const served = new Set<string>()
    for (let i = 0; i < 6; i++) {
      const answer = await send(zonesAddress, 80 + OFFSET, `/zone-${i}`)
      expect(answer.status).toBe(200)
      served.add((JSON.parse(answer.body) as {instanceId: string}).instanceId)
    }
    expect([...served]).toEqual([up])
    expect(await waitForState(t, ZONES_LB, down, 'OutOfService')).toEqual({state: 'OutOfService', description: FAILED_CHECKS})
    expect((await waitForState(t, ZONES_LB, up, 'InService')).state).toBe('InService')
    // The other load balancer's instance is in us-east-1c: untouched.
    expect((await get('/zone-elsewhere')).status).toBe(200)
    await clearFaults(t)
    await waitForState(t, ZONES_LB, down, 'InService')
  })

  test('duration and probability: a fault with a duration clears itself (logged); probability 0.5 hits some requests', async () => {
    const timed = await setFault(t, {kind: 'status', instanceId, status: 503, durationSeconds: 0.5})
    expect(timed.expiresAt).toBeDefined()
    expect((await get('/timed')).status).toBe(503)
    await eventually(() => (log.some((line) => line.includes(`fault ${timed.id} expired`)) ? true : undefined), 5_000, 'the fault to expire')
    expect((await t.admin.call('faults', {})).faults).toEqual([])
    expect((await get('/timed-over')).status).toBe(200)
    await setFault(t, {kind: 'status', instanceId, status: 500, probability: 0.5})
    const statuses = new Set<number>()
    for (let i = 0; i < 40 && statuses.size < 2; i++) statuses.add((await get(`/coin-${i}`)).status)
    expect([...statuses].sort()).toEqual([200, 500])
    await clearAndExpectService('/coin-cleared')
  })

  test('no fault needed: 400, 405 and 408 come from the load balancer itself, logged and counted as HTTPCode_ELB_4XX', async () => {
    const port = 80 + OFFSET
    const {result, changed} = await delta(async () => [
      await rawExchange(address, port, 'GET /a b HTTP/1.1\r\nHost: a\r\n\r\n'),
      await rawExchange(address, port, `${'M'.repeat(128)} / HTTP/1.1\r\nHost: a\r\n\r\n`),
      await rawExchange(address, port, 'GET /partial HTTP/1.1\r\nHost: a'),
    ])
    expect(result.map((reply) => reply.split('\r\n')[0])).toEqual(['HTTP/1.1 400 BAD_REQUEST', 'HTTP/1.1 405 METHOD_NOT_ALLOWED', 'HTTP/1.1 408 REQUEST_TIMEOUT'])
    expect(changed('HTTPCode_ELB_4XX')).toBe(3)
    expect(changed('HTTPCode_Backend_2XX')).toBe(0)
    const logged = await eventually(() => {
      const lines = accessLogNow(t.home, BUCKET).filter((fields) => ['400', '405', '408'].includes(fields[FIELD.elbStatus] ?? ''))
      return lines.length >= 3 ? lines : undefined
    }, 5_000, 'the three lines')
    expect(logged.map((fields) => [fields[FIELD.backend], fields[FIELD.backendTime], fields[FIELD.elbStatus], fields[FIELD.backendStatus]]))
      .toEqual([['-', '-1', '400', '-'], ['-', '-1', '405', '-'], ['-', '-1', '408', '-']])
  })

  test('the admin API refuses a bad fault with AWS-style codes and sets nothing', async () => {
    const refused = async (body: Record<string, unknown>) => {
      const error = await t.admin.call('setFault', body as never).then(() => undefined, (e: unknown) => e as {code: string; message: string})
      return error === undefined ? undefined : {code: error.code, message: error.message}
    }
    expect(await refused({kind: 'explode', instanceId})).toMatchObject({code: 'InvalidParameterValue'})
    expect(await refused({kind: 'delay', instanceId})).toEqual({code: 'MissingParameter', message: 'A delay fault needs delayMs.'})
    expect(await refused({kind: 'refuse', instanceId, status: 500})).toEqual({code: 'InvalidParameterCombination', message: 'A refuse fault takes no status.'})
    expect(await refused({kind: 'refuse', instanceId: 'i-00000000'})).toMatchObject({code: 'InvalidInstanceID.NotFound'})
    expect(await refused({kind: 'zone-outage', availabilityZone: 'eu-west-1a'})).toEqual({code: 'InvalidParameterValue', message: 'Invalid availability zone: [eu-west-1a]'})
    expect(await refused({kind: 'refuse', instanceId, probability: 2})).toMatchObject({code: 'InvalidParameterValue'})
    expect(await refused({kind: 'refuse', instanceId, durationSeconds: -1})).toMatchObject({code: 'InvalidParameterValue'})
    const clearUnknown = await t.admin.call('clearFaults', {id: 'fault-999999'}).then(() => undefined, (e: unknown) => (e as {code: string}).code)
    expect(clearUnknown).toBe('InvalidFault.NotFound')
    expect((await t.admin.call('faults', {})).faults).toEqual([])
    expect((await t.admin.status()).faults).toEqual([])
  })
})
