import {spawn} from 'node:child_process'
import {existsSync, rmSync} from 'node:fs'
import {createServer, type Server} from 'node:http'
import type {AddressInfo} from 'node:net'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {CreateLoadBalancerCommand, DescribeLoadBalancersCommand} from '@aws-sdk/client-elastic-load-balancing'
import {eventually, startTestEngine, type TestEngine} from '../../helpers/engine.js'

/**
 * Issue 9 #5 with a real browser: headless Chromium opens a page of another origin that, as soon
 * as it loads, POSTs a form `Action=DeleteLoadBalancer` to the engine, fetches the admin API's
 * shutdown with `Content-Type: text/plain` (a "simple" request, sent without a preflight) and loads
 * an `<img>` whose URL is a DeleteLoadBalancer GET. The load balancer and the engine survive.
 */

const CHROMIUM = ['/usr/bin/chromium', '/usr/bin/chromium-browser'].find((path) => existsSync(path))
const maybe = CHROMIUM === undefined ? it.skip : it

let t: TestEngine
let evil: Server
const lines: string[] = []
beforeAll(async () => {
  t = await startTestEngine({log: (line) => lines.push(line)})
  await t.elb.send(new CreateLoadBalancerCommand({
    LoadBalancerName: 'victim', Listeners: [{Protocol: 'HTTP', LoadBalancerPort: 80, InstancePort: 8080}], AvailabilityZones: ['us-east-1a'],
  }))
  const engine = t.endpoint
  const page = `<!doctype html><html><body>
<form id="f" method="POST" action="${engine}/"><input name="Action" value="DeleteLoadBalancer"><input name="LoadBalancerName" value="victim"><input name="Version" value="2012-06-01"></form>
<img src="${engine}/?Action=DeleteLoadBalancer&amp;LoadBalancerName=victim&amp;Version=2012-06-01">
<script>
fetch('${engine}/__elb-local/shutdown', {method: 'POST', mode: 'no-cors', headers: {'Content-Type': 'text/plain'}, body: '{}'})
  .finally(() => setTimeout(() => document.getElementById('f').submit(), 200))
</script></body></html>`
  evil = createServer((_req, res) => { res.writeHead(200, {'Content-Type': 'text/html'}).end(page); })
  await new Promise<void>((resolve) => evil.listen(0, '127.0.0.1', () => { resolve(); }))
})
afterAll(async () => {
  rmSync(join(tmpdir(), `elb-chromium-${process.pid}`), {recursive: true, force: true})
  await t.close()
  await new Promise((resolve) => evil.close(resolve))
})

maybe('a page of another origin cannot delete a load balancer or stop the engine', async () => {
  const url = `http://127.0.0.1:${(evil.address() as AddressInfo).port}/`
  const browser = spawn(CHROMIUM ?? '', ['--headless=new', '--no-sandbox', '--disable-gpu', '--no-first-run',
    `--user-data-dir=${join(tmpdir(), `elb-chromium-${process.pid}`)}`, url], {stdio: 'ignore', detached: true})
  try {
    // Wait for the three attempts themselves to reach the engine (and be refused).
    const refused = await eventually(() => {
      const seen = lines.filter((line) => line.startsWith('refused '))
      const all = ['refused POST /__elb-local/shutdown', 'refused GET /?Action=DeleteLoadBalancer', 'refused POST /:']
        .every((start) => seen.some((line) => line.startsWith(start)))
      return all ? seen : undefined
    }, 60_000, 'the page’s three requests').catch((error: unknown) => {
      throw new Error(`${String(error)}; the engine logged: ${lines.filter((line) => !line.includes(' 200 ')).join(' | ')}`)
    })
    expect(refused.every((line) => line.includes(`Requests from the web origin http://127.0.0.1:`) || line.includes('Sec-Fetch-Site: '))).toBe(true)
  } finally {
    // Its own process group: the browser and the helpers it forked go together.
    if (browser.pid !== undefined) process.kill(-browser.pid, 'SIGKILL')
  }
  const described = await t.elb.send(new DescribeLoadBalancersCommand({}))
  expect(described.LoadBalancerDescriptions?.map((lb) => lb.LoadBalancerName)).toEqual(['victim'])
  expect((await t.admin.status()).counts.loadBalancers).toBe(1)
}, 90_000)
