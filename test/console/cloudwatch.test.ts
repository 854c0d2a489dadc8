/**
 * The Monitoring tab as a CloudWatch client of the engine (issue 19), in a real browser logged in
 * to an engine that verifies signatures: the ranges past the last hour are CloudWatch statistics
 * (GetMetricData) whose RequestCount total is exactly the requests sent; an alarm created from the
 * RequestCount chart is refused inline with AWS's error, then created, listed with its state and
 * visible to the SDK's DescribeAlarms; traffic drives it to ALARM with AWS's reason; it is deleted.
 */
import {CloudWatchClient, DescribeAlarmsCommand, GetMetricStatisticsCommand} from '@aws-sdk/client-cloudwatch'
import {ConfigureHealthCheckCommand, CreateLoadBalancerCommand, DescribeInstanceHealthCommand, RegisterInstancesWithLoadBalancerCommand} from '@aws-sdk/client-elastic-load-balancing'
import type {Browser, Page} from 'playwright-core'
import {eventually, startTestEngine, TEST_CREDENTIALS, type TestEngine} from '../helpers/engine.js'
import {getThrough} from '../helpers/served-lb.js'
import {consolePage, describeWithBrowser, launchBrowser, screenshot} from './browser.js'

const OFFSET = 20_000 + 100 * Math.floor(Math.random() * 300)
const LB = 'WatchedLoadBalancer'
const REQUESTS = 25
const ALARM = `awselb-${LB}-High-RequestCount`

let t: TestEngine
let cloudwatch: CloudWatchClient
let browser: Browser | undefined
let page: Page
let problems: string[]

beforeAll(async () => {
  // Signatures verified: the SDK signs with a key of the file, the console rides on its login cookie.
  t = await startTestEngine({timeScale: 0.02, portOffset: OFFSET, credentials: new Map([[TEST_CREDENTIALS.accessKeyId, TEST_CREDENTIALS.secretAccessKey]])})
  cloudwatch = new CloudWatchClient({endpoint: t.endpoint, region: 'us-east-1', credentials: TEST_CREDENTIALS, maxAttempts: 1})
  const instances = await t.runInstances({count: 2, availabilityZone: 'us-east-1a', serve: [{protocol: 'http', port: 80}]})
  await t.elb.send(new CreateLoadBalancerCommand({
    LoadBalancerName: LB, AvailabilityZones: ['us-east-1a'],
    Listeners: [{Protocol: 'HTTP', LoadBalancerPort: 80, InstanceProtocol: 'HTTP', InstancePort: 80}],
  }))
  await t.elb.send(new ConfigureHealthCheckCommand({LoadBalancerName: LB, HealthCheck: {
    Target: 'HTTP:80/', Interval: 30, Timeout: 5, UnhealthyThreshold: 2, HealthyThreshold: 2,
  }}))
  await t.elb.send(new RegisterInstancesWithLoadBalancerCommand({LoadBalancerName: LB, Instances: instances.map(({instanceId}) => ({InstanceId: instanceId}))}))
  await eventually(async () => {
    const states = (await t.elb.send(new DescribeInstanceHealthCommand({LoadBalancerName: LB}))).InstanceStates ?? []
    return states.length === 2 && states.every((state) => state.State === 'InService') ? true : undefined
  }, 20_000, 'both instances InService')
  const launched = await launchBrowser()
  browser = launched
  ;({page, problems} = await consolePage(launched))
}, 60_000)

afterAll(async () => {
  await browser?.close()
  cloudwatch.destroy()
  await (t as TestEngine | undefined)?.close()
})

const get = () => getThrough(t, LB, OFFSET)

/** RequestCount's Sum over the last day, as the SDK reads it from CloudWatch. */
async function requestCountOverDay(): Promise<number> {
  const now = Date.now()
  const {Datapoints = []} = await cloudwatch.send(new GetMetricStatisticsCommand({
    Namespace: 'AWS/ELB', MetricName: 'RequestCount', Dimensions: [{Name: 'LoadBalancerName', Value: LB}],
    StartTime: new Date(now - 86_400_000), EndTime: new Date(now + 60_000), Period: 86_400 + 60, Statistics: ['Sum'],
  }))
  return Datapoints.reduce((sum, point) => sum + (point.Sum ?? 0), 0)
}

