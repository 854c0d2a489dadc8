import {readFileSync, statSync} from 'node:fs'
import {request} from 'node:http'
import {join} from 'node:path'
import {CreateLoadBalancerCommand, DescribeLoadBalancersCommand, ElasticLoadBalancingClient} from '@aws-sdk/client-elastic-load-balancing'
import {Hash} from '@smithy/core/serde'
import {SignatureV4} from '@smithy/signature-v4'
import {startEngine} from '../../../src/engine/main.js'
import {runCli} from '../../commands/run-cli.js'
import {startTestEngine, TEST_CREDENTIALS, type TestEngine} from '../../helpers/engine.js'
import {runProcess} from '../../helpers/processes.js'

/**
 * Issue 16 #6: with `--credentials`, the engine's own APIs (admin `/__elb-local/`, `/metrics`)
 * answer the owner only — the token in ELB_LOCAL_HOME/admin-token (mode 0600) that elb-local
 * sends, the console's session cookie, or a request signed with a key of the credentials file.
 * Any other local process gets 403 and changes nothing; `health` says only that the engine lives.
 */

const KEY = 'AKIDOWNERTEST'
const SECRET = 'owner-test-secret'
const CONSOLE_KEYS = TEST_CREDENTIALS

let t: TestEngine
let port: number
beforeAll(async () => {
  // The console's dummy key (also the helper's TEST_CREDENTIALS) is NOT in the file.
  t = await startTestEngine({credentials: new Map([[KEY, SECRET]])})
  port = Number(new URL(t.endpoint).port)
  const elb = ownerElb()
  try {
    await elb.send(new CreateLoadBalancerCommand({
      LoadBalancerName: 'keep', Listeners: [{Protocol: 'HTTP', LoadBalancerPort: 80, InstancePort: 8080}], AvailabilityZones: ['us-east-1a'],
    }))
  } finally {
    elb.destroy()
  }
})

function ownerElb(): ElasticLoadBalancingClient {
  return new ElasticLoadBalancingClient({region: 'us-east-1', endpoint: t.endpoint, credentials: {accessKeyId: KEY, secretAccessKey: SECRET}, maxAttempts: 1})
}
afterAll(async () => {
  await t.close()
})

interface Answer {
  readonly status: number
  readonly headers: Record<string, string | string[] | undefined>
  readonly body: string
}

