/**
 * The Instances page's faults in a real browser: set one on an instance (the load balancer then
 * relays the instance's faulty answer), see it listed, clear it (service comes back) — each step
 * checked through the admin API and a real request through the load balancer.
 */
import {CreateLoadBalancerCommand, RegisterInstancesWithLoadBalancerCommand} from '@aws-sdk/client-elastic-load-balancing'
import type {Browser, Page} from 'playwright-core'
import {eventually, startTestEngine, type TestEngine} from '../helpers/engine.js'
import {send, waitForState} from '../engine/faults/fault-helpers.js'
import {consolePage, describeWithBrowser, launchBrowser} from './browser.js'

const OFFSET = 23_000 + 10 * Math.floor(Math.random() * 300)
const LB = 'ConsoleFaults'
let t: TestEngine
let browser: Browser | undefined
let page: Page
let problems: string[]
let instanceId: string
let address: string

beforeAll(async () => {
  t = await startTestEngine({portOffset: OFFSET})
  const [instance] = await t.runInstances({serve: [{protocol: 'http', port: 80}]})
  instanceId = instance?.instanceId ?? ''
  await t.elb.send(new CreateLoadBalancerCommand({
    LoadBalancerName: LB, AvailabilityZones: ['us-east-1a'],
    Listeners: [{Protocol: 'HTTP', LoadBalancerPort: 80, InstanceProtocol: 'HTTP', InstancePort: 80}],
  }))
  await t.elb.send(new RegisterInstancesWithLoadBalancerCommand({LoadBalancerName: LB, Instances: [{InstanceId: instanceId}]}))
  await waitForState(t, LB, instanceId, 'InService')
  address = t.engine.store.state.regions['us-east-1']?.loadBalancers.find((lb) => lb.name === LB)?.localAddress ?? ''
  const launched = await launchBrowser()
  browser = launched
  ;({page, problems} = await consolePage(launched))
}, 60_000)

afterAll(async () => {
  await browser?.close()
  await (t as TestEngine | undefined)?.close()
})

describeWithBrowser('console: faults on the Instances page', () => {
  test('set a status fault on an instance, see it listed and answered through the load balancer, clear it', async () => {
    await page.goto(`${t.endpoint}/console/#/instances`)
    await page.getByLabel('Fault', {exact: true}).selectOption('status')
    await page.getByLabel('Instance', {exact: true}).fill(instanceId)
    await page.getByLabel('Status code').fill('503')
    await page.getByRole('button', {name: 'Set fault'}).click()
    const row = page.locator('tr', {hasText: 'fault-1'})
    await row.getByText('status 503').waitFor()
    expect((await t.admin.call('faults', {})).faults).toMatchObject([{id: 'fault-1', kind: 'status', instanceId, status: 503, probability: 1}])
    const faulty = await send(address, 80 + OFFSET, '/console-fault')
    expect(faulty).toMatchObject({status: 503, body: 'fault fault-1: status 503\n'})
    await row.getByRole('button', {name: /^Clear/}).click()
    await row.waitFor({state: 'detached'})
    expect((await t.admin.call('faults', {})).faults).toEqual([])
    await eventually(async () => ((await send(address, 80 + OFFSET, '/console-cleared')).status === 200 ? true : undefined), 5_000, 'service back')
  }, 60_000)

  test('a fault the engine refuses shows its error and sets nothing', async () => {
    await page.goto(`${t.endpoint}/console/#/instances`)
    await page.getByLabel('Fault', {exact: true}).selectOption('delay')
    await page.getByLabel('Instance', {exact: true}).fill(instanceId)
    await page.getByLabel('Delay (ms)').fill('soon')
    await page.getByRole('button', {name: 'Set fault'}).click()
    await page.getByText('delayMs must be a whole number').waitFor()
    expect((await t.admin.call('faults', {})).faults).toEqual([])
    expect(problems).toEqual([])
  }, 60_000)
})
