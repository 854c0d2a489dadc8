/**
 * The wizard's error paths in a real browser: the API's (or the seed's) words next to the field they
 * concern, and nothing left behind when Create fails midway.
 */
import {DescribeLoadBalancersCommand} from '@aws-sdk/client-elastic-load-balancing'
import type {Page} from 'playwright-core'
import type {Pki} from '../engine/iam/pki.js'
import type {TestEngine} from '../helpers/engine.js'
import {describeWithBrowser} from './browser.js'
import {certificateNames, closeWizardSession, startWizardSession, type WizardDriver, type WizardSession} from './wizard-driver.js'

let t: TestEngine
let page: Page
let pki: Pki
let wizard: WizardDriver
let session: WizardSession | undefined

beforeAll(async () => {
  session = await startWizardSession()
  ;({t, page, pki, wizard} = session)
}, 60_000)

afterAll(async () => { await closeWizardSession(session) })

async function loadBalancerNames(): Promise<string[]> {
  return ((await t.elb.send(new DescribeLoadBalancersCommand({}))).LoadBalancerDescriptions ?? []).map((lb) => lb.LoadBalancerName ?? '')
}

async function upload(name: string, key: string, chain: string): Promise<void> {
  await page.getByLabel('Upload a new SSL Certificate').check()
  await page.getByLabel('Certificate Name').fill(name)
  await page.getByLabel('Private Key').fill(key)
  await page.getByLabel('Public Key Certificate').fill(pki.leafCert)
  await page.getByLabel('Certificate Chain').fill(chain)
}

/** From the ciphers step to Review with defaults, then Create. */
async function createFromCiphers(): Promise<void> {
  await wizard.next('Configure Back-end Server Authentication')
  await wizard.next('Configure Health Check')
  await wizard.next('Add Amazon EC2 Instances')
  await wizard.next('Review')
  await page.getByRole('button', {name: 'Create'}).click()
}

describeWithBrowser('the wizard\'s error paths', () => {
  test('Custom ciphers without a protocol, or without a cipher: the seed\'s sentence, and no step further', async () => {
    await wizard.defineHttps('NoCipher')
    await upload('unused', pki.leafKey, pki.chain)
    await wizard.next('Configure Ciphers')
    await page.getByLabel('Custom').check()
    await page.getByRole('button', {name: 'Clear SSL Protocols'}).click()
    await page.getByRole('button', {name: 'Continue'}).click()
    await expect(page.getByRole('alert').innerText()).resolves.toBe('ValidationError: You must enable at least one protocol version and one cipher')
    await page.getByLabel('TLSv1', {exact: true}).check()
    await page.getByRole('button', {name: 'Clear SSL Ciphers'}).click()
    await page.getByRole('button', {name: 'Continue'}).click()
    await expect(page.getByRole('alert').innerText()).resolves.toBe('ValidationError: You must enable at least one protocol version and one cipher')
    await expect(page.getByRole('heading', {level: 2}).innerText()).resolves.toBe('Configure Ciphers')
    expect(await loadBalancerNames()).toEqual(['Taken'])
  }, 60_000)

  test('HTTPS without a certificate: ELB\'s error next to the certificate choice; nothing created', async () => {
    await wizard.defineHttps('NoCertificate')
    await wizard.next('Configure Ciphers')
    await createFromCiphers()
    await page.getByRole('heading', {level: 2, name: 'Upload SSL Certificate'}).waitFor()
    expect(await wizard.errorAt('Certificate')).toBe('ValidationError: Secure Listeners need to specify a SSLCertificateId')
    expect(await loadBalancerNames()).toEqual(['Taken'])
  }, 60_000)

  test('a failure midway (ConfigureHealthCheck refused after the certificate and load balancer exist) removes both', async () => {
    await wizard.defineHttps('Midway')
    await upload('midwayCert', pki.leafKey, pki.chain)
    await wizard.next('Configure Ciphers')
    await wizard.next('Configure Back-end Server Authentication')
    await wizard.next('Configure Health Check')
    await page.getByLabel('Response Timeout').fill('30')
    await page.getByLabel('Health Check Interval').fill('5')
    await wizard.next('Add Amazon EC2 Instances')
    await wizard.next('Review')
    await page.getByRole('button', {name: 'Create'}).click()
    await page.getByRole('heading', {level: 2, name: 'Configure Health Check'}).waitFor()
    await expect(page.getByRole('alert').innerText()).resolves.toBe('ValidationError: Health check interval must be greater than the timeout.')
    const calls = await page.getByRole('list', {name: 'API calls'}).innerText()
    expect(calls).toContain('CreateLoadBalancer Midway')
    expect(calls).toContain('DeleteLoadBalancer Midway (undoing)')
    expect(calls).toContain('DeleteServerCertificate midwayCert (undoing)')
    expect(await loadBalancerNames()).toEqual(['Taken'])
    expect(await certificateNames(t.iam)).toEqual([])
  }, 60_000)
})
