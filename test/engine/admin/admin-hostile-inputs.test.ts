import {connect} from 'node:net'
import {request} from 'node:http'
import {startTestEngine, type TestEngine} from '../../helpers/engine.js'

/**
 * Issue 16: hostile bytes at the admin API (`/__elb-local/`), each answered with a clear JSON error
 * (`{"error": {"code", "message"}}`, 4xx), never a 5xx or a stack trace, the state unchanged and the
 * engine still answering: sizes (a body past the 1 MiB limit, 100,000 ids, deep JSON), regions,
 * addresses, and bodies that are not what the route takes.
 */

let t: TestEngine
beforeAll(async () => {
  t = await startTestEngine()
})
afterAll(async () => {
  await t.close()
})

interface Answer {
  readonly status: number
  readonly body: string
}

/** Sends `path` exactly as given (no URL normalisation on this side). */
function send(method: string, path: string, body: string | Buffer = '', contentType = 'application/json'): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const outgoing = request({host: '127.0.0.1', port: Number(new URL(t.endpoint).port), path, method, headers: {'Content-Type': contentType, 'Content-Length': String(Buffer.byteLength(body))}}, (res) => {
      const chunks: Buffer[] = []
      res.on('data', (chunk: Buffer) => chunks.push(chunk))
      res.on('end', () => { resolve({status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8')}) })
    })
    // The engine may answer before it has read everything (413): that is not a failure here.
    outgoing.on('error', (error: NodeJS.ErrnoException) => { if (error.code !== 'EPIPE' && error.code !== 'ECONNRESET') reject(error) })
    outgoing.end(body)
  })
}

/** A JSON error with a code and a message, and the status. */
function refusal(answer: Answer): {status: number; code: string | undefined} {
  const parsed = JSON.parse(answer.body) as {error?: {code?: unknown; message?: unknown}}
  expect(typeof parsed.error?.message).toBe('string')
  expect(answer.body).not.toMatch(/\n\s+at /)
  return {status: answer.status, code: typeof parsed.error?.code === 'string' ? parsed.error.code : undefined}
}

const state = () => JSON.stringify(t.engine.store.state)

describe('sizes', () => {
  it('a body one byte past 1 MiB: 413 RequestEntityTooLarge', async () => {
    const before = state()
    const body = `{"count": 1, "pad": "${'x'.repeat(1024 * 1024)}"}`
    expect(refusal(await send('POST', '/__elb-local/instances/run', body))).toEqual({status: 413, code: 'RequestEntityTooLarge'})
    expect(state()).toBe(before)
  })

  it('60,000 instance ids, count 1e9, count 1.5, count "1": 400, nothing runs', async () => {
    const before = state()
    const ids = JSON.stringify({instanceIds: Array.from({length: 60_000}, (_, index) => `i-${index.toString(16).padStart(8, '0')}`)})
    const started = performance.now()
    const many = await send('POST', '/__elb-local/instances/stop', ids)
    expect(performance.now() - started).toBeLessThan(2000)
    expect(refusal(many).status).toBe(400)
    expect(many.body.length).toBeLessThan(4096)
    for (const count of ['1e9', '1.5', '"1"', '-1', '0', 'null']) {
      expect({count, ...refusal(await send('POST', '/__elb-local/instances/run', `{"count": ${count}}`))}).toEqual({count, status: 400, code: 'InvalidParameterValue'})
    }
    expect(state()).toBe(before)
  })

  it('JSON nested 100,000 deep, and a JSON array, string or number body: 400 MalformedJson', async () => {
    for (const body of ['['.repeat(100_000) + ']'.repeat(100_000), `{"count":${'{"a":'.repeat(50_000)}1${'}'.repeat(50_001)}`, '[]', '"text"', '42', '{', '\u0000', '{"count": 1}}']) {
      const answer = refusal(await send('POST', '/__elb-local/instances/run', body))
      expect({body: body.slice(0, 20), status: answer.status, known: ['MalformedJson', 'InvalidParameterValue'].includes(answer.code ?? '')})
        .toEqual({body: body.slice(0, 20), status: 400, known: true})
    }
    expect(t.engine.instances.describeInstances('us-east-1')).toEqual([])
  })
})

describe('regions, addresses, fields', () => {
  it('privateIp outside the instance network, not an address, or 5,000 characters: 400 and nothing runs', async () => {
    for (const privateIp of ['8.8.8.8', '0.0.0.0', '::1', '127.0.0.256', '999.1.1.1', '127.0.0.1/8', ' 127.0.0.9', 'x'.repeat(5000), '']) {
      const answer = refusal(await send('POST', '/__elb-local/instances/run', JSON.stringify({privateIp})))
      expect({privateIp: privateIp.slice(0, 20), ...answer}).toEqual({privateIp: privateIp.slice(0, 20), status: 400, code: 'InvalidParameterValue'})
    }
    expect(t.engine.instances.describeInstances('us-east-1')).toEqual([])
  })

  it('fields of the wrong type, a __proto__ key, serve specs out of range: 400', async () => {
    const bodies = [
      {region: 7}, {region: ['us-east-1']}, {instanceIds: 'i-1'}, {instanceIds: [1]}, {instanceIds: []},
      {serve: 'http'}, {serve: [{protocol: 'gopher', port: 80}]}, {serve: [{protocol: 'http', port: 70_000}]}, {serve: [null]},
      {availabilityZone: 'eu-west-1a'}, {availabilityZone: 'x'.repeat(5000)}, {instanceId: '../../etc'},
    ]
    for (const body of bodies) {
      const path = 'instanceIds' in body ? '/__elb-local/instances/terminate' : '/__elb-local/instances/run'
      expect({body, status: refusal(await send('POST', path, JSON.stringify(body))).status}).toEqual({body, status: 400})
    }
    const proto = await send('POST', '/__elb-local/instances/run', '{"__proto__": {"count": 1000}, "constructor": {"prototype": {"x": 1}}}')
    expect(proto.status).toBe(200)
    expect(({} as {x?: number}).x).toBeUndefined()
    await send('POST', '/__elb-local/reset', '{}')
  })

  it('paths: traversal, unknown routes, other methods: 404 JSON, no state change', async () => {
    const before = state()
    for (const [method, path] of [['GET', '/__elb-local/../__elb-local/status/..'], ['POST', '/__elb-local/%2e%2e/reset'], ['DELETE', '/__elb-local/instances'],
      ['PUT', '/__elb-local/reset'], ['GET', '/__elb-local/reset'], ['POST', `/__elb-local/${'a/'.repeat(2000)}`], ['GET', '/__elb-local/status?region=%zz']] as const) {
      const answer = await send(method, path)
      expect({path: path.slice(0, 40), status: answer.status < 500, json: refusal(answer).code !== undefined}).toEqual({path: path.slice(0, 40), status: true, json: true})
    }
    expect(state()).toBe(before)
  })

  it('a request that stops half-way, then the engine still answers', async () => {
    await new Promise<void>((resolve, reject) => {
      const socket = connect(Number(new URL(t.endpoint).port), '127.0.0.1', () => {
        socket.end('POST /__elb-local/instances/run HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{"count": 1')
        socket.destroy()
        resolve()
      })
      socket.on('error', reject)
    })
    const health = await send('GET', '/__elb-local/health')
    expect(health.status).toBe(200)
    expect(t.engine.instances.describeInstances('us-east-1')).toEqual([])
  })
})
