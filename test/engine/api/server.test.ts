import {createHmac} from 'node:crypto'
import {request} from 'node:http'
import {
  CreateLoadBalancerCommand,
  DescribeLoadBalancersCommand,
  ElasticLoadBalancingServiceException,
  SetLoadBalancerPoliciesOfListenerCommand,
  type CreateLoadBalancerCommandInput,
  type DescribeLoadBalancersCommandInput,
  type SetLoadBalancerPoliciesOfListenerInput,
} from '@aws-sdk/client-elastic-load-balancing'
import {ListServerCertificatesCommand} from '@aws-sdk/client-iam'
import {InternalFailure, LoadBalancerNotFound} from '../../../src/engine/model/errors.js'
import type {RequestContext} from '../../../src/engine/model/types.js'
import {elbStandIn, startApiServer, type ApiServerHandle} from '../../helpers/api-server.js'

/**
 * The Query API edge on a real socket: envelopes, errors, region scoping, SigV2 GET requests, body
 * limits and write ordering. The ELB side is a small scratch handler (per-region names in memory)
 * so these tests do not depend on the ELB model's rules.
 */

const ELB_NS = 'http://elasticloadbalancing.amazonaws.com/doc/2012-06-01/'
const IAM_NS = 'https://iam.amazonaws.com/doc/2010-05-08/'
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/

class ScratchElb {
  readonly byRegion = new Map<string, string[]>()
  readonly calls: {method: string; ctx: RequestContext; input: unknown}[] = []

  createLoadBalancer(ctx: RequestContext, input: CreateLoadBalancerCommandInput) {
    this.calls.push({method: 'createLoadBalancer', ctx, input})
    const names = this.byRegion.get(ctx.region) ?? []
    names.push(input.LoadBalancerName ?? '')
    this.byRegion.set(ctx.region, names)
    return {DNSName: `${input.LoadBalancerName ?? ''}-1.${ctx.region}.elb.amazonaws.com`}
  }

  describeLoadBalancers(ctx: RequestContext, input: DescribeLoadBalancersCommandInput) {
    this.calls.push({method: 'describeLoadBalancers', ctx, input})
    const names = this.byRegion.get(ctx.region) ?? []
    const missing = input.LoadBalancerNames?.find((name) => !names.includes(name))
    if (missing !== undefined) throw new LoadBalancerNotFound(`Cannot find Load Balancer ${missing}`)
    return {
      LoadBalancerDescriptions: names.map((name) => ({
        LoadBalancerName: name,
        ListenerDescriptions: [],
        CreatedTime: new Date('2026-01-02T03:04:05.678Z'),
        Instances: [],
      })),
    }
  }

  setLoadBalancerPoliciesOfListener(ctx: RequestContext, input: SetLoadBalancerPoliciesOfListenerInput) {
    this.calls.push({method: 'setLoadBalancerPoliciesOfListener', ctx, input})
    return {}
  }

  deleteLoadBalancer(): never {
    throw new Error('disk on fire')
  }

  describeAccountLimits(): never {
    throw new InternalFailure('explicit internal failure')
  }
}

interface RawResponse {
  readonly status: number
  readonly headers: Record<string, string | string[] | undefined>
  readonly body: string
}

