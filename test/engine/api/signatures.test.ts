import {DescribeLoadBalancersCommand, ElasticLoadBalancingClient} from '@aws-sdk/client-elastic-load-balancing'
import {IAMClient, ListServerCertificatesCommand} from '@aws-sdk/client-iam'
import {elbRejection, startApiServer, type ApiServerHandle} from '../../helpers/api-server.js'
import {runProcess} from '../../helpers/processes.js'

/**
 * Signature verification (issue 9, `elb-local start --credentials FILE`), checked with signers the
 * engine does not share: the JS SDK's clients, aws-cli and botocore (Python), curl's --aws-sigv4,
 * botocore's SigV2 signer for the legacy tools' GETs. Right secret → answered; wrong secret,
 * unknown key, no or half a signature, a stale clock → AWS's error, and nothing happens.
 */

const KEY = 'AKIDVERIFYTEST'
const SECRET = 'verify/secret+with=odd-chars'
const MISMATCH = 'The request signature we calculated does not match the signature you provided. ' +
  'Check your AWS Secret Access Key and signing method. Consult the service documentation for details.'

let api: ApiServerHandle
let clock: Date | undefined
beforeEach(async () => {
  clock = undefined
  api = await startApiServer({credentials: new Map([[KEY, SECRET]]), signatureClock: () => clock ?? new Date()})
})
afterEach(async () => {
  await api.close()
})

function elbClient(secretAccessKey: string, accessKeyId = KEY): ElasticLoadBalancingClient {
  return new ElasticLoadBalancingClient({region: 'eu-west-1', endpoint: api.endpoint, credentials: {accessKeyId, secretAccessKey}, maxAttempts: 1})
}

function errorOf(body: string): {code: string | undefined; message: string | undefined} {
  return {code: /<Code>([^<]*)<\/Code>/.exec(body)?.[1], message: /<Message>([^<]*)<\/Message>/.exec(body)?.[1]}
}

async function post(body: string, headers: Record<string, string> = {}): Promise<{status: number; body: string}> {
  const res = await fetch(api.endpoint, {method: 'POST', body, headers: {'Content-Type': 'application/x-www-form-urlencoded', ...headers}})
  return {status: res.status, body: await res.text()}
}

const CREATE = 'Action=CreateLoadBalancer&Version=2012-06-01&LoadBalancerName=web&Listeners.member.1.Protocol=HTTP&' +
  'Listeners.member.1.LoadBalancerPort=80&Listeners.member.1.InstancePort=80&AvailabilityZones.member.1=us-east-1a'

describe('the SDK clients', () => {
  it('are answered with the right secret, in the region of their credential scope', async () => {
    const elb = elbClient(SECRET)
    const iam = new IAMClient({region: 'us-east-1', endpoint: api.endpoint, credentials: {accessKeyId: KEY, secretAccessKey: SECRET}, maxAttempts: 1})
    try {
      expect((await elb.send(new DescribeLoadBalancersCommand({}))).LoadBalancerDescriptions).toEqual([])
      expect((await iam.send(new ListServerCertificatesCommand({}))).ServerCertificateMetadataList).toEqual([])
    } finally {
      elb.destroy()
      iam.destroy()
    }
  })

  it('get SignatureDoesNotMatch (403) with a wrong secret and InvalidClientTokenId (403) with an unknown key', async () => {
    const wrong = elbClient('not-the-secret')
    const unknown = elbClient(SECRET, 'AKIDNOBODY')
    try {
      const mismatch = await elbRejection(wrong.send(new DescribeLoadBalancersCommand({})))
      expect([mismatch.name, mismatch.$metadata.httpStatusCode, mismatch.message]).toEqual(['SignatureDoesNotMatch', 403, MISMATCH])
      const invalid = await elbRejection(unknown.send(new DescribeLoadBalancersCommand({})))
      expect([invalid.name, invalid.$metadata.httpStatusCode, invalid.message])
        .toEqual(['InvalidClientTokenId', 403, 'The security token included in the request is invalid.'])
    } finally {
      wrong.destroy()
      unknown.destroy()
    }
  })

  it('get RequestExpired (400) when the engine’s clock is more than 15 minutes from theirs, either way', async () => {
    const elb = elbClient(SECRET)
    try {
      for (const skewMs of [16 * 60_000, -16 * 60_000]) {
        clock = new Date(Date.now() + skewMs)
        const expired = await elbRejection(elb.send(new DescribeLoadBalancersCommand({})))
        expect([expired.name, expired.$metadata.httpStatusCode, expired.message]).toEqual(['RequestExpired', 400, 'Request has expired.'])
      }
      clock = new Date(Date.now() + 14 * 60_000)
      await elb.send(new DescribeLoadBalancersCommand({}))
    } finally {
      elb.destroy()
    }
  })
})

