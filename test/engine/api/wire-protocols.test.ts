import {cbor} from '@smithy/core/cbor'
import {Hash} from '@smithy/core/serde'
import {SignatureV4} from '@smithy/signature-v4'
import {DescribeLoadBalancersCommand} from '@aws-sdk/client-elastic-load-balancing'
import {buildService} from '../../../src/engine/api/operations.js'
import {defineService, type ApiService, type DispatchMap} from '../../../src/engine/api/service.js'
import {ServiceError} from '../../../src/engine/model/errors.js'
import type {RequestContext} from '../../../src/engine/model/types.js'
import {startApiServer, TEST_CREDENTIALS, type ApiServerHandle} from '../../helpers/api-server.js'

/**
 * The wire protocols over the real server on loopback. Two services defined here and nowhere else
 * stand in for the next ones: "Gauges" speaks what CloudWatch speaks (RPC v2 CBOR, JSON 1.0, Query)
 * and "Vault" what ACM speaks (JSON 1.1). They reach the pipeline exactly as ELB, IAM and EC2 do
 * (a table, a dispatch map, their protocols), which shows a protocol fits without touching a
 * service. ELB, which AWS speaks only in Query, refuses JSON and CBOR in their own error shapes.
 */

interface Reading {
  readonly Name: string
  readonly Value: number
  readonly Labels: readonly string[]
  readonly TakenAt: Date
}

const TAKEN_AT = new Date(Date.UTC(2026, 0, 2, 3, 4, 5, 500))

class Gauges {
  readonly readings = new Map<string, Reading>()

  putReading(_ctx: RequestContext, input: {Name: string; Value: number; Labels?: string[]}): object {
    this.readings.set(input.Name, {Name: input.Name, Value: input.Value, Labels: input.Labels ?? [], TakenAt: TAKEN_AT})
    return {}
  }

  getReading(_ctx: RequestContext, input: {Name: string}): Reading {
    const reading = this.readings.get(input.Name)
    if (reading === undefined) throw new ServiceError('ResourceNotFoundException', `No reading named ${input.Name}.`)
    return reading
  }
}

const NAME = {wire: 'Name', type: 'string', required: true, min: 1, max: 16, pattern: '[a-z-]+'} as const

const GAUGES_SPEC = buildService('gauges', {
  apiVersion: '2020-01-01',
  xmlNamespace: 'urn:gauges:2020-01-01',
  operations: {
    PutReading: {
      params: [NAME, {wire: 'Value', type: 'integer', required: true, min: 0, max: 1000}, {wire: 'Labels.member.N', type: 'list', required: false, itemType: 'string', max: 3}],
      resultWrapper: null,
      outputMembers: [],
    },
    GetReading: {params: [NAME], resultWrapper: 'GetReadingResult', outputMembers: ['Name', 'Value', 'Labels', 'TakenAt']},
  },
})

const GAUGE_ACTIONS = ['GetReading', 'PutReading'] as const

const GAUGE_DISPATCH = {
  GetReading: (gauges, ctx, input) => gauges.getReading(ctx, input as {Name: string}),
  PutReading: (gauges, ctx, input) => gauges.putReading(ctx, input as {Name: string; Value: number}),
} satisfies DispatchMap<typeof GAUGE_ACTIONS[number], Gauges>

function gaugesService(gauges: Gauges): ApiService {
  return defineService({
    name: 'gauges', versions: ['2020-01-01'], signingName: 'gauges', endpointPrefix: 'gauges', shapeName: 'GaugeService_20200101',
    protocols: ['rpcv2Cbor', 'awsJson1_0', 'awsQuery'], spec: GAUGES_SPEC, xmlNamespace: () => GAUGES_SPEC.xmlNamespace,
    actions: GAUGE_ACTIONS, dispatch: GAUGE_DISPATCH, implementation: gauges,
  })
}

const VAULT_SPEC = buildService('vault', {
  apiVersion: '2015-12-08', xmlNamespace: '', operations: {ListThings: {params: [], resultWrapper: 'ListThingsResult', outputMembers: ['Things']}},
})

