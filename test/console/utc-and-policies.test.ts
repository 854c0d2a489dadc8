/**
 * In a real browser whose own zone is Asia/Kolkata (UTC+05:30, so a local time cannot pass for UTC):
 * the lists and the Monitoring charts both show UTC and say so. And the Policies tab says where each
 * policy is used: the listener ports, the back-end instance ports, and a public key through the
 * back-end authentication policy that names it.
 */
import {
  CreateAppCookieStickinessPolicyCommand, CreateLBCookieStickinessPolicyCommand, CreateLoadBalancerCommand,
  CreateLoadBalancerPolicyCommand, DescribeLoadBalancersCommand, SetLoadBalancerPoliciesForBackendServerCommand,
  SetLoadBalancerPoliciesOfListenerCommand,
} from '@aws-sdk/client-elastic-load-balancing'
import {ListServerCertificatesCommand, UploadServerCertificateCommand} from '@aws-sdk/client-iam'
import type {Browser, Page} from 'playwright-core'
import {makePki} from '../engine/iam/pki.js'
import {startTestEngine, type TestEngine} from '../helpers/engine.js'
import {consolePage, describeWithBrowser, launchBrowser, screenshot} from './browser.js'

const OFFSET = 20_000 + 100 * Math.floor(Math.random() * 300)
const LB = 'PolicyLoadBalancer'

let t: TestEngine
let browser: Browser | undefined
let page: Page
let problems: string[]

beforeAll(async () => {
  const pki = makePki()
  t = await startTestEngine({portOffset: OFFSET})
  const uploaded = await t.iam.send(new UploadServerCertificateCommand({
    ServerCertificateName: 'site', CertificateBody: pki.leafCert, PrivateKey: pki.leafKey, CertificateChain: pki.chain,
  }))
  await t.elb.send(new CreateLoadBalancerCommand({
    LoadBalancerName: LB, AvailabilityZones: ['us-east-1a'], Listeners: [
      {Protocol: 'HTTP', LoadBalancerPort: 80, InstanceProtocol: 'HTTP', InstancePort: 8080},
      {Protocol: 'HTTPS', LoadBalancerPort: 443, InstanceProtocol: 'HTTPS', InstancePort: 443, SSLCertificateId: uploaded.ServerCertificateMetadata?.Arn},
    ],
  }))
  const policy = (PolicyName: string, PolicyTypeName: string, attributes: [string, string][]) => t.elb.send(new CreateLoadBalancerPolicyCommand({
    LoadBalancerName: LB, PolicyName, PolicyTypeName, PolicyAttributes: attributes.map(([AttributeName, AttributeValue]) => ({AttributeName, AttributeValue})),
  }))
  await policy('MySSLPolicy', 'SSLNegotiationPolicyType', [['Reference-Security-Policy', 'ELBSecurityPolicy-2016-08']])
  await policy('MyPublicKey', 'PublicKeyPolicyType', [['PublicKey', pki.selfSignedCert.replace(/-----(BEGIN|END) CERTIFICATE-----|\s+/g, '')]])
  await policy('MyBackendAuth', 'BackendServerAuthenticationPolicyType', [['PublicKeyPolicyName', 'MyPublicKey']])
  await t.elb.send(new CreateLBCookieStickinessPolicyCommand({LoadBalancerName: LB, PolicyName: 'Sticky', CookieExpirationPeriod: 60}))
  await t.elb.send(new CreateAppCookieStickinessPolicyCommand({LoadBalancerName: LB, PolicyName: 'Unused', CookieName: 'session'}))
  await t.elb.send(new SetLoadBalancerPoliciesOfListenerCommand({LoadBalancerName: LB, LoadBalancerPort: 443, PolicyNames: ['MySSLPolicy']}))
  await t.elb.send(new SetLoadBalancerPoliciesOfListenerCommand({LoadBalancerName: LB, LoadBalancerPort: 80, PolicyNames: ['Sticky']}))
  await t.elb.send(new SetLoadBalancerPoliciesForBackendServerCommand({LoadBalancerName: LB, InstancePort: 443, PolicyNames: ['MyBackendAuth']}))
  const launched = await launchBrowser()
  browser = launched
  ;({page, problems} = await consolePage(launched, {timezoneId: 'Asia/Kolkata'}))
}, 60_000)

