import {request} from 'node:http'
import {startTestEngine, type TestEngine} from '../../helpers/engine.js'

/**
 * Issue 16 #13: the admin API (and the metrics JSON) check a region as the Query API does: an
 * invented name, a 5,000-character one, or a prototype key (`__proto__`, `constructor`) is a clear
 * 400 with the Query API's message, and no region of that name ever appears in the state.
 */

let t: TestEngine
beforeAll(async () => {
  t = await startTestEngine()
})
afterAll(async () => {
  await t.close()
})

function exchange(method: 'GET' | 'POST', path: string, body?: unknown): Promise<{status: number; json: unknown}> {
  const payload = body === undefined ? '' : JSON.stringify(body)
  return new Promise((resolve, reject) => {
    const outgoing = request(`${t.endpoint}${path}`, {method, headers: {'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(payload)}}, (res) => {
      const chunks: Buffer[] = []
      res.on('data', (chunk: Buffer) => chunks.push(chunk))
      res.on('end', () => { resolve({status: res.statusCode ?? 0, json: JSON.parse(Buffer.concat(chunks).toString('utf8')) as unknown}) })
    })
    outgoing.on('error', reject)
    outgoing.end(payload)
  })
}

const refusal = (region: string) => ({status: 400, json: {error: {code: 'InvalidParameterValue', message: `Credential should be scoped to a valid region, not '${region}'. `}}})

describe('the admin API refuses a region the Query API refuses', () => {
  it.each(['xx-invented-1', '__proto__', 'constructor', 'toString', 'hasOwnProperty', ''])('%j, in the body and in the query string', async (region) => {
    expect(await exchange('POST', '/__elb-local/instances/run', {region, count: 1})).toEqual(refusal(region))
    expect(await exchange('GET', `/__elb-local/instances?region=${encodeURIComponent(region)}`)).toEqual(refusal(region))
    expect(await exchange('POST', '/__elb-local/instances/stop', {region, instanceIds: ['i-00000001']})).toEqual(refusal(region))
    expect(await exchange('GET', `/metrics/load-balancers?region=${encodeURIComponent(region)}`)).toEqual(refusal(region))
    expect(await exchange('GET', `/metrics/load-balancers/web?region=${encodeURIComponent(region)}`)).toEqual(refusal(region))
  })

  it('a 5,000-character name: 400, its echo cut to 64 characters', async () => {
    const region = 'x'.repeat(5000)
    const answer = await exchange('POST', '/__elb-local/instances/run', {region, count: 1})
    expect(answer).toEqual({status: 400, json: {error: {code: 'InvalidParameterValue', message: `Credential should be scoped to a valid region, not '${'x'.repeat(64)}…'. `}}})
  })

  it('leaves no region of such a name behind, and a known region still works', async () => {
    expect(Object.keys(t.engine.store.state.regions)).toEqual([])
    const answer = await exchange('POST', '/__elb-local/instances/run', {region: 'eu-west-1', count: 1})
    expect(answer).toMatchObject({status: 200, json: {instances: [{availabilityZone: 'eu-west-1a'}]}})
    expect(Object.keys(t.engine.store.state.regions)).toEqual(['eu-west-1'])
  })
})

describe('the model never takes a prototype key for a region', () => {
  it('Store.region and updateRegion look at own keys only', () => {
    const store = t.engine.store
    for (const name of ['__proto__', 'constructor', 'toString']) {
      expect(store.region(name)).toEqual({loadBalancers: [], instances: []})
      expect(() => { store.updateRegion(name, () => undefined); }).toThrow(`Credential should be scoped to a valid region, not '${name}'. `)
    }
    expect(Object.keys(store.state.regions)).toEqual(['eu-west-1'])
  })
})
