/**
 * The CLI against endpoints that misbehave (issue 16 #11) and endpoint/region mistakes (issue 21
 * #2, #3): the real bin/ commands (the start-up-snapshot shim) against small real HTTP servers on
 * loopback that hang, send an HTML page, 1 GiB, a gzip bomb or XML nested without end. Each gets
 * one sentence naming the endpoint's answer and a non-zero exit, never the usage text.
 */
import {createServer, type IncomingMessage, type ServerResponse} from 'node:http'
import type {AddressInfo, Socket} from 'node:net'
import {join} from 'node:path'
import {gzipSync} from 'node:zlib'
import {afterAll, afterEach, beforeAll, describe, expect, it} from '@jest/globals'
import {claimPort} from '../helpers/networks.js'
import {ensureBuilt, REPO, runProcess, type RunResult} from '../helpers/processes.js'

const noEngine = {ELB_LOCAL_AUTOSTART: '0', ELB_LOCAL_HOME: '/nonexistent/endpoint-answers-test', AWS_ELB_READ_TIMEOUT: '', AWS_ELB_URL: ''}
const run = (name: string, args: string[], env: NodeJS.ProcessEnv = {}): Promise<RunResult> =>
  runProcess(join(REPO, 'bin', name), args, {env: {...noEngine, ...env}})
/** The jar wraps messages at 79 columns; compare the words. */
const unwrapped = (text: string): string => text.replace(/\n /g, ' ')
const plain = (result: RunResult): RunResult => ({...result, stderr: unwrapped(result.stderr)})
/** What `elb-describe-lbs` prints (exit 30, one sentence, no usage) for an answer that is not ELB's. */
const badAnswer = (url: string, detail: string): RunResult => ({
  code: 30, stdout: '', stderr: `elb-describe-lbs:  The endpoint ${url} answered with something that is not an ELB API response (${detail}).\n\n`,
})

interface TestServer {
  readonly url: string
  /** Requests received so far. */
  readonly requests: IncomingMessage[]
  /** Bytes of body written to clients. */
  sent: number
  close(): Promise<void>
}

const servers: TestServer[] = []

/** A real DescribeLoadBalancers answer (one load balancer), as AWS words it. */
const DESCRIBE_ANSWER = '<DescribeLoadBalancersResponse xmlns="http://elasticloadbalancing.amazonaws.com/doc/2012-06-01/">' +
  '<DescribeLoadBalancersResult><LoadBalancerDescriptions><member><LoadBalancerName>web</LoadBalancerName>' +
  '<DNSName>web-1.us-east-1.elb.amazonaws.com</DNSName><CreatedTime>2013-05-24T21:15:31.280Z</CreatedTime>' +
  '<Scheme>internet-facing</Scheme></member></LoadBalancerDescriptions></DescribeLoadBalancersResult>' +
  '<ResponseMetadata><RequestId>r-1</RequestId></ResponseMetadata></DescribeLoadBalancersResponse>'
const answering = (status: number, type: string, body: string | Buffer, headers: Record<string, string> = {}) =>
  (response: ServerResponse): void => {
    response.writeHead(status, {'Content-Type': type, ...headers})
    response.end(body)
  }
const describeAnswer = answering(200, 'text/xml', DESCRIBE_ANSWER)