function vaultService(): ApiService {
  return defineService({
    name: 'vault', versions: [], signingName: 'vault', endpointPrefix: 'vault', shapeName: 'Vault_20151208', protocols: ['awsJson1_1'],
    spec: VAULT_SPEC, xmlNamespace: () => '', actions: ['ListThings'] as const,
    dispatch: {ListThings: () => ({Things: ['a', 'b'], Secret: 'not in the model'})}, implementation: {},
  })
}

let api: ApiServerHandle
let gauges: Gauges

beforeAll(async () => {
  gauges = new Gauges()
  api = await startApiServer({services: [gaugesService(gauges), vaultService()]})
})

afterAll(async () => {
  await api.close()
})

beforeEach(() => {
  gauges.readings.clear()
})

interface Answer {
  readonly status: number
  readonly headers: Headers
  readonly bytes: Buffer
}

async function post(path: string, headers: Record<string, string>, body: string | Uint8Array): Promise<Answer> {
  const response = await fetch(new URL(path, api.endpoint), {method: 'POST', headers, body})
  return {status: response.status, headers: response.headers, bytes: Buffer.from(await response.arrayBuffer())}
}

const json = (version: '1.0' | '1.1', target: string, document: unknown, raw?: string) =>
  post('/', {'Content-Type': `application/x-amz-json-${version}`, 'X-Amz-Target': target}, raw ?? JSON.stringify(document))

const rpc = (service: string, operation: string, document: unknown, raw?: Uint8Array) =>
  post(`/service/${service}/operation/${operation}`, {'smithy-protocol': 'rpc-v2-cbor', 'Content-Type': 'application/cbor', Accept: 'application/cbor'},
    raw ?? cbor.serialize(document))

const query = (params: Record<string, string>) =>
  post('/', {'Content-Type': 'application/x-www-form-urlencoded'}, new URLSearchParams(params).toString())

const jsonBody = (answer: Answer): unknown => JSON.parse(answer.bytes.toString('utf8'))
const cborBody = (answer: Answer): unknown => cbor.deserialize(answer.bytes)

describe('AWS JSON 1.0', () => {
  it('calls an operation named by X-Amz-Target and answers JSON, timestamps as epoch seconds', async () => {
    const put = await json('1.0', 'GaugeService_20200101.PutReading', {Name: 'boiler', Value: 42, Labels: ['hot', null]})
    expect([put.status, put.headers.get('content-type'), jsonBody(put)]).toEqual([200, 'application/x-amz-json-1.0', {}])
    const got = await json('1.0', 'GaugeService_20200101.GetReading', {Name: 'boiler'})
    expect(got.status).toBe(200)
    expect(got.headers.get('x-amzn-requestid')).toMatch(/^[0-9a-f-]{36}$/)
    expect(jsonBody(got)).toEqual({Name: 'boiler', Value: 42, Labels: ['hot'], TakenAt: TAKEN_AT.getTime() / 1000})
  })

  it('answers a model error as {__type, message} with x-amzn-ErrorType', async () => {
    const missing = await json('1.0', 'GaugeService_20200101.GetReading', {Name: 'nothing'})
    expect([missing.status, missing.headers.get('x-amzn-errortype'), jsonBody(missing)])
      .toEqual([400, 'ResourceNotFoundException', {__type: 'ResourceNotFoundException', message: 'No reading named nothing.'}])
  })

  it('checks the input against the same table as Query: wrong types, constraints, required members', async () => {
    const wrongType = await json('1.0', 'GaugeService_20200101.PutReading', {Name: 'boiler', Value: '42'})
    expect([wrongType.status, jsonBody(wrongType)]).toEqual([400, {__type: 'SerializationException', message: "Expected an integer at 'value'"}])
    const invalid = await json('1.0', 'GaugeService_20200101.PutReading', {Name: 'Boiler', Value: 4000, Labels: ['a', 'b', 'c', 'd']})
    expect(jsonBody(invalid)).toEqual({
      __type: 'ValidationError',
      message: "3 validation errors detected: Value 'Boiler' at 'name' failed to satisfy constraint: Member must satisfy regular expression pattern: [a-z-]+; " +
        "Value '4000' at 'value' failed to satisfy constraint: Member must have value less than or equal to 1000; " +
        "Value '[a, b, c, d]' at 'labels' failed to satisfy constraint: Member must have length less than or equal to 3",
    })
    const absent = await json('1.0', 'GaugeService_20200101.PutReading', {Name: null})
    expect((jsonBody(absent) as {message: string}).message).toBe(
      "2 validation errors detected: Value null at 'name' failed to satisfy constraint: Member must not be null; " +
      "Value null at 'value' failed to satisfy constraint: Member must not be null")
    expect(gauges.readings.size).toBe(0)
  })

  it('refuses a broken body, a missing or unknown target, and a body that is not an object', async () => {
    expect(jsonBody(await json('1.0', 'GaugeService_20200101.PutReading', undefined, '{"Name": "a",'))).toEqual({
      __type: 'SerializationException', message: 'The request body is not valid JSON.',
    })
    expect(jsonBody(await json('1.0', 'GaugeService_20200101.PutReading', [1, 2]))).toEqual({
      __type: 'SerializationException', message: "Expected an object at 'input'",
    })
    const noTarget = await post('/', {'Content-Type': 'application/x-amz-json-1.0'}, '{}')
    expect([noTarget.status, (jsonBody(noTarget) as {__type: string}).__type]).toEqual([400, 'UnknownOperationException'])
    const unknown = await json('1.0', 'GaugeService_20200101.DeleteEverything', {})
    expect([unknown.status, unknown.headers.get('x-amzn-errortype')]).toEqual([400, 'UnknownOperationException'])
    expect((jsonBody(await json('1.0', 'Nobody_1.GetReading', {})) as {__type: string}).__type).toBe('UnknownOperationException')
  })
})

