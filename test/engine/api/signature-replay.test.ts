import {createHmac} from 'node:crypto'
import {createServer, request, type IncomingHttpHeaders, type Server} from 'node:http'
import type {AddressInfo} from 'node:net'
import {CreateLoadBalancerCommand, DescribeLoadBalancersCommand, ElasticLoadBalancingClient} from '@aws-sdk/client-elastic-load-balancing'
import {Hash} from '@smithy/core/serde'
import {SignatureV4} from '@smithy/signature-v4'
import {startApiServer, type ApiServerHandle} from '../../helpers/api-server.js'
import {runCli} from '../../commands/run-cli.js'

/**
 * Issue 16: a signature must bind the request it was made for. A captured signed request replayed
 * with another body, a SigV4 signature that leaves `host` out, a SigV2 `Expires` decades ahead are
 * all refused with AWS's error, and nothing changes.
 */

const KEY = 'AKIDREPLAYTEST'
const SECRET = 'replay-secret'
const MISMATCH = 'The request signature we calculated does not match the signature you provided. ' +
  'Check your AWS Secret Access Key and signing method. Consult the service documentation for details.'
const FORM = {'content-type': 'application/x-www-form-urlencoded; charset=utf-8'}

interface Captured {
  readonly method: string
  readonly headers: IncomingHttpHeaders
  readonly body: string
}

let api: ApiServerHandle
let recorder: Server
let recorderEndpoint: string
const captured: Captured[] = []

/** A recording proxy in front of the engine: what an eavesdropper on loopback would have. */
function startRecorder(target: string): Promise<Server> {
  const server = createServer((req, res) => {
    const chunks: Buffer[] = []
    req.on('data', (chunk: Buffer) => chunks.push(chunk))
    req.on('end', () => {
      const body = Buffer.concat(chunks)
      captured.push({method: req.method ?? 'GET', headers: req.headers, body: body.toString('utf8')})
      const forward = request(new URL(req.url ?? '/', target), {method: req.method, headers: req.headers}, (answer) => {
        res.writeHead(answer.statusCode ?? 500, answer.headers)
        answer.pipe(res)
      })
      forward.end(body)
    })
  })
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => { resolve(server) }))
}

beforeEach(async () => {
  captured.length = 0
  api = await startApiServer({credentials: new Map([[KEY, SECRET]])})
  recorder = await startRecorder(api.endpoint)
  recorderEndpoint = `http://127.0.0.1:${(recorder.address() as AddressInfo).port}/`
})
afterEach(async () => {
  recorder.closeAllConnections()
  await new Promise((resolve) => recorder.close(resolve))
  await api.close()
})

function client(endpoint: string): ElasticLoadBalancingClient {
  return new ElasticLoadBalancingClient({region: 'us-east-1', endpoint, credentials: {accessKeyId: KEY, secretAccessKey: SECRET}, maxAttempts: 1})
}

/** Sends `body` with the captured request's headers (Content-Length follows the new body). */
async function replay(original: Captured, body: string): Promise<{status: number; code: string | undefined; message: string | undefined}> {
  const headers = Object.fromEntries(Object.entries(original.headers)
    .filter(([name]) => name !== 'host' && name !== 'content-length' && name !== 'connection')
    .map(([name, value]) => [name, String(value)]))
  // Through the recorder: the Host the signature names.
  const res = await fetch(recorderEndpoint, {method: original.method, headers, body})
  const text = await res.text()
  return {status: res.status, code: /<Code>([^<]*)<\/Code>/.exec(text)?.[1], message: /<Message>([^<]*)<\/Message>/.exec(text)?.[1]}
}

async function createLoadBalancer(name: string): Promise<void> {
  const elb = client(api.endpoint)
  try {
    await elb.send(new CreateLoadBalancerCommand({
      LoadBalancerName: name, AvailabilityZones: ['us-east-1a'], Listeners: [{Protocol: 'HTTP', LoadBalancerPort: 80, InstancePort: 80}],
    }))
  } finally {
    elb.destroy()
  }
}

const deleteBody = (name: string) => `Action=DeleteLoadBalancer&Version=2012-06-01&LoadBalancerName=${name}`

/** Creates the load balancer whose DeleteLoadBalancer body is exactly as long as `body`. */
async function sameLengthVictim(body: string): Promise<string> {
  const victim = 'v'.repeat(body.length - deleteBody('').length)
  expect(victim.length).toBeGreaterThan(0)
  expect(deleteBody(victim).length).toBe(body.length)
  await createLoadBalancer(victim)
  return victim
}

const names = () => api.store.region('us-east-1').loadBalancers.map((lb) => lb.name)

