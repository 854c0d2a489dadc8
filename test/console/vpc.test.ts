/**
 * The console in a VPC account (the engine's default), in a real browser against a real engine: a
 * load balancer's Description tab shows its VPC, subnets, security groups, scheme and source group
 * as DescribeLoadBalancers gives them, and the wizard places a load balancer in the subnets and
 * groups the user picks — in the default VPC and in a VPC made through the EC2 API.
 */
import {CreateSubnetCommand, CreateVpcCommand, EC2Client} from '@aws-sdk/client-ec2'
import {CreateLoadBalancerCommand, DescribeLoadBalancersCommand, type LoadBalancerDescription} from '@aws-sdk/client-elastic-load-balancing'
import type {Browser, Page} from 'playwright-core'
import type {NetworkState} from '../../src/engine/model/network-types.js'
import {startTestEngine, TEST_CREDENTIALS, type TestEngine} from '../helpers/engine.js'
import {consolePage, describeWithBrowser, launchBrowser} from './browser.js'

const OFFSET = 20_000 + 100 * Math.floor(Math.random() * 300)
const LB = 'VpcLoadBalancer'
let t: TestEngine
let ec2: EC2Client
let browser: Browser | undefined
let page: Page
let problems: string[]

const network = (): NetworkState => {
  const found = t.engine.store.region('us-east-1').network
  if (found === undefined) throw new Error('the VPC account has no network')
  return found
}
const defaultSubnet = (zone: string) => network().subnets.find((subnet) => subnet.defaultForAz && subnet.availabilityZone === zone)?.subnetId ?? ''
const defaultGroup = (vpcId: string) => network().securityGroups.find((group) => group.vpcId === vpcId && group.groupName === 'default')?.groupId ?? ''

async function described(name: string): Promise<LoadBalancerDescription | undefined> {
  return (await t.elb.send(new DescribeLoadBalancersCommand({LoadBalancerNames: [name]}))).LoadBalancerDescriptions?.[0]
}

beforeAll(async () => {
  t = await startTestEngine({portOffset: OFFSET})
  ec2 = new EC2Client({endpoint: t.endpoint, region: 'us-east-1', credentials: TEST_CREDENTIALS, maxAttempts: 1})
  const launched = await launchBrowser()
  browser = launched
  ;({page, problems} = await consolePage(launched))
}, 60_000)

afterAll(async () => {
  ec2.destroy()
  await browser?.close()
  await (t as TestEngine | undefined)?.close()
})

/** The Description tab's facts, term → definition. */
async function facts(): Promise<Record<string, string>> {
  const terms = await page.locator('dl.facts dt').allInnerTexts()
  const definitions = await page.locator('dl.facts dd').allInnerTexts()
  return Object.fromEntries(terms.map((term, index) => [term, definitions[index] ?? '']))
}

/** DEFINE LOAD BALANCER with one HTTP 80 → 80 listener (the wizard's default row), waiting for the Network choices. */
async function openWizard(name: string): Promise<void> {
  await page.goto(`${t.endpoint}/console/#/load-balancers`)
  await page.getByRole('link', {name: 'Create Load Balancer'}).click()
  await page.getByRole('heading', {level: 2, name: 'DEFINE LOAD BALANCER'}).waitFor()
  await page.getByLabel('Load Balancer Name').fill(name)
  await page.getByLabel('Create LB Inside').waitFor()
}

async function continueTo(heading: string): Promise<void> {
  await page.getByRole('button', {name: 'Continue'}).click()
  await page.getByRole('heading', {level: 2, name: heading}).waitFor()
}

async function createFromReview(): Promise<void> {
  await continueTo('Configure Health Check')
  await continueTo('Add Amazon EC2 Instances')
  await continueTo('Review')
  await page.getByRole('button', {name: 'Create'}).click()
  await page.getByRole('heading', {name: 'Load Balancer Created'}).waitFor()
}

