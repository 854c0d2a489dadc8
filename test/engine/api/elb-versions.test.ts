import {afterAll, beforeAll, describe, expect, test} from '@jest/globals'
import {execFile} from 'node:child_process'
import {request} from 'node:http'
import {
  CreateLoadBalancerCommand,
  CreateLoadBalancerPolicyCommand,
  DescribeLoadBalancersCommand,
  ElasticLoadBalancingClient,
  ElasticLoadBalancingServiceException,
} from '@aws-sdk/client-elastic-load-balancing'
import {loadData} from '../../../src/common/data.js'
import {elbApiVersions, elbVersionHas} from '../../../src/engine/api/elb-versions.js'
import {serviceSpecs} from '../../../src/engine/api/operations.js'
import {startTestEngine, TEST_CREDENTIALS, type TestEngine} from '../../helpers/engine.js'

/**
 * Every ELB API version AWS published, on every path: the SDK with its Version replaced (a
 * middleware, as a client pinned to an old version sends it), a raw form POST, the legacy jar's
 * SigV2 GET and `curl --aws-sigv4`. Answers carry the version's namespace; an Action newer than the
 * version is InvalidAction.
 */

const ALL = ['2009-05-15', '2009-11-25', '2010-07-01', '2011-04-05', '2011-08-15', '2011-11-15', '2012-06-01']
const ns = (version: string) => `http://elasticloadbalancing.amazonaws.com/doc/${version}/`

let api: TestEngine

beforeAll(async () => { api = await startTestEngine() })
afterAll(async () => { await api.close() })

/** An ELB client that sends `version` instead of the SDK's 2012-06-01. */
function clientFor(version: string): ElasticLoadBalancingClient {
  const client = new ElasticLoadBalancingClient({endpoint: api.endpoint, region: api.region, credentials: TEST_CREDENTIALS, maxAttempts: 1})
  client.middlewareStack.add((next) => async (args) => {
    const req = args.request as {body?: unknown}
    if (typeof req.body === 'string') req.body = req.body.replace(/(^|&)Version=[^&]*/, `$1Version=${version}`)
    return next(args)
  }, {step: 'build', name: 'pinVersion'})
  return client
}

function send(method: 'GET' | 'POST', query: string): Promise<{status: number; body: string}> {
  return new Promise((resolve, reject) => {
    const url = method === 'GET' ? `${api.endpoint}/?${query}` : `${api.endpoint}/`
    const req = request(url, {method, headers: method === 'POST' ? {'Content-Type': 'application/x-www-form-urlencoded'} : {}}, (res) => {
      let body = ''
      res.setEncoding('utf8')
      res.on('data', (chunk: string) => { body += chunk })
      res.on('end', () => { resolve({status: res.statusCode ?? 0, body}) })
    })
    req.on('error', reject)
    req.end(method === 'POST' ? query : undefined)
  })
}

const SIGV2 = 'SignatureVersion=2&SignatureMethod=HmacSHA256&Timestamp=2026-11-24T01%3A25%3A56.442Z&AWSAccessKeyId=AKID&Signature=x'

test('the version table: seven versions, each one\'s Actions a superset of the older one\'s, all in the operation table', () => {
  expect([...elbApiVersions()].sort()).toEqual(ALL)
  expect(elbApiVersions()[0]).toBe('2012-06-01')
  const table = serviceSpecs().elb.operations
  const file = loadData<{versions: {version: string; adds: string[] | '*'}[]}>('elb-api-versions.json')
  for (const row of file.versions) if (row.adds !== '*') for (const action of row.adds) expect(table.has(action)).toBe(true)
  for (const action of table.keys()) expect(elbVersionHas('2012-06-01', action)).toBe(true)
  for (let i = 1; i < ALL.length; i++) {
    for (const action of table.keys()) {
      if (elbVersionHas(ALL[i - 1] ?? '', action)) expect(elbVersionHas(ALL[i] ?? '', action)).toBe(true)
    }
  }
})