/** A real HTTP server on 127.0.0.1, port 0 (held until closed), answering with `answer`. */
async function serve(answer: (response: ServerResponse, server: TestServer) => void): Promise<TestServer> {
  const sockets = new Set<Socket>()
  const requests: IncomingMessage[] = []
  const server = createServer((request, response) => {
    requests.push(request)
    request.resume()
    answer(response, handle)
  })
  const handle: TestServer = {
    url: '',
    requests,
    sent: 0,
    close: () => new Promise((resolve) => {
      for (const socket of sockets) socket.destroy()
      server.close(() => { resolve() })
    }),
  }
  server.on('connection', (socket) => { sockets.add(socket); socket.once('close', () => sockets.delete(socket)) })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  Object.assign(handle, {url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/`})
  servers.push(handle)
  return handle
}

beforeAll(() => { ensureBuilt() })
afterEach(async () => { await Promise.all(servers.splice(0).map((server) => server.close())) })

describe('an endpoint that misbehaves (issue 16 #11)', () => {
  it('never answers: a read timeout (AWS_ELB_READ_TIMEOUT), exit 31, instead of hanging', async () => {
    const server = await serve(() => { /* holds the request open, says nothing */ })
    const started = Date.now()
    const result = await run('elb-describe-lbs', ['-U', server.url], {AWS_ELB_READ_TIMEOUT: '0.5'})
    expect(plain(result)).toEqual({
      code: 31, stdout: '',
      stderr: `elb-describe-lbs:  Read timeout on endpoint URL ${server.url}: no answer within 0.5 s. Set AWS_ELB_READ_TIMEOUT=<SECONDS> for a longer limit.\n\n`,
    })
    expect(server.requests).toHaveLength(1)
    expect(Date.now() - started).toBeLessThan(15_000)
  })

  it('a bad AWS_ELB_READ_TIMEOUT is one sentence, exit 1, nothing sent', async () => {
    const server = await serve(describeAnswer)
    const result = await run('elb-describe-lbs', ['-U', server.url], {AWS_ELB_READ_TIMEOUT: '-3'})
    expect(plain(result)).toEqual({
      code: 1, stdout: '',
      stderr: "elb-describe-lbs:  AWS_ELB_READ_TIMEOUT '-3' is not a number of seconds above 0 (such as 60 or 2.5).\n\n",
    })
    expect(server.requests).toHaveLength(0)
  })

  it('an HTML page with 200 is not "no load balancers": exit 30, naming the answer', async () => {
    const server = await serve(answering(200, 'text/html; charset=utf-8', '<!DOCTYPE html><html><body><h1>Welcome to nginx!</h1></body></html>'))
    expect(plain(await run('elb-describe-lbs', ['-U', server.url]))).toEqual(badAnswer(server.url, 'HTTP 200, text/html'))
  })

  it('another operation\'s document with 200 is not this one\'s answer either', async () => {
    const body = '<?xml version="1.0"?>\n<ListServerCertificatesResponse><ListServerCertificatesResult/></ListServerCertificatesResponse>'
    const server = await serve(answering(200, 'text/xml', body))
    expect(plain(await run('elb-describe-lbs', ['-U', server.url]))).toEqual(badAnswer(server.url, 'HTTP 200, text/xml'))
  })

  it('an HTML 400 is the endpoint\'s fault, not "Malformed input-null" plus usage', async () => {
    const server = await serve(answering(400, 'text/html', '<html><body>400 Bad Request</body></html>'))
    expect(plain(await run('elb-describe-lbs', ['-U', server.url]))).toEqual(badAnswer(server.url, 'HTTP 400, text/html'))
  })

  it('an error document with 100 000 empty <Error>s is read in linear time (was minutes of regex)', async () => {
    const server = await serve(answering(400, 'text/xml', `<ErrorResponse>${'<Error></Error>'.repeat(100_000)}</ErrorResponse>`))
    const started = Date.now()
    expect(plain(await run('elb-describe-lbs', ['-U', server.url]))).toEqual(badAnswer(server.url, 'HTTP 400, text/xml'))
    expect(Date.now() - started).toBeLessThan(15_000)
  })

  it('1 GiB of answer: refused past 16 MiB while it streams (the rest is never read)', async () => {
    const chunk = Buffer.alloc(1024 * 1024, ' ')
    const server = await serve((response, self) => {
      response.writeHead(200, {'Content-Type': 'text/xml'})
      const pump = (): void => {
        while (self.sent < 1024 * chunk.length && !response.destroyed) {
          self.sent += chunk.length
          if (!response.write(chunk)) {
            response.once('drain', pump)
            return
          }
        }
        response.end()
      }
      pump()
    })
    expect(plain(await run('elb-describe-lbs', ['-U', server.url]))).toEqual(badAnswer(server.url, 'HTTP 200, text/xml, more than 16 MiB'))
    // The client hung up soon after 16 MiB (socket buffers hold a few MiB more), not at 1 GiB.
    expect(server.sent).toBeLessThan(64 * 1024 * 1024)
  })

  it('a Content-Length over the limit is refused before the body is read', async () => {
    const server = await serve((response) => {
      response.writeHead(200, {'Content-Type': 'text/xml', 'Content-Length': String(2 ** 30)})
      response.write('<DescribeLoadBalancersResponse>')
    })
    const result = await run('elb-describe-lbs', ['-U', server.url], {AWS_ELB_READ_TIMEOUT: '20'})
    expect(result.code).toBe(30)
    expect(unwrapped(result.stderr)).toContain('(HTTP 200, text/xml, more than 16 MiB)')
  })

  it('a gzip bomb is never inflated: a Content-Encoding we did not ask for is refused', async () => {
    const bomb = gzipSync(Buffer.alloc(64 * 1024 * 1024, '<'))
    const server = await serve(answering(200, 'text/xml', bomb, {'Content-Encoding': 'gzip'}))
    expect(plain(await run('elb-describe-lbs', ['-U', server.url])))
      .toEqual(badAnswer(server.url, 'HTTP 200, text/xml, Content-Encoding gzip, never asked for'))
  })

  it('XML nested 100 000 deep: refused in one linear pass, not "Malformed input-null"', async () => {
    const depth = 100_000
    const nested = `<DescribeLoadBalancersResponse>${'<member>'.repeat(depth)}${'</member>'.repeat(depth)}</DescribeLoadBalancersResponse>`
    const server = await serve(answering(200, 'text/xml', nested))
    expect(plain(await run('elb-describe-lbs', ['-U', server.url])))
      .toEqual(badAnswer(server.url, 'HTTP 200, text/xml, XML nested deeper than 100 elements'))
  })

  it('a real ELB answer over the same path still prints as the legacy tool does', async () => {
    const server = await serve(describeAnswer)
    expect(await run('elb-describe-lbs', ['-U', server.url])).toEqual({
      code: 0, stderr: '', stdout: 'LOAD_BALANCER  web  web-1.us-east-1.elb.amazonaws.com  2013-05-24T21:15:31.280Z  internet-facing\n',
    })
  })

  it('the legacy error answers keep the jar\'s words: an ELB 400 error, an HTML 500', async () => {
    const notFound = '<ErrorResponse><Error><Type>Sender</Type><Code>LoadBalancerNotFound</Code>' +
      '<Message>Cannot find Load Balancer nosuch</Message></Error><RequestId>r-2</RequestId></ErrorResponse>'
    const rejecting = await serve(answering(400, 'text/xml', notFound))
    const rejected = await run('elb-describe-lbs', ['nosuch', '-U', rejecting.url])
    expect(rejected.code).toBe(1)
    expect(rejected.stderr.split('\n').slice(0, 2)).toEqual(['elb-describe-lbs:  Malformed input-Cannot find Load Balancer nosuch', 'Usage:'])
    const failing = await serve(answering(500, 'text/html', '<html>oops</html>'))
    expect(await run('elb-describe-lbs', ['-U', failing.url]))
      .toEqual({code: 30, stdout: '', stderr: 'elb-describe-lbs:  Service error: null  AWSRequestId:null\n\n'})
  })

  it('IAM commands get the same limits, naming the IAM API', async () => {
    const server = await serve(answering(200, 'text/html', '<html></html>'))
    expect(await run('iam-servercertlistbypath', ['--url', server.url])).toEqual({
      code: 30, stdout: '',
      stderr: `iam-servercertlistbypath:  The endpoint ${server.url} answered with something that is not an IAM API response (HTTP 200, text/html).\n`,
    })
  })
})

describe('a Region name that is not a Region (issue 21 #2)', () => {
  it('us-east-9 and mars-1 get the same sentence, exit 1, before anything is signed or sent', async () => {
    const server = await serve(describeAnswer)
    for (const region of ['us-east-9', 'mars-1']) {
      const result = await run('elb-describe-lbs', ['--region', region, '-U', server.url])
      expect(result.code).toBe(1)
      expect(unwrapped(result.stderr).split('\n')[0]).toBe(
        `elb-describe-lbs:  Malformed input-Invalid region: '${region}' is not an AWS Region name (such as us-east-1 or eu-west-1)`)
    }
    const fromEnv = await run('elb-describe-lbs', ['-U', server.url], {EC2_REGION: 'us-east-9'})
    expect(fromEnv.code).toBe(1)
    expect(server.requests).toHaveLength(0)
    expect((await run('elb-describe-lbs', ['--region', 'ap-southeast-5', '-U', server.url])).code).toBe(0)
  })
})

describe('endpoint mistakes (issue 21 #3)', () => {
  it('no scheme, a bad port, from -U or AWS_ELB_URL: one sentence, exit 1 (the README\'s bad-input code), no usage', async () => {
    const cases: [string[], NodeJS.ProcessEnv, string][] = [
      [['-U', '127.0.0.1:8773'], {}, "-U/--url '127.0.0.1:8773' has no scheme: write it as http://127.0.0.1:8773."],
      [[], {AWS_ELB_URL: '127.0.0.1:8773'}, "AWS_ELB_URL '127.0.0.1:8773' has no scheme: write it as http://127.0.0.1:8773."],
      [['-U', 'http://127.0.0.1:99999'], {}, "-U/--url 'http://127.0.0.1:99999' has a bad port '99999': a port is a number from 1 to 65535."],
    ]
    for (const [args, env, sentence] of cases) {
      const result = await run('elb-describe-lbs', args, env)
      expect(plain(result)).toEqual({code: 1, stdout: '', stderr: `elb-describe-lbs:  ${sentence}\n\n`})
    }
  })

  describe('nothing listening at a loopback -U: the `elb-local start` hint, not only for the default endpoint', () => {
    let claim: Awaited<ReturnType<typeof claimPort>>
    beforeAll(async () => { claim = await claimPort() })
    afterAll(async () => { await claim.release() })

    it('elb-* and iam-* say how to start an engine there', async () => {
      const endpoint = `http://127.0.0.1:${claim.port}`
      const refused = "Couldn't reach the service (reason: Connection refused) - please check your network settings and " +
        `if the problem continues, contact support. No local engine answers at ${endpoint}: start it with ` +
        `\`ELB_LOCAL_ENDPOINT=${endpoint} elb-local start\`.`
      const elb = await run('elb-describe-lbs', ['-U', `${endpoint}/`])
      expect(plain(elb)).toEqual({code: 31, stdout: '', stderr: `elb-describe-lbs:  ${refused}\n\n`})
      const iam = await run('iam-servercertlistbypath', [], {AWS_ELB_URL: endpoint})
      expect(iam).toEqual({code: 31, stdout: '', stderr: `${refused}\n`})
      // The engine's own endpoint (ELB_LOCAL_ENDPOINT) given as -U: plain `elb-local start`.
      const same = await run('elb-describe-lbs', ['-U', endpoint], {ELB_LOCAL_ENDPOINT: endpoint})
      expect(unwrapped(same.stderr)).toContain(`No local engine answers at ${endpoint}: start it with \`elb-local start\`.`)
    })
  })
})