describe('a request the browser guard refuses', () => {
  it('is refused in its own protocol, before any body is read', async () => {
    const fromPage = {'Origin': 'http://attacker.example'}
    const overJson = await post('/', {...fromPage, 'Content-Type': 'application/x-amz-json-1.0', 'X-Amz-Target': 'GaugeService_20200101.PutReading'},
      JSON.stringify({Name: 'evil', Value: 1}))
    expect([overJson.status, overJson.headers.get('x-amzn-errortype'), (jsonBody(overJson) as {__type: string}).__type]).toEqual([403, 'AccessDenied', 'AccessDenied'])
    const overCbor = await post('/service/GaugeService_20200101/operation/PutReading', {...fromPage, 'smithy-protocol': 'rpc-v2-cbor'},
      cbor.serialize({Name: 'evil', Value: 1}))
    expect([overCbor.status, (cborBody(overCbor) as {__type: string}).__type]).toEqual([403, 'AccessDenied'])
    const overQuery = await post('/', {...fromPage, 'Content-Type': 'application/x-www-form-urlencoded'}, 'Action=PutReading&Version=2020-01-01&Name=evil&Value=1')
    expect([overQuery.status, overQuery.bytes.toString()]).toEqual([403, expect.stringContaining('<Code>AccessDenied</Code>')])
    expect(gauges.readings.size).toBe(0)
  })
})

describe('AWS JSON 1.1', () => {
  it('is spoken by the service that lists it, with only the model’s output members', async () => {
    const listed = await json('1.1', 'Vault_20151208.ListThings', {})
    expect([listed.status, listed.headers.get('content-type'), jsonBody(listed)]).toEqual([200, 'application/x-amz-json-1.1', {Things: ['a', 'b']}])
  })

  it('is refused by a service that speaks only 1.0, and 1.0 by one that speaks only 1.1', async () => {
    const gauges11 = await json('1.1', 'GaugeService_20200101.GetReading', {Name: 'boiler'})
    expect([gauges11.status, jsonBody(gauges11)]).toEqual([400, {
      __type: 'UnknownOperationException', message: 'The GaugeService_20200101 service does not speak awsJson1_1.',
    }])
    expect((jsonBody(await json('1.0', 'Vault_20151208.ListThings', {})) as {__type: string}).__type).toBe('UnknownOperationException')
  })
})

