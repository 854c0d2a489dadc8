/**
 * The console's live views and its engineering limits, in a real browser: an instance stopped shows
 * OutOfService with AWS's description on the Instances tab; traffic through the data plane makes
 * RequestCount and Latency rise on the Monitoring tab; the page loads quickly, works by keyboard,
 * fits 390 px, and pages through 1,000 load balancers.
 */
import {ConfigureHealthCheckCommand, CreateLoadBalancerCommand, RegisterInstancesWithLoadBalancerCommand} from '@aws-sdk/client-elastic-load-balancing'
import {request as httpRequest} from 'node:http'
import type {Browser, Page} from 'playwright-core'
import {eventually, startTestEngine, type TestEngine} from '../helpers/engine.js'
import {consolePage, describeWithBrowser, launchBrowser, screenshot} from './browser.js'

const OFFSET = 20_000 + 100 * Math.floor(Math.random() * 300)
const LB = 'LiveLoadBalancer'

let t: TestEngine
let browser: Browser | undefined
let page: Page
let problems: string[]
let instanceIds: string[] = []

beforeAll(async () => {
  t = await startTestEngine({timeScale: 0.02, portOffset: OFFSET})
  const instances = await t.runInstances({count: 2, availabilityZone: 'us-east-1a', serve: [{protocol: 'http', port: 80}]})
  instanceIds = instances.map((instance) => instance.instanceId)
  await t.elb.send(new CreateLoadBalancerCommand({
    LoadBalancerName: LB, AvailabilityZones: ['us-east-1a'],
    Listeners: [{Protocol: 'HTTP', LoadBalancerPort: 80, InstanceProtocol: 'HTTP', InstancePort: 80}],
  }))
  await t.elb.send(new ConfigureHealthCheckCommand({LoadBalancerName: LB, HealthCheck: {
    Target: 'HTTP:80/', Interval: 30, Timeout: 5, UnhealthyThreshold: 2, HealthyThreshold: 2,
  }}))
  await t.elb.send(new RegisterInstancesWithLoadBalancerCommand({LoadBalancerName: LB, Instances: instanceIds.map((InstanceId) => ({InstanceId}))}))
  const launched = await launchBrowser()
  browser = launched
  ;({page, problems} = await consolePage(launched))
}, 60_000)

afterAll(async () => {
  await browser?.close()
  await (t as TestEngine | undefined)?.close()
})

function get(): Promise<number> {
  const lb = t.engine.store.state.regions['us-east-1']?.loadBalancers.find((record) => record.name === LB)
  return new Promise((resolve, reject) => {
    const request = httpRequest({host: lb?.localAddress, port: 80 + OFFSET, path: '/', agent: false, timeout: 5_000}, (response) => {
      response.resume()
      response.once('end', () => { resolve(response.statusCode ?? 0) })
    })
    request.once('timeout', () => request.destroy(new Error('timed out')))
    request.once('error', reject)
    request.end()
  })
}

describeWithBrowser('live views', () => {
  test('Instances tab: both InService, then a stopped instance is OutOfService with AWS\'s description', async () => {
    await page.goto(`${t.endpoint}/console/#/load-balancers/${LB}/Instances`)
    const rows = page.getByRole('table', {name: 'Registered instances'}).locator('tbody tr')
    await page.locator('td.ok').nth(1).waitFor({timeout: 20_000})
    await screenshot(page, 'instances-in-service')
    const stopped = instanceIds[0] ?? ''
    await t.stopInstances(stopped)
    const row = rows.filter({hasText: stopped})
    await row.getByText('OutOfService').waitFor({timeout: 20_000})
    expect((await row.innerText()).split('\t').map((cell) => cell.trim())).toEqual(
      expect.arrayContaining([stopped, 'us-east-1a', 'OutOfService', 'Instance is in stopped state.', 'Instance']))
    await screenshot(page, 'instances-out-of-service')
  }, 60_000)

  test('Monitoring tab: traffic makes RequestCount and Latency rise on the charts\' totals', async () => {
    await page.goto(`${t.endpoint}/console/#/load-balancers/${LB}/Monitoring`)
    const requests = page.locator('dd[data-metric="RequestCount"]')
    await requests.waitFor()
    const before = Number(await requests.innerText())
    for (let n = 0; n < 40; n++) expect(await get()).toBe(200)
    await eventually(async () => Number(await requests.innerText()) >= before + 40 ? true : undefined, 15_000, 'RequestCount to rise on the page')
    expect(await page.locator('dd[data-metric="Latency"]').innerText()).toMatch(/^\d+\.\d\d ms$/)
    expect(Number(await page.locator('dd[data-metric="HTTPCode_Backend_2XX"]').innerText())).toBeGreaterThanOrEqual(40)
    expect(await page.locator('.chart canvas').count()).toBe(5)
    await page.getByLabel('15 min', {exact: true}).check()
    await page.getByText('3 s per point').waitFor()
    await page.getByLabel('5 min', {exact: true}).check()
    await screenshot(page, 'monitoring')
    expect(problems).toEqual([])
  }, 60_000)
})

