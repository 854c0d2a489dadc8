/**
 * The seed's "Using AWS Management Console" walkthrough in a real browser (Debian's Chromium via
 * playwright-core) against a real engine: HTTP 80→8080 and HTTPS 443→443, a certificate uploaded
 * with its chain, Custom ciphers TLSv1 + DHE-RSA-AES256-SHA, back-end authentication with the two
 * instances' own certificates, health check HTTP:8080/ping 30/3/2/2, both instances. Then the CLI
 * must describe it byte for byte as it describes the same load balancer made with the CLI, and real
 * traffic flows through both listeners.
 */
import {readFileSync} from 'node:fs'
import {request as httpRequest} from 'node:http'
import {request as httpsRequest} from 'node:https'
import {join} from 'node:path'
import type {Browser, Page} from 'playwright-core'
import {runCli} from '../commands/run-cli.js'
import {makePki, type Pki} from '../engine/iam/pki.js'
import {eventually, startTestEngine, type TestEngine} from '../helpers/engine.js'
import {REPO} from '../helpers/processes.js'
import {consolePage, describeWithBrowser, launchBrowser, screenshot} from './browser.js'

const LB = 'MyLoadBalancer'
const CLI_LB = 'MyCliLoadBalancer'
const OFFSET = 20_000 + 100 * Math.floor(Math.random() * 300)

let t: TestEngine
let browser: Browser | undefined
let page: Page
let problems: string[]
let pki: Pki
let instanceIds: string[] = []
let instanceCerts: string[] = []

function cli(name: string, ...args: string[]) {
  return runCli(name, args, {env: {ELB_LOCAL_ENDPOINT: t.endpoint, ELB_LOCAL_HOME: t.home}})
}

async function ok(name: string, ...args: string[]): Promise<string> {
  const result = await cli(name, ...args)
  expect({name, code: result.code, stderr: result.stderr}).toEqual({name, code: 0, stderr: ''})
  return result.stdout
}

/** SSLNegotiationPolicyType's flags (no Reference-Security-Policy), as the Custom checkboxes list them. */
function sslFlags(): string[] {
  const types = JSON.parse(readFileSync(join(REPO, 'data', 'elb-policy-types.json'), 'utf8')) as {
    PolicyTypeDescriptions: {PolicyTypeName: string; PolicyAttributeTypeDescriptions: {AttributeName: string}[]}[]
  }
  return (types.PolicyTypeDescriptions.find((type) => type.PolicyTypeName === 'SSLNegotiationPolicyType')?.PolicyAttributeTypeDescriptions ?? [])
    .map((attribute) => attribute.AttributeName).filter((name) => name !== 'Reference-Security-Policy')
}

const pemBody = (pem: string) => pem.replace(/-----(BEGIN|END) [A-Z ]+-----/g, '').replace(/\s+/g, '')

beforeAll(async () => {
  pki = makePki()
  t = await startTestEngine({timeScale: 0.05, portOffset: OFFSET})
  const instances = await t.runInstances({count: 2, availabilityZone: 'us-east-1a', serve: [{protocol: 'http', port: 8080}, {protocol: 'https', port: 443}]})
  instanceIds = instances.map((instance) => instance.instanceId)
  instanceCerts = instanceIds.map((id) => readFileSync(join(t.home, 'instances', id, 'cert.pem'), 'utf8'))
  const launched = await launchBrowser()
  browser = launched
  ;({page, problems} = await consolePage(launched))
}, 60_000)

afterAll(async () => {
  await browser?.close()
  await (t as TestEngine | undefined)?.close()
})

async function continueTo(heading: string): Promise<void> {
  await page.getByRole('button', {name: 'Continue'}).click()
  await page.getByRole('heading', {level: 2, name: heading}).waitFor()
}

