/**
 * What the wizard checks at each step, in a real browser against a real engine: a PEM pasted in the
 * wrong box is named, with where it belongs, at the certificate (or back-end) step — not at Create;
 * a key that does not fit its certificate gets IAM's own words there too (the engine's upload rules
 * run without storing); and the name check asks without a failed request or a console error.
 */
import type {Page} from 'playwright-core'
import type {Pki} from '../engine/iam/pki.js'
import type {TestEngine} from '../helpers/engine.js'
import {describeWithBrowser, screenshot} from './browser.js'
import {certificateNames, closeWizardSession, startWizardSession, type WizardDriver, type WizardSession} from './wizard-driver.js'

let t: TestEngine
let page: Page
let problems: string[]
let noise: string[]
let pki: Pki
let wizard: WizardDriver
let session: WizardSession | undefined

beforeAll(async () => {
  session = await startWizardSession()
  ;({t, page, problems, noise, pki, wizard} = session)
}, 60_000)

afterAll(async () => { await closeWizardSession(session) })

const heading = () => page.getByRole('heading', {level: 2}).innerText()

/** Continue, refused: waits until the check has answered (the button is enabled again). */
async function refused(): Promise<void> {
  await page.getByRole('button', {name: 'Continue'}).click()
  await page.getByRole('alert').first().waitFor()
  await page.locator('button[type=submit]:not([disabled])').waitFor()
}

/** DEFINE LOAD BALANCER (HTTPS 443→443 too), on to the certificate step, Upload chosen. */
async function toCertificateStep(name: string): Promise<void> {
  await wizard.defineHttps(name)
  await page.getByLabel('Upload a new SSL Certificate').check()
}

async function paste(fields: {name: string; key: string; body: string; chain: string}): Promise<void> {
  await page.getByLabel('Certificate Name').fill(fields.name)
  await page.getByLabel('Private Key').fill(fields.key)
  await page.getByLabel('Public Key Certificate').fill(fields.body)
  await page.getByLabel('Certificate Chain').fill(fields.chain)
}

describeWithBrowser('the wizard checks each step as it is left', () => {
  test('key and certificate swapped: each box says what was pasted and where it goes, at step 2; nothing uploaded', async () => {
    await toCertificateStep('Swapped')
    await paste({name: 'swapped', key: pki.leafCert, body: pki.leafKey, chain: pki.chain})
    noise.length = 0
    await refused()
    expect(await wizard.errorAt('Private Key')).toBe('ValidationError: This is a certificate, not a private key; paste it under Public Key Certificate.')
    expect(await wizard.errorAt('Public Key Certificate')).toBe('ValidationError: This is a private key; paste it under Private Key.')
    expect(await wizard.errorAt('Certificate Chain')).toBe('')
    expect(await heading()).toBe('Upload SSL Certificate')
    await screenshot(page, 'wizard-swapped-key-and-certificate')
    expect(noise).toEqual([])
    expect(await certificateNames(t.iam)).toEqual([])

    await paste({name: 'swapped', key: pki.leafKey, body: pki.leafCert, chain: pki.chain})
    await wizard.next('Configure Ciphers')
    expect(await certificateNames(t.iam)).toEqual([])
    expect(problems).toEqual([])
  }, 60_000)

  test('a chain pasted as the certificate, a key as the chain, a CSR and non-PEM text: each named at step 2', async () => {
    await toCertificateStep('Misplaced')
    await paste({name: 'misplaced', key: pki.intermediateCert + pki.rootCert, body: pki.chain, chain: pki.leafKey})
    await refused()
    expect(await wizard.errorAt('Private Key')).toBe('ValidationError: This is a certificate chain, not a private key; paste it under Certificate Chain.')
    expect(await wizard.errorAt('Public Key Certificate')).toBe('ValidationError: This is a certificate chain; paste only the server certificate here and the certificates that signed it under Certificate Chain.')
    expect(await wizard.errorAt('Certificate Chain')).toBe('ValidationError: This is a private key; paste it under Private Key.')

    const csr = '-----BEGIN CERTIFICATE REQUEST-----\nMIIB\n-----END CERTIFICATE REQUEST-----\n'
    await paste({name: 'misplaced', key: 'my key', body: csr, chain: pki.encryptedLeafKey})
    await refused()
    expect(await wizard.errorAt('Private Key')).toBe('ValidationError: This is not PEM text: paste everything from the -----BEGIN line to the -----END line.')
    expect(await wizard.errorAt('Public Key Certificate')).toBe('ValidationError: This is a certificate signing request; paste the certificate your CA issued for it instead.')
    expect(await wizard.errorAt('Certificate Chain')).toBe('ValidationError: This private key is encrypted; IAM needs it unencrypted (openssl pkey -in key.pem -out plain-key.pem).')
    expect(await heading()).toBe('Upload SSL Certificate')
    expect(await certificateNames(t.iam)).toEqual([])
  }, 60_000)

  test('a key of another certificate, a chain root first: IAM\'s words at step 2, no failed request, nothing uploaded', async () => {
    await toCertificateStep('Mismatch')
    await paste({name: 'mismatch', key: pki.otherKey, body: pki.leafCert, chain: pki.chain})
    noise.length = 0
    await refused()
    expect(await wizard.errorAt('Private Key')).toBe('KeyPairMismatch: The request was rejected because the public key certificate and the private key do not match.')
    expect(await wizard.errorAt('Public Key Certificate')).toBe('')

    await paste({name: 'mismatch', key: pki.leafKey, body: pki.leafCert, chain: pki.rootCert + pki.intermediateCert})
    await refused()
    expect(await wizard.errorAt('Certificate Chain')).toMatch(/^MalformedCertificate: Unable to validate certificate chain\. .* The index within the chain of the invalid certificate is: -?\d+$/)
    expect(await wizard.errorAt('Private Key')).toBe('')
    expect(await heading()).toBe('Upload SSL Certificate')
    expect(noise).toEqual([])
    expect(await certificateNames(t.iam)).toEqual([])
  }, 60_000)

  test('back-end authentication: a private key pasted as a back-end certificate is named at its step', async () => {
    await toCertificateStep('Backend')
    await paste({name: 'backend', key: pki.leafKey, body: pki.leafCert, chain: pki.chain})
    await wizard.next('Configure Ciphers')
    await wizard.next('Configure Back-end Server Authentication')
    await page.getByLabel('Enable backend authentication').check()
    await page.getByLabel('Certificate Name').fill('backendKey')
    await page.getByLabel('Certificate body').fill(pki.selfSignedKey)
    await refused()
    expect(await wizard.errorAt('Certificate body')).toBe('ValidationError: This is a private key; paste the back-end server\'s certificate here (never its private key).')
    await page.getByLabel('Certificate body').fill(pki.selfSignedCert)
    await wizard.next('Configure Health Check')
  }, 60_000)

  test('the name check: a taken name refused, a free one accepted, without a failed request or a console error', async () => {
    await wizard.open()
    noise.length = 0
    await page.getByLabel('Load Balancer Name').fill('Taken')
    await refused()
    expect(await wizard.errorAt('Load Balancer Name')).toBe("DuplicateLoadBalancerName: Load Balancer named 'Taken' already exists.")
    await page.getByLabel('Load Balancer Name').fill('FreeName')
    await wizard.next('Configure Health Check')
    expect(noise).toEqual([])
    expect(problems).toEqual([])
  }, 60_000)
})
