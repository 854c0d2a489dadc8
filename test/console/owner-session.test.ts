/**
 * Issue 16 #6 in a real browser: with `--credentials`, the console works for its owner. The link
 * `elb-local console` prints logs the browser in once (an HttpOnly cookie), lands on the clean
 * console URL, and the console's own calls — the Query API with its dummy keys, the admin API, the
 * metrics JSON — are answered. A browser without the link gets nothing.
 */
import {CreateLoadBalancerCommand, ElasticLoadBalancingClient} from '@aws-sdk/client-elastic-load-balancing'
import type {Browser} from 'playwright-core'
import {startTestEngine, type TestEngine} from '../helpers/engine.js'
import {consolePage, describeWithBrowser, launchBrowser} from './browser.js'

const KEY = 'AKIDCONSOLEOWNER'
const SECRET = 'console-owner-secret'

let t: TestEngine
let browser: Browser | undefined

beforeAll(async () => {
  t = await startTestEngine({credentials: new Map([[KEY, SECRET]])})
  const elb = new ElasticLoadBalancingClient({region: 'us-east-1', endpoint: t.endpoint, credentials: {accessKeyId: KEY, secretAccessKey: SECRET}, maxAttempts: 1})
  try {
    await elb.send(new CreateLoadBalancerCommand({
      LoadBalancerName: 'OwnersLoadBalancer', AvailabilityZones: ['us-east-1a'], Listeners: [{Protocol: 'HTTP', LoadBalancerPort: 80, InstancePort: 80}],
    }))
  } finally {
    elb.destroy()
  }
  browser = await launchBrowser()
}, 60_000)

afterAll(async () => {
  await browser?.close()
  await (t as TestEngine | undefined)?.close()
})

describeWithBrowser('the console with --credentials', () => {
  test('the one-time link logs the owner in; the console lists the load balancers and the local instances', async () => {
    if (browser === undefined) throw new Error('no browser')
    const {page, problems} = await consolePage(browser)
    const path = await t.admin.consoleLoginPath()
    await page.goto(`${t.endpoint}${path}`)
    expect(page.url()).toBe(`${t.endpoint}/console/`)
    await page.getByText('OwnersLoadBalancer', {exact: true}).first().waitFor({timeout: 15_000})
    // The session cookie is out of scripts' reach, and not sent by other sites' pages.
    expect(await page.evaluate('document.cookie')).toBe('')
    expect((await page.context().cookies()).map((cookie) => [cookie.name, cookie.httpOnly, cookie.sameSite])).toEqual([['elb-local-session', true, 'Strict']])
    const instances = await page.evaluate(async () => (await fetch('/__elb-local/instances')).status)
    expect(instances).toBe(200)
    expect(problems).toEqual([])
    await page.close()
  }, 60_000)

  test('a browser without the link is refused by every API the console calls', async () => {
    if (browser === undefined) throw new Error('no browser')
    const context = await browser.newContext()
    const page = await context.newPage()
    await page.goto(`${t.endpoint}/console/`)
    const statuses = await page.evaluate(async () => Promise.all(['/__elb-local/instances', '/metrics/load-balancers'].map(async (url) => (await fetch(url)).status)))
    expect(statuses).toEqual([403, 403])
    await context.close()
  }, 60_000)
})
