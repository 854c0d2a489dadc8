import {Agent, request} from 'node:http'
import {adminFuzzRequests, type AdminFuzzRequest} from '../../helpers/fuzz-admin-requests.js'
import {startTestEngine} from '../../helpers/engine.js'

/**
 * The fuzz suite for the engine's own APIs (issue 16), beside the Query API's (test/engine/api/
 * fuzz.test.ts): seeded generated and mutated admin and metrics requests against a whole engine.
 * Every answer is JSON (an error is `{"error": {"code", "message"}}`), nothing answers 5xx or
 * shows a stack, a rejected request changes no state, memory stays bounded, and the engine still
 * answers at the end. FUZZ_ADMIN_REQUESTS and FUZZ_SEED replay a run.
 */

const COUNT = Number(process.env.FUZZ_ADMIN_REQUESTS ?? 1000)
const SEED = Number(process.env.FUZZ_SEED ?? 20261207)
const RSS_GROWTH_LIMIT = 256 * 1024 * 1024

function send(port: number, agent: Agent, fuzz: AdminFuzzRequest): Promise<{status: number; type: string; body: string}> {
  return new Promise((resolve, reject) => {
    const req = request({
      host: '127.0.0.1', port, agent, method: fuzz.method, path: fuzz.path,
      headers: {'Content-Type': 'application/json', 'Content-Length': String(fuzz.body.length)},
    }, (res) => {
      const chunks: Buffer[] = []
      res.on('data', (chunk: Buffer) => chunks.push(chunk))
      res.on('end', () => { resolve({status: res.statusCode ?? 0, type: String(res.headers['content-type']), body: Buffer.concat(chunks).toString('utf8')}) })
      res.on('error', reject)
    })
    req.on('error', reject)
    req.end(fuzz.body)
  })
}

function jsonProblem(answer: {status: number; type: string; body: string}): string | undefined {
  if (answer.body.includes('\n    at ')) return 'a stack trace'
  if (answer.type.startsWith('text/plain') && answer.status === 200) return undefined // /metrics: Prometheus text
  let parsed: unknown
  try {
    parsed = JSON.parse(answer.body)
  } catch {
    return `not JSON: ${answer.body.slice(0, 80)}`
  }
  if (answer.status === 200) return undefined
  const error = (parsed as {error?: {code?: unknown; message?: unknown}}).error
  return typeof error?.code === 'string' && typeof error.message === 'string' ? undefined : `an error without code and message: ${answer.body.slice(0, 80)}`
}

it(`${COUNT} seeded hostile admin and metrics requests: JSON answers with a code, no 5xx, no state change on rejection, bounded memory`, async () => {
  const t = await startTestEngine({portOffset: 30_000 + 100 * Math.floor(Math.random() * 300)})
  const port = Number(new URL(t.endpoint).port)
  const agent = new Agent({keepAlive: true, maxSockets: 1})
  const rssBefore = process.memoryUsage().rss
  const problems: string[] = []
  const outcomes = new Map<string, number>()
  const knownIds = () => t.engine.store.region('us-east-1').instances.map((instance) => instance.instanceId)
  try {
    for (const fuzz of adminFuzzRequests(SEED, COUNT, knownIds)) {
      const before = t.engine.store.state
      const answer = await send(port, agent, fuzz)
      const code = /"code":"([^"]*)"/.exec(answer.body)?.[1]
      const outcome = answer.status < 400 ? String(answer.status) : `${answer.status} ${code ?? '(no code)'}`
      outcomes.set(outcome, (outcomes.get(outcome) ?? 0) + 1)
      const problem = answer.status === 303 ? undefined : jsonProblem(answer)
      if (problem !== undefined) problems.push(`${fuzz.description}: ${problem}`)
      if (answer.status >= 500) problems.push(`${fuzz.description}: ${outcome}`)
      // The store's snapshots are immutable: a refused request leaves the very same object.
      if (answer.status >= 400 && t.engine.store.state !== before) problems.push(`${fuzz.description}: refused (${outcome}) but the state changed`)
      if (problems.length >= 10) break
    }
    const health = await send(port, agent, {method: 'GET', path: '/__elb-local/health', body: Buffer.alloc(0), description: 'health'})
    expect(health.status).toBe(200)
  } finally {
    agent.destroy()
    await t.close()
  }
  const growth = process.memoryUsage().rss - rssBefore
  process.stdout.write(`admin fuzz: ${COUNT} requests, seed ${SEED}, RSS +${Math.round(growth / 1048576)} MB; answers: ` +
    `${[...outcomes].sort((a, b) => b[1] - a[1]).map(([outcome, n]) => `${outcome} ×${n}`).join(', ')}\n`)
  expect({seed: SEED, problems}).toEqual({seed: SEED, problems: []})
  expect(growth).toBeLessThan(RSS_GROWTH_LIMIT)
  // The requests reach past the edge: some succeed, many fail in different ways.
  expect(outcomes.get('200') ?? 0).toBeGreaterThan(COUNT / 20)
  expect(outcomes.size).toBeGreaterThan(8)
}, 600_000)
