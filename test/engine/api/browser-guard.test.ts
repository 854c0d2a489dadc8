import {request} from 'node:http'
import {CreateLoadBalancerCommand, DescribeLoadBalancersCommand} from '@aws-sdk/client-elastic-load-balancing'
import {startTestEngine, type TestEngine} from '../../helpers/engine.js'

/**
 * Issue 9 #5: any web page could drive the engine. The exact requests a page can make a browser
 * send (a cross-origin form POST, a text/plain POST to the admin API, a DNS-rebound Host, a
 * no-cors GET) are refused with 403 and change nothing; the engine's own pages (same origin) and
 * non-browser clients are served.
 */

let t: TestEngine
let port: number
const lines: string[] = []

beforeEach(async () => {
  lines.length = 0
  t = await startTestEngine({log: (line) => lines.push(line)})
  port = Number(new URL(t.endpoint).port)
  await t.elb.send(new CreateLoadBalancerCommand({
    LoadBalancerName: 'keep', Listeners: [{Protocol: 'HTTP', LoadBalancerPort: 80, InstancePort: 8080}], AvailabilityZones: ['us-east-1a'],
  }))
})
afterEach(async () => {
  await t.close()
})

/** Sends exactly these headers and body (node:http adds nothing but what we give, and Content-Length). */
function send(method: string, path: string, headers: Record<string, string>, body = ''): Promise<{status: number; type: string; body: string}> {
  return new Promise((resolve, reject) => {
    const req = request({host: '127.0.0.1', port, method, path, headers: {...headers, 'Content-Length': String(Buffer.byteLength(body))}, setHost: false}, (res) => {
      const chunks: Buffer[] = []
      res.on('data', (chunk: Buffer) => chunks.push(chunk))
      res.on('end', () => { resolve({status: res.statusCode ?? 0, type: String(res.headers['content-type']), body: Buffer.concat(chunks).toString('utf8')}); })
    })
    req.on('error', reject)
    req.end(body)
  })
}

async function loadBalancerNames(): Promise<string[]> {
  const described = await t.elb.send(new DescribeLoadBalancersCommand({}))
  return (described.LoadBalancerDescriptions ?? []).map((lb) => lb.LoadBalancerName ?? '')
}

const HOST = () => `127.0.0.1:${port}`

describe('refused: 403 and no state change', () => {
  it('a cross-origin form POST of Action=DeleteLoadBalancer', async () => {
    const answer = await send('POST', '/', {
      Host: HOST(), Origin: 'http://evil.example', 'Content-Type': 'application/x-www-form-urlencoded', 'Sec-Fetch-Site': 'cross-site',
    }, 'Action=DeleteLoadBalancer&LoadBalancerName=keep')
    expect(answer.status).toBe(403)
    expect(answer.type).toBe('text/xml')
    expect(answer.body).toMatch(/^<ErrorResponse xmlns="http:\/\/elasticloadbalancing\.amazonaws\.com\/doc\/2012-06-01\/">\n {2}<Error>\n {4}<Type>Sender<\/Type>\n {4}<Code>AccessDenied<\/Code>\n {4}<Message>Requests from other web sites are refused \(Sec-Fetch-Site: cross-site\)\.<\/Message>/)
    // The same without Sec-Fetch-Site (an older browser): the Origin alone is enough.
    const noFetchMetadata = await send('POST', '/', {Host: HOST(), Origin: 'http://evil.example', 'Content-Type': 'application/x-www-form-urlencoded'},
      'Action=DeleteLoadBalancer&LoadBalancerName=keep')
    expect([noFetchMetadata.status, /<Code>(\w+)<\/Code>/.exec(noFetchMetadata.body)?.[1]]).toEqual([403, 'AccessDenied'])
    expect(noFetchMetadata.body).toContain('<Message>Requests from the web origin http://evil.example are refused; only pages this engine serves may call it.</Message>')
    expect(await loadBalancerNames()).toEqual(['keep'])
  })

  it('POST /__elb-local/shutdown with Origin: http://evil.example and Content-Type: text/plain', async () => {
    const answer = await send('POST', '/__elb-local/shutdown', {Host: HOST(), Origin: 'http://evil.example', 'Content-Type': 'text/plain'}, '{}')
    expect([answer.status, answer.type, JSON.parse(answer.body)]).toEqual([403, 'application/json', {error: {
      code: 'AccessDenied', message: 'Requests from the web origin http://evil.example are refused; only pages this engine serves may call it.',
    }}])
    // Still running.
    expect((await t.admin.status()).counts.loadBalancers).toBe(1)
  })

  it('Host: evil.example (DNS rebinding), on the API and the admin API', async () => {
    const api = await send('POST', '/', {Host: 'evil.example', 'Content-Type': 'application/x-www-form-urlencoded'}, 'Action=DeleteLoadBalancer&LoadBalancerName=keep')
    expect([api.status, /<Message>([^<]*)<\/Message>/.exec(api.body)?.[1]])
      .toEqual([403, 'Host evil.example is not a name of this engine; use a loopback address, localhost or --host.'])
    const admin = await send('POST', '/__elb-local/shutdown', {Host: 'evil.example:8773', 'Content-Type': 'application/json'}, '{}')
    expect(admin.status).toBe(403)
    expect(await loadBalancerNames()).toEqual(['keep'])
  })

  it('a no-cors GET a page makes with <img src> (Sec-Fetch-Site: cross-site or same-site, no Origin)', async () => {
    const answer = await send('GET', '/?Action=DeleteLoadBalancer&LoadBalancerName=keep&Version=2012-06-01', {Host: HOST(), 'Sec-Fetch-Site': 'cross-site'})
    expect(answer.status).toBe(403)
    // A page on another port of this machine is "same-site" for a browser, but another origin.
    const sameSite = await send('GET', '/?Action=DeleteLoadBalancer&LoadBalancerName=keep&Version=2012-06-01', {Host: HOST(), 'Sec-Fetch-Site': 'same-site'})
    expect(sameSite.status).toBe(403)
    expect(await loadBalancerNames()).toEqual(['keep'])
    expect(lines.some((line) => line.includes('refused GET /?Action=DeleteLoadBalancer'))).toBe(true)
  })
})