describe('unsigned and half-signed requests', () => {
  it('refuse a request without any signature: MissingAuthenticationToken (403), and change nothing', async () => {
    const answer = await post(CREATE)
    expect([answer.status, errorOf(answer.body)]).toEqual([403, {code: 'MissingAuthenticationToken', message: 'Request is missing Authentication Token'}])
    expect(api.store.region('us-east-1').loadBalancers).toEqual([])
  })

  it('refuse an Authorization header without its parts: IncompleteSignature (400), naming each missing part', async () => {
    const header = `AWS4-HMAC-SHA256 Credential=${KEY}/20260101/us-east-1/elasticloadbalancing/aws4_request`
    const answer = await post(CREATE, {Authorization: header, 'X-Amz-Date': '20260101T000000Z'})
    expect([answer.status, errorOf(answer.body)]).toEqual([400, {code: 'IncompleteSignature', message:
      `Authorization header requires 'Signature' parameter. Authorization header requires 'SignedHeaders' parameter. Authorization=${header}`}])
    const badScope = await post(CREATE, {Authorization: `AWS4-HMAC-SHA256 Credential=${KEY}/20260101, SignedHeaders=host, Signature=00`})
    expect(errorOf(badScope.body).code).toBe('IncompleteSignature')
    expect(api.store.region('us-east-1').loadBalancers).toEqual([])
  })
})

/** Runs a Python snippet with botocore (an independent SigV4/SigV2 signer); prints what it prints. */
async function python(script: string, env: Record<string, string>): Promise<string> {
  const result = await runProcess('python3', ['-c', script], {env})
  if (result.code !== 0) throw new Error(`python3 failed: ${result.stderr}`)
  return result.stdout.trim()
}

const BOTOCORE_SIGN = `
import os, sys, urllib.request, urllib.error
from botocore.auth import SigV2Auth, SigV4QueryAuth
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials
creds = Credentials(os.environ['KEY'], os.environ['SECRET'])
params = {'Action': 'DescribeLoadBalancers', 'Version': '2012-06-01'}
request = AWSRequest(method=os.environ['METHOD'], url=os.environ['ENDPOINT'], params=params)
if os.environ['KIND'] == 'v2':
    SigV2Auth(creds).add_auth(request)
else:
    SigV4QueryAuth(creds, 'elasticloadbalancing', 'us-east-1', expires=60).add_auth(request)
prepared = request.prepare()
try:
    with urllib.request.urlopen(urllib.request.Request(prepared.url, method=prepared.method)) as response:
        print(response.status, response.read().decode())
except urllib.error.HTTPError as error:
    print(error.code, error.read().decode())
`