describeWithBrowser('the Create Load Balancer wizard, as the seed walks it', () => {
  test('walks every step with the seed\'s values and creates the load balancer', async () => {
    await page.goto(`${t.endpoint}/console/`)
    await page.getByRole('link', {name: 'Create Load Balancer'}).click()
    await page.getByRole('heading', {level: 2, name: 'DEFINE LOAD BALANCER'}).waitFor()
    await page.getByLabel('Load Balancer Name').fill(LB)
    await page.getByLabel('Instance Port (listener 1)').fill('8080')
    await page.getByLabel('Load Balancer Protocol', {exact: true}).selectOption('HTTPS')
    expect(await page.getByLabel('Load Balancer Port', {exact: true}).inputValue()).toBe('443')
    await page.getByLabel('Instance Protocol', {exact: true}).selectOption('HTTPS')
    await page.getByLabel('Instance Port', {exact: true}).fill('443')
    await page.getByRole('button', {name: 'Save'}).click()
    await screenshot(page, '1-define-load-balancer')

    await continueTo('Upload SSL Certificate')
    await page.getByLabel('Upload a new SSL Certificate').check()
    await page.getByLabel('Certificate Name').fill('testCert')
    await page.getByLabel('Private Key').fill(pki.leafKey)
    await page.getByLabel('Public Key Certificate').fill(pki.leafCert)
    await page.getByLabel('Certificate Chain').fill(pki.chain)
    await screenshot(page, '2-upload-ssl-certificate')

    await continueTo('Configure Ciphers')
    await page.getByLabel('Custom').check()
    await page.getByRole('button', {name: 'Clear SSL Protocols'}).click()
    await page.getByRole('button', {name: 'Clear SSL Ciphers'}).click()
    await page.getByLabel('TLSv1', {exact: true}).check()
    await page.getByLabel('DHE-RSA-AES256-SHA', {exact: true}).check()
    await screenshot(page, '3-configure-ciphers')

    await continueTo('Configure Back-end Server Authentication')
    await page.getByLabel('Enable backend authentication').check()
    await page.getByLabel('Certificate Name', {exact: true}).fill('MyPublicKeyPolicy')
    await page.getByLabel('Certificate body', {exact: true}).fill(instanceCerts[0] ?? '')
    await page.getByRole('button', {name: 'Add another Backend Certificate'}).click()
    await page.getByLabel('Certificate Name (2)').fill('MySecondPublicKeyPolicy')
    await page.getByLabel('Certificate body (2)').fill(instanceCerts[1] ?? '')
    await screenshot(page, '4-backend-authentication')

    await continueTo('Configure Health Check')
    await page.getByLabel('Ping Protocol').selectOption('HTTP')
    await page.getByLabel('Ping Port').fill('8080')
    await page.getByLabel('Ping Path').fill('/ping')
    await page.getByLabel('Response Timeout').fill('3')
    await page.getByLabel('Health Check Interval').fill('30')
    await page.getByLabel('Unhealthy Threshold').fill('2')
    await page.getByLabel('Healthy Threshold', {exact: true}).fill('2')
    await screenshot(page, '5-configure-health-check')

    await continueTo('Add Amazon EC2 Instances')
    for (const id of instanceIds) await page.getByLabel(`Select ${id}`).check()
    await screenshot(page, '6-add-instances')

    await continueTo('Review')
    expect(await page.locator('.review').allInnerTexts()).toEqual(expect.arrayContaining([expect.stringContaining('HTTP:8080/ping')]))
    await screenshot(page, '7-review')
    await page.getByRole('button', {name: 'Create'}).click()
    await page.getByRole('heading', {name: 'Load Balancer Created'}).waitFor()
    await screenshot(page, '8-created')
    expect(problems).toEqual([])
  }, 60_000)

  test('the CLI describes it byte for byte as the same load balancer made with the CLI', async () => {
    await ok('iam-servercertupload', '-s', 'cliCert', '-b', pki.leafCert, '-k', pki.leafKey, '-c', pki.chain)
    const cliArn = `arn:aws:iam::${t.engine.store.state.accountId}:server-certificate/cliCert`
    await ok('elb-create-lb', CLI_LB, '--listener', 'lb-port=80,instance-port=8080,protocol=http,instance-protocol=http',
      '--listener', `lb-port=443,instance-port=443,protocol=https,instance-protocol=https,cert-id=${cliArn}`, '--availability-zones', 'us-east-1a')
    const ssl = `AWSConsole-SSLNegotiationPolicy-${CLI_LB}`
    const backend = `AWSConsole-BackendServerAuthenticationPolicy-${CLI_LB}`
    // The console sends every flag; a CLI user who wants exactly TLSv1 + DHE-RSA-AES256-SHA does too.
    const flags = sslFlags().map((name) => `name=${name},value=${String(name === 'Protocol-TLSv1' || name === 'DHE-RSA-AES256-SHA')}`)
    await ok('elb-create-lb-policy', CLI_LB, '--policy-name', ssl, '--policy-type', 'SSLNegotiationPolicyType', ...flags.flatMap((flag) => ['--attribute', flag]))
    await ok('elb-set-lb-policies-of-listener', CLI_LB, '--lb-port', '443', '--policy-names', ssl)
    await ok('elb-create-lb-policy', CLI_LB, '--policy-name', 'MyPublicKeyPolicy', '--policy-type', 'PublicKeyPolicyType',
      '--attribute', `name=PublicKey,value=${pemBody(instanceCerts[0] ?? '')}`)
    await ok('elb-create-lb-policy', CLI_LB, '--policy-name', 'MySecondPublicKeyPolicy', '--policy-type', 'PublicKeyPolicyType',
      '--attribute', `name=PublicKey,value=${pemBody(instanceCerts[1] ?? '')}`)
    await ok('elb-create-lb-policy', CLI_LB, '--policy-name', backend, '--policy-type', 'BackendServerAuthenticationPolicyType',
      '--attribute', 'name=PublicKeyPolicyName,value=MyPublicKeyPolicy', '--attribute', 'name=PublicKeyPolicyName,value=MySecondPublicKeyPolicy')
    await ok('elb-set-lb-policies-for-backend', CLI_LB, '--instance-port', '443', '--policy-names', backend)
    await ok('elb-configure-healthcheck', CLI_LB, '--target', 'HTTP:8080/ping', '--interval', '30', '--timeout', '3',
      '--unhealthy-threshold', '2', '--healthy-threshold', '2')
    await ok('elb-register-instances-with-lb', CLI_LB, '--instances', instanceIds.join(','))

    const [consoleLb, cliLb] = t.engine.store.state.regions['us-east-1']?.loadBalancers ?? []
    const same = (text: string) => text
      .replaceAll(cliLb?.dnsName ?? '?', consoleLb?.dnsName ?? '?')
      .replaceAll(CLI_LB, LB)
      .replaceAll('server-certificate/cliCert', 'server-certificate/testCert')
      .replace(/\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z/g, 'CREATED')
    const consoleView = await ok('elb-describe-lbs', LB, '--show-long')
    expect(consoleView).toContain('{protocol=HTTPS,lb-port=443,instance-protocol=HTTPS,instance-port=443,cert-id=')
    expect(same(await ok('elb-describe-lbs', CLI_LB, '--show-long'))).toBe(same(consoleView))
    const policies = await ok('elb-describe-lb-policies', LB, '--policy-names', `AWSConsole-SSLNegotiationPolicy-${LB}`, '--show-long')
    expect([...policies.matchAll(/\{name=([^,}]+),value=true\}/g)].map((match) => match[1])).toEqual(['Protocol-TLSv1', 'DHE-RSA-AES256-SHA'])
    expect(same(await ok('elb-describe-lb-policies', CLI_LB, '--show-long'))).toBe(await ok('elb-describe-lb-policies', LB, '--show-long'))
    await eventually(async () => {
      const health = await ok('elb-describe-instance-health', LB)
      return health.split('\n').filter((line) => line.includes('InService')).length === 2 ? health : undefined
    }, 20_000, 'both instances InService')
    expect(same(await ok('elb-describe-instance-health', CLI_LB))).toBe(await ok('elb-describe-instance-health', LB))
  }, 60_000)

  test('real traffic flows through both listeners to both instances', async () => {
    const lb = t.engine.store.state.regions['us-east-1']?.loadBalancers.find((record) => record.name === LB)
    const address = lb?.localAddress ?? ''
    const get = (secure: boolean) => new Promise<string>((resolve, reject) => {
      const options = {host: address, port: (secure ? 443 : 80) + OFFSET, path: '/', agent: false as const, timeout: 5_000}
      const request = secure
        ? httpsRequest({...options, rejectUnauthorized: false, minVersion: 'TLSv1', maxVersion: 'TLSv1', ciphers: 'DHE-RSA-AES256-SHA:@SECLEVEL=0'})
        : httpRequest(options)
      request.once('response', (response) => {
        let body = ''
        response.setEncoding('utf8')
        response.on('data', (chunk: string) => (body += chunk))
        response.once('end', () => { resolve(`${response.statusCode ?? 0} ${(JSON.parse(body) as {instanceId: string}).instanceId}`) })
      })
      request.once('timeout', () => request.destroy(new Error('timed out')))
      request.once('error', reject)
      request.end()
    })
    for (const secure of [false, true]) {
      const seen = new Set<string>()
      for (let n = 0; n < 8; n++) seen.add(await get(secure))
      expect([...seen].sort()).toEqual(instanceIds.map((id) => `200 ${id}`).sort())
    }
  }, 30_000)
})