async function alarmState(): Promise<string | undefined> {
  const {MetricAlarms = []} = await cloudwatch.send(new DescribeAlarmsCommand({AlarmNames: [ALARM]}))
  return MetricAlarms[0]?.StateValue
}

describeWithBrowser('the Monitoring tab over CloudWatch', () => {
  test('1 day: the charts come from GetMetricData and RequestCount totals the requests sent', async () => {
    await page.goto(`${t.endpoint}${await t.admin.consoleLoginPath()}`)
    await page.goto(`${t.endpoint}/console/#/load-balancers/${LB}/Monitoring`)
    await page.locator('dl[data-range="5 min"]').waitFor({timeout: 15_000})
    for (let n = 0; n < REQUESTS; n++) expect(await get()).toBe(200)
    await eventually(async () => await requestCountOverDay() === REQUESTS ? true : undefined, 15_000, 'CloudWatch to count every request')
    const asked = page.waitForRequest((request) => request.method() === 'POST' && request.postData()?.includes('Action=GetMetricData') === true)
    await page.getByLabel('1 day', {exact: true}).check()
    const query = new URLSearchParams((await asked).postData() ?? '')
    expect([query.get('MetricDataQueries.member.1.MetricStat.Metric.MetricName'), query.get('MetricDataQueries.member.1.MetricStat.Period'), query.get('MetricDataQueries.member.1.MetricStat.Stat')])
      .toEqual(['RequestCount', '300', 'Sum'])
    const totals = page.locator('dl[data-range="1 day"]')
    await totals.waitFor()
    expect(await totals.locator('dd[data-metric="RequestCount"]').innerText()).toBe(String(REQUESTS))
    expect(await totals.locator('dd[data-metric="HTTPCode_Backend_2XX"]').innerText()).toBe(String(REQUESTS))
    expect(await totals.locator('dd[data-metric="Latency"]').innerText()).toMatch(/^\d+\.\d\d ms$/)
    await page.getByText('5 min per point').waitFor()
    expect(await page.locator('.chart canvas').count()).toBe(5)
    for (const [label, period] of [['3 h', '1 min'], ['12 h', '5 min'], ['1 week', '1 h']] as const) {
      await page.getByLabel(label, {exact: true}).check()
      await page.getByText(`${period} per point`).waitFor()
      expect(await page.locator(`dl[data-range="${label}"] dd[data-metric="RequestCount"]`).innerText()).toBe(String(REQUESTS))
    }
    await page.getByLabel('1 day', {exact: true}).check()
    await totals.waitFor()
    expect(problems).toEqual([])
  }, 60_000)

  test('an alarm from the RequestCount chart: AWS\'s error inline, then listed with its state, the same through the SDK, to ALARM, deleted', async () => {
    await page.getByRole('button', {name: 'Create alarm on RequestCount'}).click()
    const form = page.getByRole('form', {name: 'Create alarm on RequestCount'})
    expect(await page.evaluate<string>('document.activeElement?.id ?? ""')).toBe(await form.getByLabel('Statistic').getAttribute('id'))
    expect(await form.getByLabel('Alarm name').inputValue()).toBe(ALARM)
    await form.getByLabel('Threshold').fill('ten')
    await form.getByRole('button', {name: 'Create alarm'}).click()
    const threshold = form.getByLabel('Threshold')
    await form.locator('[aria-invalid="true"]').waitFor()
    expect(await threshold.getAttribute('aria-invalid')).toBe('true')
    const describedBy = await threshold.getAttribute('aria-describedby') ?? ''
    expect(await page.locator(`[id="${describedBy}"]`).innerText())
      .toBe('ValidationError: 1 validation error detected: Value \'ten\' at \'threshold\' failed to satisfy constraint: Member must be a valid double number')
    expect(await alarmState()).toBeUndefined()

    // One refusal at a time, each at its field: DatapointsToAlarm over EvaluationPeriods.
    await threshold.fill('1')
    await form.getByLabel('Whenever the value is').selectOption('GreaterThanOrEqualToThreshold')
    await form.getByLabel('Period', {exact: true}).selectOption('60')
    await form.getByLabel('Evaluation periods').fill('1')
    const datapoints = form.getByLabel('Datapoints to alarm')
    await datapoints.fill('2')
    await form.getByRole('button', {name: 'Create alarm'}).click()
    await form.locator('[aria-invalid="true"]').and(datapoints).waitFor()
    expect(await threshold.getAttribute('aria-invalid')).toBeNull()
    expect(await form.getByRole('alert').innerText()).toBe('InvalidParameterValue: DatapointsToAlarm must be less than or equal to EvaluationPeriods')
    await datapoints.fill('')
    await form.getByRole('button', {name: 'Create alarm'}).click()
    await form.waitFor({state: 'detached'})
    const row = page.getByRole('table', {name: 'Alarms'}).locator('tbody tr').filter({hasText: ALARM})
    await row.waitFor()
    expect(await row.innerText()).toContain('RequestCount Sum >= 1 for 1 datapoint within 1 minute')
    const {MetricAlarms = []} = await cloudwatch.send(new DescribeAlarmsCommand({AlarmNames: [ALARM]}))
    expect(MetricAlarms.map((alarm) => [alarm.Namespace, alarm.MetricName, alarm.Dimensions, alarm.Statistic, alarm.ComparisonOperator, alarm.Threshold, alarm.Period, alarm.EvaluationPeriods]))
      .toEqual([['AWS/ELB', 'RequestCount', [{Name: 'LoadBalancerName', Value: LB}], 'Sum', 'GreaterThanOrEqualToThreshold', 1, 60, 1]])
    const shownState = await row.locator('.state').innerText()
    expect(['INSUFFICIENT_DATA', 'OK', 'ALARM']).toContain(shownState)

    // The same name again: the form refuses rather than let PutMetricAlarm replace the alarm.
    await page.getByRole('button', {name: 'Create alarm on RequestCount'}).click()
    await form.getByLabel('Threshold').fill('1000')
    await form.getByRole('button', {name: 'Create alarm'}).click()
    await form.getByLabel('Alarm name').and(form.locator('[aria-invalid="true"]')).waitFor()
    expect(await form.getByRole('alert').innerText()).toBe(`Name taken: An alarm named ${ALARM} already exists in us-east-1; PutMetricAlarm would replace it. Choose another name, or delete that alarm first.`)
    await form.getByRole('button', {name: 'Cancel'}).click()
    expect((await cloudwatch.send(new DescribeAlarmsCommand({AlarmNames: [ALARM]}))).MetricAlarms?.[0]?.Threshold).toBe(1)

    // At time scale 0.02 a 60 s period lasts 1.2 s: steady traffic crosses the threshold within a few.
    const deadline = Date.now() + 30_000
    while (await row.locator('.state').innerText() !== 'ALARM') {
      if (Date.now() > deadline) throw new Error(`the alarm never showed ALARM (last: ${await row.innerText()})`)
      for (let n = 0; n < 5; n++) expect(await get()).toBe(200)
      await new Promise((resolve) => { setTimeout(resolve, 200) })
    }
    expect(await alarmState()).toBe('ALARM')
    expect(await row.innerText()).toMatch(/Threshold Crossed: 1 datapoint \[\d+(\.\d+)? \(.+\)\] was greater than or equal to the threshold \(1\.0\)\./)
    await screenshot(page, 'monitoring-cloudwatch')

    await row.getByRole('button', {name: 'Delete'}).click()
    await row.getByRole('button', {name: 'Yes, Delete'}).click()
    await row.waitFor({state: 'detached'})
    expect(await alarmState()).toBeUndefined()
    await page.getByText('No CloudWatch alarm watches this load balancer').waitFor()
    expect(problems).toEqual([])
  }, 90_000)
})