describe('other signers', () => {
  it('botocore: a presigned SigV4 GET and a SigV2 request (the legacy tools’ scheme) are answered; a wrong secret is not', async () => {
    const env = {KEY, SECRET, ENDPOINT: api.endpoint}
    for (const [kind, method] of [['v4-query', 'GET'], ['v2', 'GET'], ['v2', 'POST']] as const) {
      const right = await python(BOTOCORE_SIGN, {...env, KIND: kind, METHOD: method})
      expect({kind, method, answer: right.slice(0, 4)}).toEqual({kind, method, answer: '200 '})
      expect(right).toContain('<DescribeLoadBalancersResponse')
      const wrong = await python(BOTOCORE_SIGN, {...env, SECRET: 'wrong', KIND: kind, METHOD: method})
      expect({kind, method, status: wrong.slice(0, 4), ...errorOf(wrong)}).toEqual({kind, method, status: '403 ', code: 'SignatureDoesNotMatch', message: MISMATCH})
    }
  })

  it('aws-cli: answered with the right secret, SignatureDoesNotMatch with a wrong one', async () => {
    const run = (secret: string) => runProcess('aws', ['elb', 'describe-load-balancers', '--endpoint-url', api.endpoint, '--region', 'us-east-1', '--output', 'json'], {
      env: {AWS_ACCESS_KEY_ID: KEY, AWS_SECRET_ACCESS_KEY: secret, AWS_CONFIG_FILE: '/dev/null', AWS_SHARED_CREDENTIALS_FILE: '/dev/null', AWS_MAX_ATTEMPTS: '1'},
    })
    const right = await run(SECRET)
    expect([right.code, JSON.parse(right.stdout)]).toEqual([0, {LoadBalancerDescriptions: []}])
    const wrong = await run('wrong')
    expect(wrong.code).not.toBe(0)
    expect(wrong.stderr).toContain('(SignatureDoesNotMatch)')
  })

  it('curl --aws-sigv4: answered with the right secret; refused with a wrong one or a credential scoped to another service', async () => {
    const curl = (sigv4: string, secret: string) => runProcess('curl', ['-sS', '--aws-sigv4', sigv4, '--user', `${KEY}:${secret}`,
      '-H', 'Content-Type: application/x-www-form-urlencoded', '-d', CREATE, '-w', '\n%{http_code}', api.endpoint])
    const right = await curl('aws:amz:us-east-1:elasticloadbalancing', SECRET)
    expect(right.stdout).toMatch(/<DNSName>web-\d+\.us-east-1\.elb\.amazonaws\.com<\/DNSName>[\s\S]*\n200$/)
    expect(api.store.region('us-east-1').loadBalancers.map((lb) => lb.name)).toEqual(['web'])
    const wrong = await curl('aws:amz:us-east-1:elasticloadbalancing', 'wrong')
    expect([wrong.stdout.slice(-3), errorOf(wrong.stdout)]).toEqual(['403', {code: 'SignatureDoesNotMatch', message: MISMATCH}])
    const otherService = await curl('aws:amz:us-east-1:iam', SECRET)
    expect([otherService.stdout.slice(-3), errorOf(otherService.stdout)])
      .toEqual(['403', {code: 'SignatureDoesNotMatch', message: "Credential should be scoped to correct service: 'elasticloadbalancing'. "}])
    const otherRegion = await curl('aws:amz:xx-evil-1:elasticloadbalancing', SECRET)
    expect(errorOf(otherRegion.stdout)).toEqual({code: 'SignatureDoesNotMatch', message: "Credential should be scoped to a valid region, not 'xx-evil-1'. "})
    expect(api.store.region('us-east-1').loadBalancers.map((lb) => lb.name)).toEqual(['web'])
  })
})

describe('the legacy command line (elb-* commands)', () => {
  it('works with -I/-S and the right secret; a wrong secret is the service’s refusal, exit 32', async () => {
    const {runCli} = await import('../../commands/run-cli.js')
    const create = (secret: string) => runCli('elb-create-lb', ['web', '--listener', 'protocol=http,lb-port=80,instance-port=80',
      '--availability-zones', 'us-east-1a', '-U', api.endpoint, '-I', KEY, '-S', secret, '--region', 'us-east-1'])
    const right = await create(SECRET)
    expect([right.code, right.stderr]).toEqual([0, ''])
    expect(right.stdout).toMatch(/^DNS_NAME {2}web-\d+\.us-east-1\.elb\.amazonaws\.com\n$/)
    expect(api.store.region('us-east-1').loadBalancers.map((lb) => lb.name)).toEqual(['web'])
    const wrong = await runCli('elb-delete-lb', ['web', '--force', '-U', api.endpoint, '-I', KEY, '-S', 'wrong', '--region', 'us-east-1'])
    expect(wrong.code).toBe(32)
    expect(wrong.stderr).toContain('elb-delete-lb:  Refused: The request signature we calculated does not match the signature you')
    expect(api.store.region('us-east-1').loadBalancers.map((lb) => lb.name)).toEqual(['web'])
  })
})