afterAll(async () => {
  await browser?.close()
  await (t as TestEngine | undefined)?.close()
})

/** `2026-12-07 19:52:41 UTC`, worked out here from the API's own timestamp. */
const utc = (date: Date | undefined) => `${date?.toISOString().slice(0, 19).replace('T', ' ') ?? ''} UTC`

const tab = (name: string) => page.goto(`${t.endpoint}/console/#/load-balancers/${LB}/${encodeURIComponent(name)}`)

describeWithBrowser('times in UTC, and where each policy is used', () => {
  test('the browser really is in another zone', async () => {
    await page.goto(`${t.endpoint}/console/`)
    expect(await page.evaluate(() => new Date(0).getTimezoneOffset())).toBe(-330)
  })

  test('lists: Created, Uploaded and Expires in UTC, labelled UTC', async () => {
    const created = (await t.elb.send(new DescribeLoadBalancersCommand({LoadBalancerNames: [LB]}))).LoadBalancerDescriptions?.[0]?.CreatedTime
    const certificate = (await t.iam.send(new ListServerCertificatesCommand({}))).ServerCertificateMetadataList?.[0]
    await page.goto(`${t.endpoint}/console/#/load-balancers`)
    await expect(page.getByRole('row', {name: LB}).getByRole('cell').nth(6).innerText()).resolves.toBe(utc(created))
    await tab('Description')
    await expect(page.locator('dt:text-is("Created") + dd').innerText()).resolves.toBe(utc(created))
    await page.goto(`${t.endpoint}/console/#/certificates`)
    const cells = page.getByRole('row', {name: 'site'}).getByRole('cell')
    await expect(cells.nth(3).innerText()).resolves.toBe(utc(certificate?.UploadDate))
    await expect(cells.nth(4).innerText()).resolves.toBe(utc(certificate?.Expiration))
    expect(problems).toEqual([])
  }, 60_000)

  test('charts: the time under the pointer is UTC and says so', async () => {
    await tab('Monitoring')
    const chart = page.getByRole('img', {name: 'RequestCount chart'})
    await chart.locator('.u-over').hover()
    const timeRow = chart.locator('.u-legend .u-series').first()
    await expect(timeRow.locator('.u-label').innerText()).resolves.toBe('Time')
    const match = /^(\d\d):(\d\d):(\d\d) UTC$/.exec(await timeRow.locator('.u-value').innerText())
    expect(match).not.toBeNull()
    // The pointer is over the middle of the last 5 minutes: within 5 minutes of now, in UTC.
    const now = new Date()
    const shownSeconds = Number(match?.[1]) * 3600 + Number(match?.[2]) * 60 + Number(match?.[3])
    const nowSeconds = now.getUTCHours() * 3600 + now.getUTCMinutes() * 60 + now.getUTCSeconds()
    expect((nowSeconds - shownSeconds + 86_400) % 86_400).toBeLessThanOrEqual(300)
    await expect(page.getByText('times in UTC', {exact: false}).isVisible()).resolves.toBe(true)
    expect(problems).toEqual([])
  }, 60_000)

  test('Policies tab: the listener ports and back-end instance ports each policy is used on', async () => {
    await tab('Policies')
    const usedBy = async (policy: string) => page.getByRole('list', {name: `Where ${policy} is used`}).getByRole('listitem').allInnerTexts()
    await page.getByRole('list', {name: 'Where Unused is used'}).waitFor()
    expect(await usedBy('MySSLPolicy')).toEqual(['Listener port 443 (HTTPS)'])
    expect(await usedBy('Sticky')).toEqual(['Listener port 80 (HTTP)'])
    expect(await usedBy('MyBackendAuth')).toEqual(['Back-end instance port 443'])
    expect(await usedBy('MyPublicKey')).toEqual(['Back-end instance port 443, through MyBackendAuth'])
    expect(await usedBy('Unused')).toEqual(['Not in use'])
    await screenshot(page, 'policies')
    expect(problems).toEqual([])
  }, 60_000)
})