describe('Smithy RPC v2 CBOR', () => {
  it('calls /service/{Service}/operation/{Op} and answers CBOR, timestamps as tag 1', async () => {
    const put = await rpc('GaugeService_20200101', 'PutReading', {Name: 'boiler', Value: 7, Labels: ['x']})
    expect([put.status, put.headers.get('smithy-protocol'), put.headers.get('content-type'), cborBody(put)])
      .toEqual([200, 'rpc-v2-cbor', 'application/cbor', {}])
    const got = await rpc('GaugeService_20200101', 'GetReading', {Name: 'boiler'})
    const body = cborBody(got) as Record<string, unknown>
    expect([body.Name, body.Value, body.Labels]).toEqual(['boiler', 7, ['x']])
    expect(body.TakenAt).toMatchObject({tag: 1, value: TAKEN_AT.getTime() / 1000})
  })

  it('answers errors with __type in a CBOR body', async () => {
    const missing = await rpc('GaugeService_20200101', 'GetReading', {Name: 'nothing'})
    expect([missing.status, missing.headers.get('smithy-protocol'), cborBody(missing)])
      .toEqual([400, 'rpc-v2-cbor', {__type: 'ResourceNotFoundException', message: 'No reading named nothing.'}])
    const wrongType = await rpc('GaugeService_20200101', 'PutReading', {Name: 'boiler', Value: true})
    expect(cborBody(wrongType)).toEqual({__type: 'SerializationException', message: "Expected an integer at 'value'"})
    const tooBig = await rpc('GaugeService_20200101', 'PutReading', {Name: 'boiler', Value: 1001})
    expect((cborBody(tooBig) as {__type: string}).__type).toBe('ValidationError')
  })

  it('refuses broken CBOR and routes it does not have (404), never with a 500', async () => {
    const broken = await rpc('GaugeService_20200101', 'PutReading', undefined, Uint8Array.from([0xbf, 0x61]))
    expect([broken.status, cborBody(broken)]).toEqual([400, {__type: 'SerializationException', message: 'The request body is not valid CBOR.'}])
    // 100,000 nested arrays: the decoder's recursion fails, the request is refused, the server lives.
    const deep = await rpc('GaugeService_20200101', 'PutReading', undefined, new Uint8Array(100_000).fill(0x81))
    expect(deep.status).toBe(400)
    const unknown = await rpc('GaugeService_20200101', 'DeleteEverything', {})
    expect([unknown.status, (cborBody(unknown) as {__type: string}).__type]).toEqual([404, 'UnknownOperationException'])
    const badPath = await post('/service/GaugeService_20200101', {'smithy-protocol': 'rpc-v2-cbor'}, new Uint8Array())
    expect([badPath.status, (cborBody(badPath) as {__type: string}).__type]).toEqual([404, 'UnknownOperationException'])
  })
})

describe('AWS Query, beside them', () => {
  it('still reads the same service by Version and Action, and answers XML in its namespace', async () => {
    const put = await query({Action: 'PutReading', Version: '2020-01-01', Name: 'boiler', Value: '3', 'Labels.member.1': 'q'})
    expect([put.status, put.bytes.toString()]).toEqual([200, expect.stringContaining('<PutReadingResponse xmlns="urn:gauges:2020-01-01">')])
    const got = await query({Action: 'GetReading', Version: '2020-01-01', Name: 'boiler'})
    expect(got.bytes.toString()).toContain('<GetReadingResult>\n    <Name>boiler</Name>\n    <Value>3</Value>\n    <Labels>\n      <member>q</member>')
    // The same reading over JSON: one service, one state, whichever protocol wrote it.
    expect(jsonBody(await json('1.0', 'GaugeService_20200101.GetReading', {Name: 'boiler'}))).toMatchObject({Value: 3, Labels: ['q']})
  })
})