describe.each(ALL)('ELB API %s', (version) => {
  test('the SDK (Version pinned by a middleware): answers in the version\'s namespace', async () => {
    const client = clientFor(version)
    const name = `v${version.replace(/-/g, '')}`
    const created = await client.send(new CreateLoadBalancerCommand({
      LoadBalancerName: name, AvailabilityZones: ['us-east-1a'], Listeners: [{Protocol: 'HTTP', LoadBalancerPort: 80, InstancePort: 8080}],
    }))
    expect(created.DNSName).toMatch(new RegExp(`^${name}-\\d+\\.us-east-1\\.elb\\.amazonaws\\.com$`))
    const described = await client.send(new DescribeLoadBalancersCommand({LoadBalancerNames: [name]}))
    expect(described.LoadBalancerDescriptions?.[0]?.LoadBalancerName).toBe(name)
    const policy = client.send(new CreateLoadBalancerPolicyCommand({
      LoadBalancerName: name, PolicyName: 'pp', PolicyTypeName: 'ProxyProtocolPolicyType', PolicyAttributes: [{AttributeName: 'ProxyProtocol', AttributeValue: 'true'}],
    }))
    if (version < '2011-08-15') {
      const error = await policy.then(() => undefined, (e: unknown) => e)
      expect(error).toBeInstanceOf(ElasticLoadBalancingServiceException)
      expect((error as ElasticLoadBalancingServiceException).name).toBe('InvalidAction')
      expect((error as ElasticLoadBalancingServiceException).message).toBe(`Could not find operation CreateLoadBalancerPolicy for version ${version}`)
    } else {
      await expect(policy).resolves.toBeDefined()
    }
    client.destroy()
  })

  test('raw POST and the legacy SigV2 GET: the namespace, and InvalidAction for a newer Action', async () => {
    const post = await send('POST', `Action=DescribeLoadBalancers&Version=${version}`)
    expect(post.status).toBe(200)
    expect(post.body).toContain(`<DescribeLoadBalancersResponse xmlns="${ns(version)}">`)
    const get = await send('GET', `Action=DescribeInstanceHealth&Version=${version}&LoadBalancerName=nothing&${SIGV2}`)
    expect(get.status).toBe(400)
    expect(get.body).toContain(`<ErrorResponse xmlns="${ns(version)}">`)
    expect(get.body).toContain('<Code>LoadBalancerNotFound</Code>')
    const vpc = await send('GET', `Action=AttachLoadBalancerToSubnets&Version=${version}&LoadBalancerName=x&Subnets.member.1=subnet-1&${SIGV2}`)
    if (version < '2011-11-15') {
      expect(vpc.status).toBe(400)
      expect(vpc.body).toContain(`<ErrorResponse xmlns="${ns(version)}">`)
      expect(vpc.body).toContain(`<Code>InvalidAction</Code>`)
      expect(vpc.body).toContain(`<Message>Could not find operation AttachLoadBalancerToSubnets for version ${version}</Message>`)
    } else {
      expect(vpc.body).not.toContain('InvalidAction')
    }
  })
})

test('curl --aws-sigv4 with the seed\'s Version 2011-11-15', async () => {
  const out = await new Promise<string>((resolve, reject) => {
    execFile('curl', ['-sS', '--aws-sigv4', 'aws:amz:us-east-1:elasticloadbalancing', '--user', `${TEST_CREDENTIALS.accessKeyId}:${TEST_CREDENTIALS.secretAccessKey}`,
      `${api.endpoint}/`, '--data-urlencode', 'Action=DescribeLoadBalancerPolicyTypes', '--data-urlencode', 'Version=2011-11-15',
      '--data-urlencode', 'PolicyTypeNames.member.1=SSLNegotiationPolicyType'], (error, stdout) => { if (error === null) resolve(stdout); else reject(new Error(error.message)) })
  })
  expect(out).toContain(`<DescribeLoadBalancerPolicyTypesResponse xmlns="${ns('2011-11-15')}">`)
  expect(out).toMatch(/<AttributeName>Protocol-SSLv3<\/AttributeName>\s*<AttributeType>Boolean<\/AttributeType>\s*<DefaultValue>true<\/DefaultValue>/)
})