describeWithBrowser('engineering limits', () => {
  test('loads in under 300 ms on loopback (best of three)', async () => {
    const times: number[] = []
    for (let n = 0; n < 3; n++) {
      const started = Date.now()
      await page.goto(`${t.endpoint}/console/#/load-balancers`)
      await page.getByRole('heading', {name: 'Load Balancers'}).waitFor()
      times.push(Date.now() - started)
    }
    expect(Math.min(...times)).toBeLessThan(300)
  })

  test('keyboard: Shift+Tab reaches the navigation, Tab the Create button, with a visible focus ring; Enter opens the wizard', async () => {
    await page.goto(`${t.endpoint}/console/#/load-balancers`)
    await page.getByRole('heading', {name: 'Load Balancers'}).waitFor()
    // Runs in the page: the focused element's text and outline style.
    const focused = () => page.evaluate<string>("document.activeElement ? `${document.activeElement.textContent.trim()}|${getComputedStyle(document.activeElement).outlineStyle}` : ''")
    const walk = async (key: string, target: string) => {
      for (let n = 0; n < 12; n++) {
        await page.keyboard.press(key)
        if (await focused() === target) return
      }
      throw new Error(`${key} never reached ${target} with a visible focus ring (last: ${await focused()})`)
    }
    await walk('Shift+Tab', 'Load Balancers|solid')
    await walk('Tab', 'Create Load Balancer|solid')
    await page.keyboard.press('Enter')
    await page.getByRole('heading', {name: 'Create a New Load Balancer'}).waitFor()
    // A new page moves the focus to its heading (an effect that runs after the render): Tab from there.
    await page.waitForFunction('document.activeElement?.tagName === "H1"')
    await page.keyboard.press('Tab')
    expect(await page.evaluate<string>('document.activeElement?.id ?? ""')).toMatch(/^field-/)
  })

  test('fits a 390 px wide screen without sideways scrolling of the page', async () => {
    const small = await browser?.newPage({viewport: {width: 390, height: 844}})
    if (small === undefined) throw new Error('no browser')
    await small.goto(`${t.endpoint}/console/#/load-balancers/${LB}/Monitoring`)
    await small.locator('.chart canvas').first().waitFor()
    expect(await small.evaluate<number>('document.documentElement.scrollWidth')).toBeLessThanOrEqual(390)
    await screenshot(small, 'monitoring-390px')
    await small.close()
  })

  test('1,000 load balancers: the list pages 50 at a time and filtering stays quick', async () => {
    // The engine's quota is 20 per region (AWS's), so the browser gets AWS's own XML for 1,000.
    const member = (index: number) => {
      const name = `lb-${String(index).padStart(4, '0')}`
      return `<member><LoadBalancerName>${name}</LoadBalancerName><DNSName>${name}-1.us-east-1.elb.amazonaws.com</DNSName>` +
        '<ListenerDescriptions><member><Listener><Protocol>HTTP</Protocol><LoadBalancerPort>80</LoadBalancerPort>' +
        '<InstanceProtocol>HTTP</InstanceProtocol><InstancePort>80</InstancePort></Listener><PolicyNames/></member></ListenerDescriptions>' +
        '<Instances/><AvailabilityZones><member>us-east-1a</member></AvailabilityZones><Scheme>internet-facing</Scheme>' +
        `<CreatedTime>2026-01-01T00:${String(index % 60).padStart(2, '0')}:00.000Z</CreatedTime></member>`
    }
    const xml = '<DescribeLoadBalancersResponse xmlns="http://elasticloadbalancing.amazonaws.com/doc/2012-06-01/"><DescribeLoadBalancersResult>' +
      `<LoadBalancerDescriptions>${Array.from({length: 1000}, (_, index) => member(index)).join('')}</LoadBalancerDescriptions>` +
      '</DescribeLoadBalancersResult><ResponseMetadata><RequestId>1</RequestId></ResponseMetadata></DescribeLoadBalancersResponse>'
    await page.route(`${t.endpoint}/`, async (route) => {
      if (route.request().postData()?.includes('Action=DescribeLoadBalancers') === true) await route.fulfill({status: 200, contentType: 'text/xml', body: xml})
      else await route.continue()
    })
    const started = Date.now()
    await page.goto(`${t.endpoint}/console/#/load-balancers`)
    await page.getByText('1000 of 1000 load balancers').waitFor()
    expect(Date.now() - started).toBeLessThan(2000)
    expect(await page.locator('tbody tr').count()).toBe(50)
    expect(await page.getByText('Page 1 of 20').count()).toBe(1)
    await page.getByRole('button', {name: 'Next'}).click()
    await page.getByText('Page 2 of 20').waitFor()
    expect(await page.locator('tbody tr').first().innerText()).toContain('lb-0050')
    const filtering = Date.now()
    await page.getByLabel('Filter').fill('lb-0999')
    await page.getByText('1 of 1000 load balancers').waitFor()
    expect(Date.now() - filtering).toBeLessThan(1000)
    expect(await page.locator('tbody tr').count()).toBe(1)
    await page.unroute(`${t.endpoint}/`)
  }, 60_000)
})