describe('a captured SigV4 request replayed with another body', () => {
  it('the SDK’s signed DescribeLoadBalancers cannot carry a DeleteLoadBalancer body of the same length: SignatureDoesNotMatch', async () => {
    const elb = client(recorderEndpoint)
    try {
      await elb.send(new DescribeLoadBalancersCommand({LoadBalancerNames: ['abcd']})).catch(() => undefined)
    } finally {
      elb.destroy()
    }
    const [describe] = captured
    if (describe === undefined) throw new Error('nothing captured')
    // What makes the replay possible: the SDK signs the payload's hash (and its length) as headers.
    expect(String(describe.headers.authorization)).toMatch(/SignedHeaders=[^,]*content-length;[^,]*x-amz-content-sha256/)
    expect((await replay(describe, describe.body)).status).toBe(400) // LoadBalancerNotFound: the signature holds
    const victim = await sameLengthVictim(describe.body)
    expect(await replay(describe, deleteBody(victim))).toEqual({status: 403, code: 'SignatureDoesNotMatch', message: MISMATCH})
    expect(names()).toEqual([victim])
  })

  it('elb-describe-lbs -I -S replayed with a DeleteLoadBalancer body of the same length is refused', async () => {
    const described = await runCli('elb-describe-lbs', ['probe', '-U', recorderEndpoint, '-I', KEY, '-S', SECRET, '--region', 'us-east-1'])
    expect(described.code).not.toBe(0) // LoadBalancerNotFound: what matters is the signed request
    const [describe] = captured
    if (describe === undefined) throw new Error('nothing captured')
    const victim = await sameLengthVictim(describe.body)
    expect(await replay(describe, deleteBody(victim))).toEqual({status: 403, code: 'SignatureDoesNotMatch', message: MISMATCH})
    expect(names()).toEqual([victim])
  })

  it('UNSIGNED-PAYLOAD is not accepted by a Query API: the body is always hashed', async () => {
    const body = 'Action=DeleteLoadBalancer&Version=2012-06-01&LoadBalancerName=keep'
    await createLoadBalancer('keep')
    const headers = await sign({...FORM, host: new URL(api.endpoint).host, 'x-amz-content-sha256': 'UNSIGNED-PAYLOAD'}, body)
    const res = await fetch(api.endpoint, {method: 'POST', headers, body})
    expect([res.status, /<Code>([^<]*)<\/Code>/.exec(await res.text())?.[1]]).toEqual([403, 'SignatureDoesNotMatch'])
    expect(names()).toEqual(['keep'])
  })
})

/** A SigV4 Authorization made by the SDK's signer over exactly `headers` (no Host unless given). */
async function sign(headers: Record<string, string>, body: string): Promise<Record<string, string>> {
  const signer = new SignatureV4({
    credentials: {accessKeyId: KEY, secretAccessKey: SECRET}, region: 'us-east-1', service: 'elasticloadbalancing', sha256: Hash.bind(null, 'sha256'),
  })
  const url = new URL(api.endpoint)
  const signed = await signer.sign({method: 'POST', protocol: 'http:', hostname: url.hostname, path: '/', query: {}, headers, body})
  return signed.headers
}

describe('SigV4 SignedHeaders', () => {
  it('without host: IncompleteSignature (400), AWS’s message, nothing changes; with host: answered', async () => {
    const body = 'Action=DeleteLoadBalancer&Version=2012-06-01&LoadBalancerName=keep'
    await createLoadBalancer('keep')
    const headers = await sign(FORM, body)
    expect(headers.authorization).toMatch(/SignedHeaders=content-type;x-amz-content-sha256;x-amz-date,/)
    const res = await fetch(api.endpoint, {method: 'POST', headers, body})
    const text = await res.text()
    expect([res.status, /<Code>([^<]*)<\/Code>/.exec(text)?.[1], /<Message>([^<]*)<\/Message>/.exec(text)?.[1]])
      .toEqual([400, 'IncompleteSignature', "'Host' or ':authority' must be a 'SignedHeader' in the AWS Authorization."])
    expect(names()).toEqual(['keep'])
    const withHost = await sign({...FORM, host: new URL(api.endpoint).host}, body)
    expect((await fetch(api.endpoint, {method: 'POST', headers: withHost, body})).status).toBe(200)
    expect(names()).toEqual([])
  })
})

/** A SigV2 GET as the legacy tools sign it, with Expires instead of Timestamp (RFC 3986 encoding). */
function sigV2Url(params: Record<string, string>): string {
  const all = {...params, AWSAccessKeyId: KEY, SignatureMethod: 'HmacSHA256', SignatureVersion: '2'}
  const encode = (text: string) => encodeURIComponent(text).replace(/[!'()*]/g, (char) => `%${char.charCodeAt(0).toString(16).toUpperCase()}`)
  const query = Object.keys(all).sort().map((key) => `${encode(key)}=${encode(all[key as keyof typeof all])}`).join('&')
  const url = new URL(api.endpoint)
  const signature = createHmac('sha256', SECRET).update(`GET\n${url.host}\n/\n${query}`).digest('base64')
  return `${api.endpoint}?${query}&Signature=${encode(signature)}`
}

describe('SigV2 Expires', () => {
  it('decades ahead is refused (IncompleteSignature); within 15 minutes is answered', async () => {
    await createLoadBalancer('keep')
    const far = await fetch(sigV2Url({Action: 'DeleteLoadBalancer', Version: '2012-06-01', LoadBalancerName: 'keep', Expires: '2099-01-01T00:00:00Z'}))
    const text = await far.text()
    expect([far.status, /<Code>([^<]*)<\/Code>/.exec(text)?.[1], /<Message>([^<]*)<\/Message>/.exec(text)?.[1]])
      .toEqual([400, 'IncompleteSignature', 'Expires must be within 15 minutes of the current time, got \'2099-01-01T00:00:00Z\'.'])
    expect(names()).toEqual(['keep'])
    const soon = new Date(Date.now() + 10 * 60_000).toISOString().replace(/\.\d+Z$/, 'Z')
    const near = await fetch(sigV2Url({Action: 'DescribeLoadBalancers', Version: '2012-06-01', Expires: soon}))
    expect(near.status).toBe(200)
  })
})