describe('refused (issue 16): a foreign Referer, and a write over GET from a browser', () => {
  const DELETE_GET = '/?Action=DeleteLoadBalancer&LoadBalancerName=keep&Version=2012-06-01'

  it('an <img> GET from a browser without Fetch Metadata (Referer: http://evil.example/ only), and a POST with that Referer', async () => {
    const img = await send('GET', DELETE_GET, {Host: HOST(), Referer: 'http://evil.example/', Accept: '*/*'})
    expect([img.status, /<Message>([^<]*)<\/Message>/.exec(img.body)?.[1]])
      .toEqual([403, 'Requests from the web page http://evil.example/ are refused; only pages this engine serves may call it.'])
    const form = await send('POST', '/', {Host: HOST(), Referer: `http://evil.example:${port}/page`, 'Content-Type': 'application/x-www-form-urlencoded'},
      'Action=DeleteLoadBalancer&LoadBalancerName=keep&Version=2012-06-01')
    expect(form.status).toBe(403)
    const admin = await send('POST', '/__elb-local/reset', {Host: HOST(), Referer: 'not a url', 'Content-Type': 'application/json'}, '{}')
    expect([admin.status, admin.type]).toEqual([403, 'application/json'])
    expect(await loadBalancerNames()).toEqual(['keep'])
  })

  it('a write Action over GET that carries any browser marker, even from the engine’s own origin', async () => {
    const markers: Record<string, string>[] = [
      {Referer: `http://${HOST()}/console/`}, {Origin: `http://${HOST()}`}, {'Sec-Fetch-Site': 'none'}, {'Sec-Fetch-Mode': 'navigate'},
      {Cookie: 'a=b'}, {Accept: 'text/html,application/xhtml+xml'}, {Accept: 'image/avif,image/webp,*/*'},
      {Accept: 'image/png,image/*;q=0.8,*/*;q=0.5'}, {'User-Agent': 'Mozilla/5.0 (X11; Linux x86_64; rv:78.0) Gecko/20100101 Firefox/78.0'},
    ]
    for (const marker of markers) {
      const answer = await send('GET', DELETE_GET, {Host: HOST(), ...marker})
      expect({marker, status: answer.status, code: /<Code>(\w+)<\/Code>/.exec(answer.body)?.[1]}).toEqual({marker, status: 403, code: 'AccessDenied'})
    }
    const typed = await send('GET', DELETE_GET, {Host: HOST(), 'Sec-Fetch-Site': 'none', Accept: 'text/html'})
    expect(typed.body).toContain('<Message>A browser may not change anything with a GET (the request carries sec-fetch-site); send the Action as a POST.</Message>')
    expect(await loadBalancerNames()).toEqual(['keep'])
    // Reading over GET from a browser is fine.
    const read = await send('GET', '/?Action=DescribeLoadBalancers&Version=2012-06-01', {Host: HOST(), 'Sec-Fetch-Site': 'none', Accept: 'text/html'})
    expect(read.status).toBe(200)
  })

  it('a GET without browser markers (the legacy tools with Java’s default Accept, curl) still writes', async () => {
    const legacy = await send('GET', '/?Action=DeleteLoadBalancer&LoadBalancerName=other&Version=2012-06-01', {
      Host: HOST(), Accept: 'text/html, image/gif, image/jpeg, *; q=.2, */*; q=.2', 'User-Agent': 'Amazon CLI/ElasticLoadBalancing 1.0.17.0 API 2012-06-01',
    })
    expect(legacy.status).toBe(200)
    const curl = await send('GET', DELETE_GET, {Host: HOST(), Accept: '*/*', 'User-Agent': 'curl/8.5.0'})
    expect(curl.status).toBe(200)
    expect(await loadBalancerNames()).toEqual([])
  })
})

describe('served', () => {
  it('a page of the engine’s own origin, and clients that send no browser headers', async () => {
    const sameOrigin = await send('POST', '/', {
      Host: HOST(), Origin: `http://${HOST()}`, 'Sec-Fetch-Site': 'same-origin', 'Content-Type': 'application/x-www-form-urlencoded',
    }, 'Action=DescribeLoadBalancers&Version=2012-06-01')
    expect(sameOrigin.status).toBe(200)
    const viaLocalhost = await send('GET', '/__elb-local/status', {Host: `localhost:${port}`, Origin: `http://localhost:${port}`})
    expect(viaLocalhost.status).toBe(200)
    for (const host of ['127.0.0.1', `127.0.0.1:${port}`, `[::1]:${port}`, 'localhost', `elasticloadbalancing.us-east-1.amazonaws.com:${port}`]) {
      const answer = await send('POST', '/', {Host: host, 'Content-Type': 'application/x-www-form-urlencoded'}, 'Action=DescribeLoadBalancers&Version=2012-06-01')
      expect({host, status: answer.status}).toEqual({host, status: 200})
    }
    expect(await loadBalancerNames()).toEqual(['keep'])
  })
})