describe('a service AWS speaks only in Query (ELB)', () => {
  it('refuses JSON and CBOR in their own error shapes and changes nothing', async () => {
    const create = {LoadBalancerName: 'web', Listeners: [{Protocol: 'HTTP', LoadBalancerPort: 80, InstancePort: 80}], AvailabilityZones: ['us-east-1a']}
    const overJson = await json('1.0', 'ElasticLoadBalancing_v7.CreateLoadBalancer', create)
    expect([overJson.status, overJson.headers.get('x-amzn-errortype'), jsonBody(overJson)]).toEqual([400, 'UnknownOperationException', {
      __type: 'UnknownOperationException', message: 'The ElasticLoadBalancing_v7 service does not speak awsJson1_0.',
    }])
    const overCbor = await rpc('ElasticLoadBalancing_v7', 'CreateLoadBalancer', create)
    expect([overCbor.status, cborBody(overCbor)]).toEqual([404, {
      __type: 'UnknownOperationException', message: 'The ElasticLoadBalancing_v7 service does not speak rpcv2Cbor.',
    }])
    const described = await api.elb.send(new DescribeLoadBalancersCommand({}))
    expect(described.LoadBalancerDescriptions).toEqual([])
  })
})

describe('signed with SigV4 (the SDK\'s own signer), signatures required', () => {
  let signedApi: ApiServerHandle

  beforeAll(async () => {
    signedApi = await startApiServer({
      credentials: new Map([[TEST_CREDENTIALS.accessKeyId, TEST_CREDENTIALS.secretAccessKey]]), services: [gaugesService(gauges)],
    })
  })

  afterAll(async () => {
    await signedApi.close()
  })

  async function signedPost(signingName: string, path: string, headers: Record<string, string>, body: Uint8Array | string, tamper?: Uint8Array): Promise<Answer> {
    const url = new URL(path, signedApi.endpoint)
    const signer = new SignatureV4({credentials: TEST_CREDENTIALS, region: 'eu-west-1', service: signingName, sha256: Hash.bind(null, 'sha256')})
    const signed = await signer.sign({method: 'POST', protocol: 'http:', hostname: url.host, path: url.pathname, headers: {...headers, host: url.host}, body})
    const response = await fetch(url, {method: 'POST', headers: signed.headers, body: tamper ?? body})
    return {status: response.status, headers: response.headers, bytes: Buffer.from(await response.arrayBuffer())}
  }

  const CBOR_HEADERS = {'smithy-protocol': 'rpc-v2-cbor', 'content-type': 'application/cbor'}
  const JSON_HEADERS = {'content-type': 'application/x-amz-json-1.0', 'x-amz-target': 'GaugeService_20200101.PutReading'}

  it('accepts a signed binary CBOR body and a signed JSON body, and refuses a tampered one in the request\'s protocol', async () => {
    const put = await signedPost('gauges', '/service/GaugeService_20200101/operation/PutReading', CBOR_HEADERS, cbor.serialize({Name: 'signed', Value: 1}))
    expect([put.status, cborBody(put)]).toEqual([200, {}])
    expect(gauges.readings.get('signed')?.Value).toBe(1)
    const overJson = await signedPost('gauges', '/', JSON_HEADERS, JSON.stringify({Name: 'signed', Value: 2}))
    expect([overJson.status, jsonBody(overJson)]).toEqual([200, {}])
    const tampered = await signedPost('gauges', '/service/GaugeService_20200101/operation/PutReading', CBOR_HEADERS,
      cbor.serialize({Name: 'signed', Value: 3}), cbor.serialize({Name: 'signed', Value: 999}))
    expect([tampered.status, (cborBody(tampered) as {__type: string}).__type]).toEqual([403, 'SignatureDoesNotMatch'])
    expect(gauges.readings.get('signed')?.Value).toBe(2)
  })

  it('refuses a signature scoped to another service', async () => {
    const wrongScope = await signedPost('elasticloadbalancing', '/', JSON_HEADERS, JSON.stringify({Name: 'scoped', Value: 1}))
    expect([wrongScope.status, jsonBody(wrongScope)]).toEqual([403, {
      __type: 'SignatureDoesNotMatch', message: "Credential should be scoped to correct service: 'gauges'. ",
    }])
    expect(gauges.readings.has('scoped')).toBe(false)
  })
})
