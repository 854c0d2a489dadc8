import {seededRandom} from './fuzz-requests.js'

/**
 * Seeded hostile requests for the engine's own APIs (admin `/__elb-local/…`, `/metrics/…`): every
 * route, with bodies that start valid and are mutated — regions invented, huge or prototype keys;
 * counts out of range; id lists empty, huge, of the wrong type; addresses outside the instance
 * network or not addresses; serve specs with odd protocols and ports; bodies that are not JSON or
 * not objects, raw bytes; paths climbing out, query strings broken. Kept apart from the Query API's
 * generator (fuzz-requests.ts) so each suite can grow on its own. Never `shutdown` (that would end
 * the run) and never `traffic` (a stream that stays open).
 */

export interface AdminFuzzRequest {
  readonly method: 'GET' | 'POST' | 'PUT' | 'DELETE'
  /** The request target as sent: path and query. */
  readonly path: string
  readonly body: Buffer
  readonly description: string
}

const POST_ROUTES = ['instances/run', 'instances/stop', 'instances/start', 'instances/terminate', 'backends/pause', 'backends/resume', 'console-login', 'nope']
const GET_ROUTES = ['status', 'instances', 'backends', 'hosts', 'health', 'console-login', 'reset']
const METRICS_PATHS = ['/metrics', '/metrics/load-balancers', '/metrics/load-balancers/a', '/metrics/load-balancers/%zz', '/metrics/nope']

const REGIONS = ['us-east-1', 'eu-west-1', 'xx-invented-1', '__proto__', 'constructor', 'toString', '', ' us-east-1', 'US-EAST-1', 'x'.repeat(5000), '../../etc', 'us-east-1\u0000']
const COUNTS = [1, 2, 0, -1, 51, 1.5, 1e9, Number.MAX_SAFE_INTEGER, '1', null, true, [], {}]
const ADDRESSES = ['127.0.0.5', '127.0.0.1', '127.1.0.5', '127.0.0.0', '127.0.0.255', '127.0.0.256', '8.8.8.8', '::1', '0.0.0.0', '', 'localhost', '127.0.0.5 ', 'x'.repeat(2000), 7]
const IDS = ['i-00000001', 'i-1', '', 'i-ffffffffffffffff', '../../x', 'i-\u0000', 'x'.repeat(300)]
const ZONES = ['us-east-1a', 'us-east-1z', 'eu-west-1a', '', 'x'.repeat(300), 'us-east-1a\n']
const PROTOCOLS = ['http', 'https', 'HTTP', 'tcp', '', 'gopher']
const PORTS = [80, 443, 8080, 0, -1, 65536, 1.5, '80', 1e9]
const GARBAGE = ['', '{', '[]', '"s"', '42', 'null', '{"a":1}}', '\u0000\u0001', '{"region":"us-east-1",}', '\uFFFF\uD800']

function pick<T>(random: () => number, items: readonly T[]): T {
  return items[Math.floor(random() * items.length)] as T
}

function idList(random: () => number): unknown {
  const roll = random()
  if (roll < 0.1) return pick(random, ['i-00000001', 7, null, {}])
  if (roll < 0.15) return Array.from({length: 1001 + Math.floor(random() * 2000)}, (_, index) => `i-${index.toString(16).padStart(8, '0')}`)
  return Array.from({length: Math.floor(random() * 4)}, () => pick(random, IDS))
}

function body(random: () => number, route: string): Record<string, unknown> {
  const fields: Record<string, unknown> = {}
  if (random() < 0.6) fields.region = pick(random, REGIONS)
  if (route === 'instances/run') {
    if (random() < 0.7) fields.count = pick(random, COUNTS)
    if (random() < 0.3) fields.privateIp = pick(random, ADDRESSES)
    if (random() < 0.3) fields.availabilityZone = pick(random, ZONES)
    if (random() < 0.2) fields.instanceId = pick(random, IDS)
    if (random() < 0.3) {
      fields.serve = random() < 0.2 ? pick(random, ['http', null, 80]) : Array.from({length: Math.floor(random() * 3)}, () => ({protocol: pick(random, PROTOCOLS), port: pick(random, PORTS)}))
    }
  } else {
    fields.instanceIds = idList(random)
  }
  if (random() < 0.1) fields[pick(random, ['__proto__', 'constructor', 'extra', ''])] = {count: 1000}
  return fields
}

/**
 * Made one at a time, so `knownIds` (instances that exist now) is read as the run goes; the same
 * seed and the same answers give the same requests.
 */
export function* adminFuzzRequests(seed: number, count: number, knownIds: () => readonly string[]): Generator<AdminFuzzRequest> {
  const random = seededRandom(seed)
  for (let i = 0; i < count; i++) {
    const roll = random()
    if (roll < 0.1) {
      const region = encodeURIComponent(pick(random, REGIONS))
      const extra = pick(random, ['', '&range=60&step=5', '&range=0', '&range=99999', '&step=-1', '&range=abc'])
      const path = `${pick(random, METRICS_PATHS)}?region=${random() < 0.1 ? '%zz' : region}${extra}`
      yield {method: 'GET', path, body: Buffer.alloc(0), description: `#${i} GET ${path.slice(0, 80)}`}
      continue
    }
    if (roll < 0.35) {
      const route = pick(random, GET_ROUTES)
      const query = new URLSearchParams()
      if (random() < 0.6) query.set('region', pick(random, REGIONS))
      if (random() < 0.3) for (const id of [pick(random, IDS), ...knownIds().slice(0, 1)]) query.append('instanceId', id)
      const path = `/__elb-local/${route}${random() < 0.05 ? '/../..' : ''}?${query.toString()}${random() < 0.05 ? '&%zz' : ''}`
      yield {method: 'GET', path, body: Buffer.alloc(0), description: `#${i} GET ${path.slice(0, 80)}`}
      continue
    }
    // Now and then empty the state (so new instances keep finding addresses).
    const route = random() < 0.02 ? 'reset' : pick(random, POST_ROUTES)
    const fields = body(random, route)
    // Some requests name instances that exist, to reach past the look-ups.
    if (Array.isArray(fields.instanceIds) && random() < 0.4) fields.instanceIds = [...knownIds().slice(0, 2)]
    const raw = random()
    const payload = raw < 0.08 ? Buffer.from(pick(random, GARBAGE))
      : raw < 0.1 ? Buffer.from(Array.from({length: 64}, () => Math.floor(random() * 256)))
        : Buffer.from(JSON.stringify(fields))
    const method = raw > 0.97 ? pick(random, ['PUT', 'DELETE'] as const) : 'POST'
    yield {method, path: `/__elb-local/${route}`, body: payload, description: `#${i} ${method} ${route} ${payload.toString('utf8').slice(0, 120)}`}
  }
}