function send(method: string, path: string, headers: Record<string, string> = {}, body = ''): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const outgoing = request({host: '127.0.0.1', port, method, path, headers: {...headers, 'Content-Length': String(Buffer.byteLength(body))}}, (res) => {
      const chunks: Buffer[] = []
      res.on('data', (chunk: Buffer) => chunks.push(chunk))
      res.on('end', () => { resolve({status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8')}) })
    })
    outgoing.on('error', reject)
    outgoing.end(body)
  })
}

const JSON_TYPE = {'Content-Type': 'application/json'}
const token = () => readFileSync(join(t.home, 'admin-token'), 'utf8').trim()
const lbCount = () => t.engine.store.region('us-east-1').loadBalancers.length
const code = (answer: Answer) => (JSON.parse(answer.body) as {error?: {code?: string}}).error?.code

describe('a local process without the token or a signature', () => {
  it('cannot reset, shut down, run instances, read status, instances, hosts, backends, metrics or traffic: 403', async () => {
    const attempts: [string, string, string][] = [
      ['POST', '/__elb-local/reset', '{}'], ['POST', '/__elb-local/shutdown', '{}'], ['POST', '/__elb-local/instances/run', '{"count": 1}'],
      ['POST', '/__elb-local/console-login', '{}'], ['GET', '/__elb-local/status', ''], ['GET', '/__elb-local/instances', ''],
      ['GET', '/__elb-local/hosts', ''], ['GET', '/__elb-local/backends', ''], ['GET', '/__elb-local/traffic', ''],
      ['GET', '/metrics', ''], ['GET', '/metrics/load-balancers', ''], ['GET', '/metrics/load-balancers/keep', ''],
    ]
    for (const [method, path, body] of attempts) {
      const answer = await send(method, path, JSON_TYPE, body)
      expect({path, status: answer.status, code: code(answer)}).toEqual({path, status: 403, code: 'MissingAuthenticationToken'})
    }
    const wrongToken = await send('POST', '/__elb-local/reset', {...JSON_TYPE, Authorization: `Bearer ${'x'.repeat(43)}`}, '{}')
    expect([wrongToken.status, code(wrongToken)]).toEqual([403, 'MissingAuthenticationToken'])
    expect(lbCount()).toBe(1)
    expect(t.engine.instances.describeInstances('us-east-1')).toEqual([])
  })

  it('health answers liveness only: the engine’s name and pid, no state', async () => {
    const answer = await send('GET', '/__elb-local/health')
    expect([answer.status, JSON.parse(answer.body)]).toEqual([200, {engine: 'elb-local', pid: process.pid}])
    expect(Object.keys(JSON.parse(answer.body) as object)).toEqual(['engine', 'pid'])
    const strangerAsking = await send('GET', '/__elb-local/health?targets=1&region=nowhere-1')
    expect([strangerAsking.status, JSON.parse(strangerAsking.body)]).toEqual([200, {engine: 'elb-local', pid: process.pid}])
  })

  it('health is slim for the owner too: the targets only with ?targets=1', async () => {
    const owner = await send('GET', '/__elb-local/health', {Authorization: `Bearer ${token()}`})
    expect(Object.keys(JSON.parse(owner.body) as object)).toEqual(['engine', 'pid', 'endpoint'])
    const withTargets = await send('GET', '/__elb-local/health?targets=1', {Authorization: `Bearer ${token()}`})
    expect(JSON.parse(withTargets.body)).toEqual({engine: 'elb-local', pid: process.pid, endpoint: t.endpoint, targets: []})
  })
})

describe('the owner', () => {
  it('the token file is the owner’s alone (mode 0600) and opens every route', async () => {
    expect(statSync(join(t.home, 'admin-token')).mode & 0o777).toBe(0o600)
    expect(token()).toMatch(/^[\w-]{43}$/)
    const status = await send('GET', '/__elb-local/status', {Authorization: `Bearer ${token()}`})
    expect([status.status, (JSON.parse(status.body) as {signaturesRequired: boolean}).signaturesRequired]).toEqual([200, true])
    const metrics = await send('GET', '/metrics', {Authorization: `Bearer ${token()}`})
    expect(metrics.status).toBe(200)
    // The live traffic feed (`elb-local logs --traffic`) opens too: its head comes at once.
    const traffic = await new Promise<number>((resolve, reject) => {
      const outgoing = request({host: '127.0.0.1', port, path: '/__elb-local/traffic', headers: {Authorization: `Bearer ${token()}`}}, (res) => {
        resolve(res.statusCode ?? 0)
        outgoing.destroy()
      })
      outgoing.on('error', (error: NodeJS.ErrnoException) => { if (error.code !== 'ECONNRESET') reject(error) })
      outgoing.end()
    })
    expect(traffic).toBe(200)
    expect((await t.admin.status()).counts.loadBalancers).toBe(1)
  })

  it('a SigV4 request signed with a key of the credentials file opens the admin API; a wrong secret is AWS’s error', async () => {
    const signed = async (secret: string) => {
      const signer = new SignatureV4({credentials: {accessKeyId: KEY, secretAccessKey: secret}, region: 'us-east-1', service: 'elb-local', sha256: Hash.bind(null, 'sha256')})
      const headers = (await signer.sign({method: 'GET', protocol: 'http:', hostname: '127.0.0.1', port, path: '/__elb-local/status', query: {}, headers: {host: `127.0.0.1:${port}`}})).headers
      return send('GET', '/__elb-local/status', headers)
    }
    expect((await signed(SECRET)).status).toBe(200)
    const wrong = await signed('wrong')
    expect([wrong.status, code(wrong)]).toEqual([403, 'SignatureDoesNotMatch'])
    // curl's own SigV4 signer, for the metrics text.
    const curl = await runProcess('curl', ['-sS', '--aws-sigv4', 'aws:amz:us-east-1:elb-local', '--user', `${KEY}:${SECRET}`, '-w', '\n%{http_code}', `${t.endpoint}/metrics`])
    expect(curl.stdout).toMatch(/\n200$/)
  })

  it('elb-local (status, metrics, console) reads the token from ELB_LOCAL_HOME and works', async () => {
    const env = {ELB_LOCAL_ENDPOINT: t.endpoint, ELB_LOCAL_HOME: t.home}
    const status = await runCli('elb-local', ['status', '--json'], {env})
    expect([status.code, (JSON.parse(status.stdout) as {counts: {loadBalancers: number}}).counts.loadBalancers]).toEqual([0, 1])
    const metrics = await runCli('elb-local', ['metrics', '--json'], {env})
    expect([metrics.code, metrics.stderr]).toEqual([0, ''])
    const printed = await runCli('elb-local', ['console'], {env})
    expect(printed.stdout).toMatch(new RegExp(`^${t.endpoint}/__elb-local/console-login\\?code=[\\w-]{43}\\n$`))
    // Another home (another user's, or none): no token, a clear refusal.
    const stranger = await runCli('elb-local', ['status'], {env: {...env, ELB_LOCAL_HOME: '/nonexistent/elb-local-owner-test'}})
    expect([stranger.code, stranger.stderr]).toEqual([1, expect.stringContaining('elb-local status: MissingAuthenticationToken: The engine verifies signatures (--credentials)')])
  })
})

describe('an autostart race', () => {
  it('a second engine on the same home that loses the port leaves the running engine’s token alone', async () => {
    const before = token()
    await expect(startEngine({home: t.home, host: '127.0.0.1', port, credentials: new Map([[KEY, SECRET]])})).rejects.toThrow(/127\.0\.0\.1/)
    expect(token()).toBe(before)
    expect((await t.admin.status()).counts.loadBalancers).toBe(1)
  })
})

describe('the console’s session (over HTTP)', () => {
  async function consoleSignedDescribe(cookie?: string): Promise<Answer> {
    const body = 'Action=DescribeLoadBalancers&Version=2012-06-01'
    const signer = new SignatureV4({credentials: CONSOLE_KEYS, region: 'us-east-1', service: 'elasticloadbalancing', sha256: Hash.bind(null, 'sha256')})
    const headers = (await signer.sign({method: 'POST', protocol: 'http:', hostname: '127.0.0.1', port, path: '/', query: {},
      headers: {host: `127.0.0.1:${port}`, 'content-type': 'application/x-www-form-urlencoded'}, body})).headers
    return send('POST', '/', {...headers, ...(cookie === undefined ? {} : {Cookie: cookie}), Origin: `http://127.0.0.1:${port}`, 'Sec-Fetch-Site': 'same-origin'}, body)
  }

  it('a one-time code becomes an HttpOnly SameSite=Strict cookie and a redirect to /console/; the cookie opens the APIs', async () => {
    const created = await send('POST', '/__elb-local/console-login', {...JSON_TYPE, Authorization: `Bearer ${token()}`}, '{}')
    const {path} = JSON.parse(created.body) as {path: string}
    expect(path).toMatch(/^\/__elb-local\/console-login\?code=[\w-]{43}$/)
    const login = await send('GET', path, {'Sec-Fetch-Site': 'none', Accept: 'text/html'})
    expect([login.status, login.headers.location]).toEqual([303, '/console/'])
    const setCookie = String(login.headers['set-cookie'])
    expect(setCookie).toMatch(/^elb-local-session=[\w-]{43}; HttpOnly; SameSite=Strict; Path=\/$/)
    const cookie = setCookie.split(';')[0] ?? ''
    // The same link again: spent.
    const again = await send('GET', path)
    expect([again.status, code(again)]).toEqual([403, 'InvalidLoginCode'])
    // The console's calls: its dummy-key Query API calls, the admin API, the metrics JSON.
    const describe = await consoleSignedDescribe(cookie)
    expect([describe.status, describe.body]).toEqual([200, expect.stringContaining('<LoadBalancerName>keep</LoadBalancerName>')])
    expect((await send('GET', '/__elb-local/instances', {Cookie: cookie})).status).toBe(200)
    expect((await send('GET', '/metrics/load-balancers', {Cookie: cookie})).status).toBe(200)
    // Without the cookie the console's dummy key is just an unknown key.
    const stranger = await consoleSignedDescribe()
    expect([stranger.status, /<Code>(\w+)<\/Code>/.exec(stranger.body)?.[1]]).toEqual([403, 'InvalidClientTokenId'])
    const forged = await consoleSignedDescribe('elb-local-session=forged')
    expect(forged.status).toBe(403)
  })

  it('a made-up code is refused and sets no cookie', async () => {
    const answer = await send('GET', '/__elb-local/console-login?code=made-up')
    expect([answer.status, answer.headers['set-cookie'], code(answer)]).toEqual([403, undefined, 'InvalidLoginCode'])
  })
})

describe('the SDK clients', () => {
  it('are unaffected: a signed request is answered, an unsigned one is not', async () => {
    const elb = ownerElb()
    try {
      expect((await elb.send(new DescribeLoadBalancersCommand({}))).LoadBalancerDescriptions?.map((lb) => lb.LoadBalancerName)).toEqual(['keep'])
    } finally {
      elb.destroy()
    }
    const unsigned = await send('POST', '/', {'Content-Type': 'application/x-www-form-urlencoded'}, 'Action=DescribeLoadBalancers&Version=2012-06-01')
    expect(unsigned.status).toBe(403)
  })
})
