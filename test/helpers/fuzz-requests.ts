import {serviceSpecs, type OperationSpec} from '../../src/engine/api/operations.js'
import {fullParams, minimalParams} from './query-requests.js'

/**
 * Seeded hostile Query requests: valid requests of every operation (built from the operation
 * table), then mutated — members dropped, values swapped for control characters, huge strings,
 * odd Unicode, numbers out of range, path-climbing names; parameters duplicated or invented;
 * Action/Version garbled; bodies of raw bytes and broken percent-escapes; other methods and
 * content types. The same seed gives the same requests, so a failure can be replayed.
 */

/** mulberry32: small, fast, good enough to spread cases. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0
  return () => {
    state = (state + 0x6d2b79f5) >>> 0
    let t = state
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

export interface FuzzRequest {
  readonly method: 'GET' | 'POST' | 'PUT' | 'DELETE'
  /** The raw query string (GET) or body (others), already encoded as sent. */
  readonly payload: Buffer
  readonly contentType: string | undefined
  readonly description: string
}

const NASTY_VALUES = [
  '', ' ', 'a\u0000b', '\u0001', '\u001f\u001b[31m', 'x\ry\nz\t', '\uFFFE', '\uFFFF', '\uD800', 'caf\u00e9', '\u202Eevil', '😀',
  '<tag>&amp;', ']]>', '"\'', '../../../../../escaped', '..', '/', '%', '%00', '%zz', 'null', '-1', '0', '2147483648',
  '99999999999999999999', '1e3', 'NaN', 'true', 'TRUE', 'yes', 'HTTP:80/', 'TCP:0', 'i-00000000', 'us-east-1z', 'ELBSample-x',
  'ELBSecurityPolicy-2016-08', 'AWSLogs', 'a;b=c', 'x'.repeat(256), 'y'.repeat(4096),
]

const ACTIONS_EXTRA = ['', 'DescribeTargetGroups', 'describeloadbalancers', 'Describe\u0000LoadBalancers', 'CreateLoadBalancer ', '../admin']
const VERSIONS = ['2012-06-01', '2010-05-08', '', '2015-12-01', '2012-06-01\u0000', '9999-99-99']

export function pick<T>(random: () => number, items: readonly T[]): T {
  return items[Math.floor(random() * items.length)] as T
}

export function randomText(random: () => number, length: number): string {
  let text = ''
  for (let i = 0; i < length; i++) {
    const roll = random()
    text += roll < 0.1 ? String.fromCharCode(Math.floor(random() * 32))
      : roll < 0.2 ? String.fromCharCode(0x80 + Math.floor(random() * 0x780))
        : roll < 0.25 ? String.fromCharCode(0xd800 + Math.floor(random() * 0x800))
          : String.fromCharCode(0x20 + Math.floor(random() * 0x5f))
  }
  return text
}

/** Percent-encodes like a form, but keeps lone surrogates as raw (invalid) UTF-8 bytes. */
export function encode(text: string): string {
  let out = ''
  for (const char of text) {
    const code = char.codePointAt(0) ?? 0
    if (code >= 0xd800 && code <= 0xdfff) out += `%${(0xe0 | (code >> 12)).toString(16)}%${(0x80 | ((code >> 6) & 0x3f)).toString(16)}%${(0x80 | (code & 0x3f)).toString(16)}`
    else out += encodeURIComponent(char)
  }
  return out
}

function operations(): {operation: OperationSpec; version: string}[] {
  const {elb, iam} = serviceSpecs()
  return [...elb.operations.values()].map((operation) => ({operation, version: elb.apiVersion}))
    .concat([...iam.operations.values()].map((operation) => ({operation, version: iam.apiVersion})))
}

export function fuzzRequests(seed: number, count: number): FuzzRequest[] {
  const random = seededRandom(seed)
  const all = operations()
  const requests: FuzzRequest[] = []
  for (let i = 0; i < count; i++) {
    const {operation, version} = pick(random, all)
    const params = Object.entries(random() < 0.5 ? minimalParams(operation, version) : fullParams(operation, version))
    const mutations: string[] = []
    // Some stay valid, to reach the models' own rules and change state now and then.
    const rounds = random() < 0.15 ? 0 : 1 + Math.floor(random() * 4)
    for (let round = 0; round < rounds; round++) {
      const roll = random()
      const index = Math.floor(random() * params.length)
      const entry = params[index]
      if (roll < 0.2 && entry !== undefined) {
        params.splice(index, 1)
        mutations.push(`drop ${entry[0]}`)
      } else if (roll < 0.5 && entry !== undefined) {
        entry[1] = pick(random, NASTY_VALUES)
        mutations.push(`${entry[0]}=nasty`)
      } else if (roll < 0.6 && entry !== undefined) {
        entry[1] = randomText(random, 1 + Math.floor(random() * 40))
        mutations.push(`${entry[0]}=random`)
      } else if (roll < 0.7 && entry !== undefined) {
        params.push([entry[0], pick(random, NASTY_VALUES)])
        mutations.push(`repeat ${entry[0]}`)
      } else if (roll < 0.78) {
        params.push([`${entry?.[0] ?? 'X'}.member.${Math.floor(random() * 3)}${pick(random, ['', '.Key', '.x', '.member.1'])}`, pick(random, NASTY_VALUES)])
        mutations.push('invent a member')
      } else if (roll < 0.86) {
        params.push(['Action', pick(random, ACTIONS_EXTRA)])
        mutations.push('garble Action')
      } else if (roll < 0.92) {
        params.push(['Version', pick(random, VERSIONS)])
        mutations.push('garble Version')
      } else {
        params.push([randomText(random, 1 + Math.floor(random() * 8)), randomText(random, Math.floor(random() * 8))])
        mutations.push('random parameter')
      }
    }
    let text = params.map(([key, value]) => `${encode(key)}=${encode(value)}`).join('&')
    const raw = random()
    if (raw < 0.05) text += `&Broken=%${pick(random, ['', 'z', '4', 'ZZ'])}`
    const method = raw < 0.3 ? 'GET' : raw < 0.97 ? 'POST' : pick(random, ['PUT', 'DELETE'] as const)
    const payload = raw > 0.985 ? Buffer.from(Array.from({length: 64}, () => Math.floor(random() * 256))) : Buffer.from(text)
    const contentType = method === 'GET' ? undefined : pick(random, ['application/x-www-form-urlencoded', 'application/x-www-form-urlencoded; charset=utf-8',
      'application/x-www-form-urlencoded', 'text/plain', 'application/json'])
    requests.push({method, payload, contentType, description: `#${i} ${method} ${operation.action} ${mutations.join(', ')}`})
  }
  return requests
}