function raw(api: ApiServerHandle, options: {method?: string; path?: string; body?: string | Buffer; headers?: Record<string, string>}): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const req = request(`${api.endpoint.replace(/\/$/, '')}${options.path ?? '/'}`, {
      method: options.method ?? 'POST',
      headers: {
        ...(options.body === undefined ? {} : {'Content-Type': 'application/x-www-form-urlencoded; charset=utf-8'}),
        ...options.headers,
      },
    }, (res) => {
      const chunks: Buffer[] = []
      res.on('data', (chunk: Buffer) => chunks.push(chunk))
      res.on('end', () => { resolve({status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8')}); })
      res.on('error', reject)
    })
    req.on('error', reject)
    req.end(options.body)
  })
}

function requestIdOf(response: RawResponse): string {
  const id = response.headers['x-amzn-requestid']
  expect(typeof id).toBe('string')
  expect(id).toMatch(UUID)
  return String(id)
}

function errorBody(namespace: string, type: string, code: string, message: string, requestId: string): string {
  return `<ErrorResponse xmlns="${namespace}">\n  <Error>\n    <Type>${type}</Type>\n    <Code>${code}</Code>\n` +
    `    <Message>${message}</Message>\n  </Error>\n  <RequestId>${requestId}</RequestId>\n</ErrorResponse>\n`
}

let api: ApiServerHandle
let elb: ScratchElb
let writes: string[]

beforeEach(async () => {
  elb = new ScratchElb()
  writes = []
  api = await startApiServer({
    elb: elbStandIn(elb),
    maxBodyBytes: 64 * 1024,
    afterWrite: async () => {
      await new Promise((resolve) => setTimeout(resolve, 20))
      writes.push(`after ${elb.calls.length}`)
    },
  })
})

afterEach(async () => {
  await api.close()
})

describe('error envelope', () => {
  it('answers an unknown Action with InvalidAction (400), byte for byte', async () => {
    const response = await raw(api, {body: 'Action=LaunchRockets&Version=2012-06-01'})
    expect(response.status).toBe(400)
    expect(response.headers['content-type']).toBe('text/xml')
    const requestId = requestIdOf(response)
    expect(response.body).toBe(errorBody(ELB_NS, 'Sender', 'InvalidAction', 'Could not find operation LaunchRockets for version 2012-06-01', requestId))
    // The engine log names the action it could not find.
    expect(api.log).toContainEqual(expect.stringMatching(new RegExp(`^${requestId} LaunchRockets 400 InvalidAction \\d+ms$`)))
  })

  it('answers a request without Action with MissingAction', async () => {
    const response = await raw(api, {body: 'Version=2012-06-01&LoadBalancerName=x'})
    expect(response.status).toBe(400)
    expect(response.body).toBe(errorBody(ELB_NS, 'Sender', 'MissingAction', 'Missing Action', requestIdOf(response)))
  })

  it('answers in the IAM namespace when the Version is IAM’s, and refuses ELB actions there', async () => {
    const response = await raw(api, {body: 'Action=DescribeLoadBalancers&Version=2010-05-08'})
    expect(response.status).toBe(400)
    expect(response.body).toBe(errorBody(IAM_NS, 'Sender', 'InvalidAction',
      'Could not find operation DescribeLoadBalancers for version 2010-05-08', requestIdOf(response)))
  })

  it('answers a malformed body with MalformedQueryString and keeps serving', async () => {
    const response = await raw(api, {body: 'Action=DescribeLoadBalancers&Version=2012-06-01&LoadBalancerNames.member.1=%E0%A4%A'})
    expect(response.status).toBe(404)
    expect(response.body).toContain('<Code>MalformedQueryString</Code>')
    const ok = await raw(api, {body: 'Action=DescribeLoadBalancers&Version=2012-06-01'})
    expect(ok.status).toBe(200)
  })

  it('answers a body over the limit with RequestEntityTooLarge (413) and keeps serving', async () => {
    const huge = `Action=DescribeLoadBalancers&Version=2012-06-01&Junk=${'x'.repeat(1024 * 1024)}`
    const response = await raw(api, {body: huge})
    expect(response.status).toBe(413)
    expect(response.body).toBe(errorBody(ELB_NS, 'Sender', 'RequestEntityTooLarge',
      'The request body exceeds the maximum of 65536 bytes.', requestIdOf(response)))
    const ok = await raw(api, {body: 'Action=DescribeLoadBalancers&Version=2012-06-01'})
    expect(ok.status).toBe(200)
  })

  it('survives a client that hangs up in the middle of its body', async () => {
    await new Promise<void>((resolve) => {
      const req = request(api.endpoint, {method: 'POST', headers: {'Content-Type': 'application/x-www-form-urlencoded', 'Content-Length': '1000'}})
      req.on('error', () => {
        resolve()
      })
      req.write('Action=DescribeLoadBalancers&Version=2012-06-01&', () => {
        setTimeout(() => {
          req.destroy()
          resolve()
        }, 20)
      })
    })
    const ok = await raw(api, {body: 'Action=DescribeLoadBalancers&Version=2012-06-01'})
    expect(ok.status).toBe(200)
    for (let attempt = 0; attempt < 50 && !api.log.some((line) => line.includes('client closed the connection')); attempt++) {
      await new Promise((resolve) => setTimeout(resolve, 10))
    }
    expect(api.log.some((line) => line.includes('client closed the connection mid-request'))).toBe(true)
  })

  it('turns a handler’s plain Error into 500 InternalFailure, logs it, and keeps serving', async () => {
    const response = await raw(api, {body: 'Action=DeleteLoadBalancer&Version=2012-06-01&LoadBalancerName=lb'})
    expect(response.status).toBe(500)
    const requestId = requestIdOf(response)
    expect(response.body).toBe(errorBody(ELB_NS, 'Receiver', 'InternalFailure',
      'The request processing has failed because of an unknown error, exception or failure.', requestId))
    expect(api.log.some((line) => line.includes(requestId) && line.includes('disk on fire'))).toBe(true)
    // Failed writes do not trigger the runtime.
    expect(writes).toEqual([])
    const ok = await api.elb.send(new DescribeLoadBalancersCommand({}))
    expect(ok.LoadBalancerDescriptions).toEqual([])
  })

  it('maps a modelled error to the SDK exception with the wire code', async () => {
    try {
      await api.elb.send(new DescribeLoadBalancersCommand({LoadBalancerNames: ['ghost']}))
      throw new Error('expected a failure')
    } catch (error) {
      expect(error).toBeInstanceOf(ElasticLoadBalancingServiceException)
      const sdkError = error as ElasticLoadBalancingServiceException
      expect(sdkError.name).toBe('AccessPointNotFoundException')
      expect(sdkError.message).toBe('Cannot find Load Balancer ghost')
      expect(sdkError.$metadata.httpStatusCode).toBe(400)
      expect(sdkError.$fault).toBe('client')
    }
  })

  it('reports a constraint violation in Coral wording before the handler runs', async () => {
    const response = await raw(api, {body: 'Action=ConfigureHealthCheck&Version=2012-06-01&HealthCheck.Target=TCP:80&HealthCheck.Interval=1'})
    expect(response.status).toBe(400)
    expect(response.body).toContain('<Code>ValidationError</Code>')
    expect(response.body).toContain(
      "<Message>5 validation errors detected: Value null at 'loadBalancerName' failed to satisfy constraint: Member must not be null; " +
      "Value '1' at 'healthCheck.interval' failed to satisfy constraint: Member must have value greater than or equal to 5; " +
      "Value null at 'healthCheck.timeout' failed to satisfy constraint: Member must not be null; " +
      "Value null at 'healthCheck.unhealthyThreshold' failed to satisfy constraint: Member must not be null; " +
      "Value null at 'healthCheck.healthyThreshold' failed to satisfy constraint: Member must not be null</Message>")
    const whole = await raw(api, {body: 'Action=ModifyLoadBalancerAttributes&Version=2012-06-01&LoadBalancerName=lb'})
    expect(whole.body).toContain("<Message>1 validation error detected: Value null at 'loadBalancerAttributes' failed to satisfy " +
      'constraint: Member must not be null</Message>')
  })
})

describe('success envelope', () => {
  it('serializes results generically, with x-amzn-RequestId equal to the body’s RequestId', async () => {
    await api.elb.send(new CreateLoadBalancerCommand({LoadBalancerName: 'web', Listeners: [{Protocol: 'HTTP', LoadBalancerPort: 80, InstancePort: 80}]}))
    const response = await raw(api, {body: 'Action=DescribeLoadBalancers&Version=2012-06-01'})
    expect(response.status).toBe(200)
    const requestId = requestIdOf(response)
    expect(response.body).toBe(
      `<DescribeLoadBalancersResponse xmlns="${ELB_NS}">\n` +
      '  <DescribeLoadBalancersResult>\n' +
      '    <LoadBalancerDescriptions>\n' +
      '      <member>\n' +
      '        <LoadBalancerName>web</LoadBalancerName>\n' +
      '        <ListenerDescriptions/>\n' +
      '        <CreatedTime>2026-01-02T03:04:05.678Z</CreatedTime>\n' +
      '        <Instances/>\n' +
      '      </member>\n' +
      '    </LoadBalancerDescriptions>\n' +
      '  </DescribeLoadBalancersResult>\n' +
      '  <ResponseMetadata>\n' +
      `    <RequestId>${requestId}</RequestId>\n` +
      '  </ResponseMetadata>\n' +
      '</DescribeLoadBalancersResponse>\n')
  })

  it('writes an empty Result element for an ELB operation without output, none for IAM', async () => {
    const elbVoid = await raw(api, {body: 'Action=SetLoadBalancerPoliciesOfListener&Version=2012-06-01&LoadBalancerName=web&LoadBalancerPort=443&PolicyNames='})
    expect(elbVoid.body).toContain('  <SetLoadBalancerPoliciesOfListenerResult/>\n  <ResponseMetadata>')
    // `PolicyNames=` is an explicitly empty list.
    expect(elb.calls.at(-1)?.input).toEqual({LoadBalancerName: 'web', LoadBalancerPort: 443, PolicyNames: []})
    const listed = await raw(api, {body: 'Action=ListServerCertificates&Version=2010-05-08'})
    expect(listed.body).toContain(`<ListServerCertificatesResponse xmlns="${IAM_NS}">`)
    expect(listed.body).toContain('<ServerCertificateMetadataList/>')
    expect(listed.body).toContain('<IsTruncated>false</IsTruncated>')
    const missing = await raw(api, {body: 'Action=UntagServerCertificate&Version=2010-05-08&ServerCertificateName=none&TagKeys.member.1=a'})
    expect(missing.status).toBe(404)
    api.store.update((state) => {
      state.iam.serverCertificates.push({name: 'present', id: 'ASCAAAAAAAAAAAAAAAAAA', path: '/', arn: 'arn:aws:iam::123456789012:server-certificate/present',
        certificateBody: 'body', privateKey: 'key', uploadDate: new Date().toISOString(), expiration: new Date().toISOString(), tags: []})
    })
    const iamVoid = await raw(api, {body: 'Action=UntagServerCertificate&Version=2010-05-08&ServerCertificateName=present&TagKeys.member.1=a'})
    expect(iamVoid.status).toBe(200)
    expect(iamVoid.body).toBe(`<UntagServerCertificateResponse xmlns="${IAM_NS}">\n` +
      `  <ResponseMetadata>\n    <RequestId>${requestIdOf(iamVoid)}</RequestId>\n  </ResponseMetadata>\n` +
      '</UntagServerCertificateResponse>\n')
  })

  it('sends the SDK’s empty list as a bare key and decodes it as []', async () => {
    await api.elb.send(new SetLoadBalancerPoliciesOfListenerCommand({LoadBalancerName: 'web', LoadBalancerPort: 80, PolicyNames: []}))
    expect(elb.calls.at(-1)?.input).toEqual({LoadBalancerName: 'web', LoadBalancerPort: 80, PolicyNames: []})
  })

  it('infers the service from the Action when Version is missing', async () => {
    const response = await raw(api, {body: 'Action=ListServerCertificates'})
    expect(response.status).toBe(200)
    expect(response.body).toContain(`xmlns="${IAM_NS}"`)
  })
})

describe('regions', () => {
  it('scopes requests by the SigV4 credential scope: two regions see different load balancers', async () => {
    await api.elb.send(new CreateLoadBalancerCommand({LoadBalancerName: 'east', Listeners: [{Protocol: 'HTTP', LoadBalancerPort: 80, InstancePort: 80}]}))
    const west = api.elbIn('eu-west-1')
    await west.send(new CreateLoadBalancerCommand({LoadBalancerName: 'west', Listeners: [{Protocol: 'TCP', LoadBalancerPort: 25, InstancePort: 25}]}))
    const inEast = await api.elb.send(new DescribeLoadBalancersCommand({}))
    const inWest = await west.send(new DescribeLoadBalancersCommand({}))
    expect(inEast.LoadBalancerDescriptions?.map((lb) => lb.LoadBalancerName)).toEqual(['east'])
    expect(inWest.LoadBalancerDescriptions?.map((lb) => lb.LoadBalancerName)).toEqual(['west'])
    const created = elb.calls.filter((call) => call.method === 'createLoadBalancer')
    expect(created.map((call) => call.ctx.region)).toEqual(['us-east-1', 'eu-west-1'])
    // The decoded input is the SDK's own shape.
    expect(created[1]?.input).toEqual({LoadBalancerName: 'west', Listeners: [{Protocol: 'TCP', LoadBalancerPort: 25, InstancePort: 25}]})
  })

  it('answers a legacy GET signed with Signature Version 2 (default region)', async () => {
    const params: Record<string, string> = {
      Action: 'DescribeLoadBalancers', Version: '2012-06-01', SignatureVersion: '2', SignatureMethod: 'HmacSHA256',
      Timestamp: new Date().toISOString(), AWSAccessKeyId: 'AKIDLEGACY', 'LoadBalancerNames.member.1': 'legacy',
    }
    const encode = (text: string) => encodeURIComponent(text).replace(/[!'()*]/g, (char) => `%${char.charCodeAt(0).toString(16).toUpperCase()}`)
    const canonical = Object.keys(params).sort().map((key) => `${encode(key)}=${encode(params[key] ?? '')}`).join('&')
    const host = `127.0.0.1:${api.port}`
    const signature = createHmac('sha256', 'legacy-secret').update(`GET\n${host}\n/\n${canonical}`).digest('base64')
    elb.byRegion.set('us-east-1', ['legacy'])
    const response = await raw(api, {method: 'GET', path: `/?${canonical}&Signature=${encode(signature)}`,
      headers: {'User-Agent': 'Amazon CLI/ElasticLoadBalancing 1.0.17.0 API 2012-06-01'}})
    expect(response.status).toBe(200)
    expect(response.body).toContain('<LoadBalancerName>legacy</LoadBalancerName>')
    expect(elb.calls.at(-1)?.ctx.region).toBe('us-east-1')
    expect(elb.calls.at(-1)?.input).toEqual({LoadBalancerNames: ['legacy']})
  })
})

describe('afterWrite', () => {
  it('is awaited after a successful write before the answer, and not after reads or failures', async () => {
    await api.elb.send(new CreateLoadBalancerCommand({LoadBalancerName: 'a', Listeners: [{Protocol: 'HTTP', LoadBalancerPort: 80, InstancePort: 80}]}))
    expect(writes).toEqual(['after 1'])
    await api.elb.send(new DescribeLoadBalancersCommand({}))
    await api.iam.send(new ListServerCertificatesCommand({}))
    expect(writes).toEqual(['after 1'])
    await raw(api, {body: 'Action=DescribeAccountLimits&Version=2012-06-01'})
    expect(writes).toEqual(['after 1'])
  })
})

describe('admin prefix', () => {
  it('sends /__elb-local/ requests to the admin handler', async () => {
    const seen: string[] = []
    const admin = await startApiServer({elb: elbStandIn(elb)})
    try {
      const none = await raw(admin, {method: 'GET', path: '/__elb-local/status'})
      expect(none.status).toBe(404)
    } finally {
      await admin.close()
    }
    const withAdmin = await startApiServer({
      elb: elbStandIn(elb),
      admin: (req, res) => {
        seen.push(req.url ?? '')
        res.writeHead(200, {'Content-Type': 'application/json'}).end('{"ok":true}')
        return Promise.resolve()
      },
    })
    try {
      const body = await fetch(`${withAdmin.endpoint}__elb-local/status?x=1`).then((res) => res.text())
      expect(body).toBe('{"ok":true}')
      expect(seen).toEqual(['/__elb-local/status?x=1'])
    } finally {
      await withAdmin.close()
    }
  })
})