describeWithBrowser('the console in a VPC account', () => {
  test('the Description tab shows the VPC, subnets, security groups, scheme and source group', async () => {
    const vpcId = network().vpcs.find((vpc) => vpc.isDefault)?.vpcId ?? ''
    await t.elb.send(new CreateLoadBalancerCommand({
      LoadBalancerName: LB, Subnets: [defaultSubnet('us-east-1a'), defaultSubnet('us-east-1c')], SecurityGroups: [defaultGroup(vpcId)],
      Listeners: [{Protocol: 'HTTP', LoadBalancerPort: 80, InstanceProtocol: 'HTTP', InstancePort: 80}],
    }))
    await page.goto(`${t.endpoint}/console/#/load-balancers/${LB}/Description`)
    await page.locator('dl.facts dt', {hasText: 'VPC'}).waitFor()
    expect(await facts()).toMatchObject({
      Scheme: 'internet-facing',
      'Availability Zones': 'us-east-1a, us-east-1c',
      VPC: vpcId,
      Subnets: `${defaultSubnet('us-east-1a')}, ${defaultSubnet('us-east-1c')}`,
      'Security Groups': defaultGroup(vpcId),
      'Source Security Group': `${t.engine.store.state.accountId}/default`,
    })
    expect(problems).toEqual([])
  }, 30_000)

  test('the wizard places a load balancer in the default VPC\'s subnet the user picks, with ELB\'s default_elb_ group', async () => {
    const vpcId = network().vpcs.find((vpc) => vpc.isDefault)?.vpcId ?? ''
    await openWizard('WizardInDefaultVpc')
    expect(await page.getByLabel('Create LB Inside').inputValue()).toBe(vpcId)
    await page.getByLabel('Subnet in us-east-1b').selectOption(defaultSubnet('us-east-1b'))
    await createFromReview()
    const elbGroup = network().securityGroups.find((group) => group.vpcId === vpcId && group.groupName.startsWith('default_elb_'))
    expect(await described('WizardInDefaultVpc')).toMatchObject({
      VPCId: vpcId, Subnets: [defaultSubnet('us-east-1b')], AvailabilityZones: ['us-east-1b'], SecurityGroups: [elbGroup?.groupId], Scheme: 'internet-facing',
    })
    expect(problems).toEqual([])
  }, 60_000)

  test('the wizard gives the load balancer the security group the user checks, in two subnets', async () => {
    const vpcId = network().vpcs.find((vpc) => vpc.isDefault)?.vpcId ?? ''
    await openWizard('WizardWithGroup')
    await page.getByLabel('Subnet in us-east-1a').selectOption(defaultSubnet('us-east-1a'))
    await page.getByLabel('Subnet in us-east-1c').selectOption(defaultSubnet('us-east-1c'))
    await page.getByLabel('Security group default', {exact: true}).check()
    await createFromReview()
    expect(await described('WizardWithGroup')).toMatchObject({
      VPCId: vpcId, Subnets: [defaultSubnet('us-east-1a'), defaultSubnet('us-east-1c')], AvailabilityZones: ['us-east-1a', 'us-east-1c'],
      SecurityGroups: [defaultGroup(vpcId)], SourceSecurityGroup: {OwnerAlias: t.engine.store.state.accountId, GroupName: 'default'},
    })
    expect(problems).toEqual([])
  }, 60_000)

  test('in another VPC the wizard asks for a subnet, then makes an internal load balancer there with the VPC\'s default group', async () => {
    const vpcId = (await ec2.send(new CreateVpcCommand({CidrBlock: '10.20.0.0/16'}))).Vpc?.VpcId ?? ''
    const subnetId = (await ec2.send(new CreateSubnetCommand({VpcId: vpcId, CidrBlock: '10.20.1.0/24', AvailabilityZone: 'us-east-1a'}))).Subnet?.SubnetId ?? ''
    await openWizard('WizardInOwnVpc')
    await page.getByLabel('Create LB Inside').selectOption(vpcId)
    await page.getByRole('button', {name: 'Continue'}).click()
    await page.getByText('Choose a subnet in at least one Availability Zone.').waitFor()
    await page.getByLabel('Subnet in us-east-1a').selectOption(subnetId)
    // The VPC has no internet gateway: only an internal load balancer may live there (AWS's rule).
    await page.getByLabel('Create an internal load balancer').check()
    await createFromReview()
    expect(await described('WizardInOwnVpc')).toMatchObject({
      VPCId: vpcId, Subnets: [subnetId], SecurityGroups: [defaultGroup(vpcId)], Scheme: 'internal',
      DNSName: expect.stringMatching(/^internal-WizardInOwnVpc-\d+\.us-east-1\.elb\.amazonaws\.com$/) as string,
    })
    expect(problems).toEqual([])
  }, 60_000)
})
