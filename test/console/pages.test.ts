/**
 * The console's other pages in a real browser, each change checked through the SDK (the same API):
 * Certificates (upload, rename, delete), Instances (launch, stop, start, terminate), and one load
 * balancer's Description attributes, Health check, Listeners, Policies and Tags — AWS's errors shown
 * as they come.
 */
import {
  CreateLoadBalancerCommand, DescribeLoadBalancerAttributesCommand, DescribeLoadBalancerPoliciesCommand,
  DescribeLoadBalancersCommand, DescribeTagsCommand,
} from '@aws-sdk/client-elastic-load-balancing'
import {ListServerCertificatesCommand, UploadServerCertificateCommand} from '@aws-sdk/client-iam'
import type {Browser, Page} from 'playwright-core'
import {makePki, type Pki} from '../engine/iam/pki.js'
import {eventually, startTestEngine, type TestEngine} from '../helpers/engine.js'
import {consolePage, describeWithBrowser, launchBrowser} from './browser.js'

const OFFSET = 20_000 + 100 * Math.floor(Math.random() * 300)
const LB = 'PagesLoadBalancer'
let t: TestEngine
let browser: Browser | undefined
let page: Page
let problems: string[]
let pki: Pki

beforeAll(async () => {
  pki = makePki()
  t = await startTestEngine({portOffset: OFFSET})
  await t.elb.send(new CreateLoadBalancerCommand({
    LoadBalancerName: LB, AvailabilityZones: ['us-east-1a'],
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

const certificates = async () => ((await t.iam.send(new ListServerCertificatesCommand({}))).ServerCertificateMetadataList ?? []).map((m) => m.ServerCertificateName)
const tab = (name: string) => page.goto(`${t.endpoint}/console/#/load-balancers/${LB}/${encodeURIComponent(name)}`)

describeWithBrowser('pages', () => {
  test('Certificates: upload with chain, rename, delete with confirmation', async () => {
    await page.goto(`${t.endpoint}/console/#/certificates`)
    await page.getByLabel('Certificate Name').fill('pagesCert')
    await page.getByLabel('Private Key').fill(pki.leafKey)
    await page.getByLabel('Public Key Certificate').fill(pki.leafCert)
    await page.getByLabel('Certificate Chain').fill(pki.chain)
    await page.getByRole('button', {name: 'Upload'}).click()
    await page.getByRole('cell', {name: 'pagesCert', exact: true}).waitFor()
    expect(await certificates()).toEqual(['pagesCert'])
    await page.locator('summary', {hasText: 'Rename'}).click()
    await page.getByLabel('New name for pagesCert').fill('renamedCert')
    await page.getByRole('button', {name: 'Rename'}).click()
    await page.getByRole('cell', {name: 'renamedCert', exact: true}).waitFor()
    expect(await certificates()).toEqual(['renamedCert'])
    await page.getByRole('button', {name: 'Delete'}).click()
    await page.getByRole('button', {name: 'Yes, Delete'}).click()
    await page.getByRole('cell', {name: 'renamedCert', exact: true}).waitFor({state: 'detached'})
    expect(await certificates()).toEqual([])
  }, 60_000)

  test('Instances: launch, stop, start, terminate — with their IPs', async () => {
    await page.goto(`${t.endpoint}/console/#/instances`)
    await page.getByLabel('Demo back ends').fill('http:80')
    await page.getByRole('button', {name: 'Launch'}).click()
    const row = page.locator('tbody tr').first()
    await row.getByText('running').waitFor()
    const [instance] = await t.admin.describeInstances()
    expect(await row.innerText()).toContain(instance?.privateIp ?? '?')
    await row.getByRole('button', {name: /^Stop/}).click()
    await row.getByText('stopped').waitFor()
    await row.getByRole('button', {name: /^Start/}).click()
    await row.getByText('running').waitFor()
    await row.getByRole('button', {name: 'Terminate'}).click()
    await row.getByRole('button', {name: 'Yes, Terminate'}).click()
    await row.getByText('terminated').waitFor()
    expect((await t.admin.describeInstances()).map((record) => record.state)).toEqual(['terminated'])
  }, 60_000)

  test('Description: attributes saved through ModifyLoadBalancerAttributes; AWS\'s error for a bad idle timeout', async () => {
    await tab('Description')
    await page.getByLabel('Cross-Zone Load Balancing').check()
    await page.getByLabel('Idle timeout (seconds)').fill('0')
    await page.getByRole('button', {name: 'Save attributes'}).click()
    await expect(page.getByRole('alert').innerText()).resolves.toMatch(/^ValidationError: /)
    await page.getByLabel('Idle timeout (seconds)').fill('120')
    await page.getByLabel('Desync mitigation mode').selectOption('strictest')
    await page.getByRole('button', {name: 'Save attributes'}).click()
    await page.getByText('Saved.').waitFor()
    const attributes = (await t.elb.send(new DescribeLoadBalancerAttributesCommand({LoadBalancerName: LB}))).LoadBalancerAttributes
    expect(attributes?.CrossZoneLoadBalancing?.Enabled).toBe(true)
    expect(attributes?.ConnectionSettings?.IdleTimeout).toBe(120)
    expect(attributes?.AdditionalAttributes).toContainEqual({Key: 'elb.http.desyncmitigationmode', Value: 'strictest'})
  }, 60_000)

  test('Health check: AWS\'s validation message, then a valid target saved', async () => {
    await tab('Health check')
    await page.getByLabel('Ping Target').fill('HTTP:80')
    await page.getByRole('button', {name: 'Save'}).click()
    await expect(page.getByRole('alert').innerText()).resolves.toMatch(/^ValidationError: /)
    await page.getByLabel('Ping Target').fill('HTTP:80/health')
    await page.getByRole('button', {name: 'Save'}).click()
    await page.getByText('Saved.').waitFor()
    const described = await t.elb.send(new DescribeLoadBalancersCommand({LoadBalancerNames: [LB]}))
    expect(described.LoadBalancerDescriptions?.[0]?.HealthCheck?.Target).toBe('HTTP:80/health')
  }, 60_000)

  test('Listeners: add one, remove it with confirmation', async () => {
    await tab('Listeners')
    await page.getByLabel('Load Balancer Protocol').selectOption('TCP')
    await page.getByLabel('Load Balancer Port').fill('8081')
    await page.getByLabel('Instance Protocol').selectOption('TCP')
    await page.getByRole('button', {name: 'Add'}).click()
    await page.getByRole('cell', {name: '8081', exact: true}).waitFor()
    const ports = async () => ((await t.elb.send(new DescribeLoadBalancersCommand({LoadBalancerNames: [LB]}))).LoadBalancerDescriptions?.[0]?.ListenerDescriptions ?? [])
      .map((description) => description.Listener?.LoadBalancerPort)
    expect(await ports()).toEqual([80, 8081])
    await page.getByRole('row', {name: /8081/}).getByRole('button', {name: 'Remove'}).click()
    await page.getByRole('button', {name: 'Yes, Remove'}).click()
    await eventually(async () => (await ports()).length === 1 ? true : undefined, 10_000, 'the listener removed')
  }, 60_000)

  test('Listeners: a Custom SSL policy for an HTTPS listener (TLSv1.2 + one cipher)', async () => {
    const uploaded = await t.iam.send(new UploadServerCertificateCommand({ServerCertificateName: 'secureCert', CertificateBody: pki.leafCert, PrivateKey: pki.leafKey}))
    await t.elb.send(new CreateLoadBalancerCommand({
      LoadBalancerName: 'Secure', AvailabilityZones: ['us-east-1a'],
      Listeners: [{Protocol: 'HTTPS', LoadBalancerPort: 443, InstanceProtocol: 'HTTP', InstancePort: 80, SSLCertificateId: uploaded.ServerCertificateMetadata?.Arn}],
    }))
    await page.goto(`${t.endpoint}/console/#/load-balancers/Secure/Listeners`)
    await page.getByRole('button', {name: 'Change SSL policy of port 443'}).click()
    await page.getByLabel('Custom').check()
    await page.getByRole('button', {name: 'Clear SSL Protocols'}).click()
    await page.getByRole('button', {name: 'Clear SSL Options'}).click()
    await page.getByRole('button', {name: 'Clear SSL Ciphers'}).click()
    await page.getByLabel('TLSv1.2', {exact: true}).check()
    await page.getByLabel('ECDHE-RSA-AES128-GCM-SHA256', {exact: true}).check()
    await page.getByRole('button', {name: 'Apply'}).click()
    await page.getByRole('button', {name: 'Change SSL policy of port 443'}).waitFor()
    const described = await t.elb.send(new DescribeLoadBalancersCommand({LoadBalancerNames: ['Secure']}))
    const [policyName] = described.LoadBalancerDescriptions?.[0]?.ListenerDescriptions?.[0]?.PolicyNames ?? []
    expect(policyName).toMatch(/^AWSConsole-SSLNegotiationPolicy-Secure-\d+$/)
    const policy = (await t.elb.send(new DescribeLoadBalancerPoliciesCommand({LoadBalancerName: 'Secure', PolicyNames: [policyName ?? '']}))).PolicyDescriptions?.[0]
    expect(policy?.PolicyAttributeDescriptions?.filter((attribute) => attribute.AttributeValue === 'true').map((attribute) => attribute.AttributeName))
      .toEqual(['Protocol-TLSv1.2', 'ECDHE-RSA-AES128-GCM-SHA256'])
  }, 60_000)

  test('Policies and Tags: create a stickiness policy and a tag, then delete both', async () => {
    await tab('Policies')
    await page.getByLabel('Policy Name').fill('Sticky')
    await page.getByLabel('Cookie Expiration Period (seconds, optional)').fill('60')
    await page.getByRole('button', {name: 'Create policy'}).click()
    await page.locator('summary', {hasText: 'Sticky'}).waitFor()
    const policies = async () => ((await t.elb.send(new DescribeLoadBalancerPoliciesCommand({LoadBalancerName: LB}))).PolicyDescriptions ?? []).map((p) => p.PolicyName)
    expect(await policies()).toContain('Sticky')
    await page.locator('summary', {hasText: 'Sticky'}).click()
    await page.locator('details[open]').getByRole('button', {name: 'Delete'}).click()
    await page.getByRole('button', {name: 'Yes, Delete'}).click()
    await eventually(async () => (await policies()).includes('Sticky') ? undefined : true, 10_000, 'the policy deleted')

    await tab('Tags')
    await page.getByLabel('Key').fill('env')
    await page.getByLabel('Value').fill('test')
    await page.getByRole('button', {name: 'Add tag'}).click()
    await page.getByRole('cell', {name: 'env', exact: true}).waitFor()
    const tags = async () => (await t.elb.send(new DescribeTagsCommand({LoadBalancerNames: [LB]}))).TagDescriptions?.[0]?.Tags ?? []
    expect(await tags()).toEqual([{Key: 'env', Value: 'test'}])
    await page.getByRole('button', {name: 'Remove'}).click()
    await page.getByRole('button', {name: 'Yes, Remove'}).click()
    await page.getByRole('cell', {name: 'env', exact: true}).waitFor({state: 'detached'})
    expect(await tags()).toEqual([])
    expect(problems).toEqual([])
  }, 60_000)
})
