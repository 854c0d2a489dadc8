/**
 * The console in a VPC account, in a real browser against a real engine: a load balancer's
 * Description tab shows its VPC, subnets, security groups, scheme and source group as
 * DescribeLoadBalancers gives them.
 */
import {CreateLoadBalancerCommand} from '@aws-sdk/client-elastic-load-balancing'
import {castDraft} from 'immer'
import type {Browser, Page} from 'playwright-core'
import type {RegionState} from '../../src/engine/model/types.js'
import {startTestEngine, type TestEngine} from '../helpers/engine.js'
import {vpcNetwork} from '../unit/engine/elb/vpc-fixture.js'
import {consolePage, describeWithBrowser, launchBrowser} from './browser.js'

const OFFSET = 20_000 + 100 * Math.floor(Math.random() * 300)
const LB = 'VpcLoadBalancer'
let t: TestEngine
let browser: Browser | undefined
let page: Page
let problems: string[]

beforeAll(async () => {
  t = await startTestEngine({portOffset: OFFSET})
  t.engine.store.update((state) => {
    state.platform = 'vpc'
    const region: RegionState = {loadBalancers: [], instances: [], network: vpcNetwork()}
    state.regions['us-east-1'] = castDraft(region)
  })
  await t.elb.send(new CreateLoadBalancerCommand({
    LoadBalancerName: LB, Subnets: ['subnet-da', 'subnet-dc'], SecurityGroups: ['sg-web', 'sg-default'],
    Listeners: [{Protocol: 'HTTP', LoadBalancerPort: 80, InstanceProtocol: 'HTTP', InstancePort: 80}],
  }))
  const launched = await launchBrowser()
  browser = launched
  ;({page, problems} = await consolePage(launched))
}, 60_000)

afterAll(async () => {
  await browser?.close()
  await (t as TestEngine | undefined)?.close()
})

/** The Description tab's facts, term → definition. */
async function facts(): Promise<Record<string, string>> {
  const terms = await page.locator('dl.facts dt').allInnerTexts()
  const definitions = await page.locator('dl.facts dd').allInnerTexts()
  return Object.fromEntries(terms.map((term, index) => [term, definitions[index] ?? '']))
}

describeWithBrowser('the console in a VPC account', () => {
  test('the Description tab shows the VPC, subnets, security groups, scheme and source group', async () => {
    await page.goto(`${t.endpoint}/console/#/load-balancers/${LB}/Description`)
    await page.locator('dl.facts dt', {hasText: 'VPC'}).waitFor()
    expect(await facts()).toMatchObject({
      Scheme: 'internet-facing',
      'Availability Zones': 'us-east-1a, us-east-1c',
      VPC: 'vpc-default',
      Subnets: 'subnet-da, subnet-dc',
      'Security Groups': 'sg-web, sg-default',
      'Source Security Group': '123456789012/web-elb',
    })
    expect(problems).toEqual([])
  }, 30_000)
})
