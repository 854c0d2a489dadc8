/**
 * What the CLI accepts from an endpoint before the SDK parses it (issue 16 #11): the endpoint may
 * be anything a URL points at, so its answer is bounded in time (read timeout), size (16 MiB,
 * counted as it streams), encoding (none: we never ask for one, so nothing is decompressed) and
 * nesting, and a success must be the operation's own `<XResponse>` document. Pure checks; the
 * reading happens in clients.ts.
 */
import {BadAnswerError, ReadTimeoutError} from '../cli/errors.js'
import {EndpointError} from './endpoint.js'
import type {Env, Service} from './target.js'

/** Real ELB/IAM answers are a few MiB at most (400 load balancers per page); 16 MiB is room to spare. */
export const ANSWER_LIMIT_BYTES = 16 * 1024 * 1024
/** ELB's deepest answer nests about 10 elements; 100 leaves room and keeps the parser's recursion shallow. */
export const ANSWER_DEPTH_LIMIT = 100
/** aws-cli's default read timeout. */
export const DEFAULT_READ_TIMEOUT_SECONDS = 60

export interface ReadTimeout {
  readonly seconds: number
  /** The variable that sets it, named in the timeout message. */
  readonly variable: string
}

/** `AWS_ELB_READ_TIMEOUT` (IAM: `AWS_IAM_READ_TIMEOUT`, else the ELB one), seconds, default 60. */
export function readTimeoutOf(env: Env, service: Service): ReadTimeout {
  const names = service === 'elb' ? ['AWS_ELB_READ_TIMEOUT'] : [service === 'iam' ? 'AWS_IAM_READ_TIMEOUT' : 'AWS_CLOUDWATCH_READ_TIMEOUT', 'AWS_ELB_READ_TIMEOUT']
  const variable = names.find((name) => (env[name] ?? '') !== '')
  if (variable === undefined) return {seconds: DEFAULT_READ_TIMEOUT_SECONDS, variable: names[0] ?? ''}
  const text = env[variable] ?? ''
  const seconds = /^\d{1,6}(\.\d{1,3})?$/.test(text) ? Number(text) : 0
  if (seconds <= 0) throw new EndpointError(`${variable} '${text}' is not a number of seconds above 0 (such as 60 or 2.5).`)
  return {seconds, variable}
}

export function readTimeoutError(endpoint: string, timeout: ReadTimeout): ReadTimeoutError {
  return new ReadTimeoutError(endpoint, timeout.seconds, timeout.variable)
}

export interface AnswerHead {
  readonly endpoint: string
  readonly api: string
  readonly status: number
  readonly headers: Readonly<Record<string, string>>
}

/** `HTTP 200, text/html`: how an answer is named in errors. */
function describe(head: AnswerHead, detail?: string): string {
  const type = head.headers['content-type']?.split(';')[0]?.trim()
  return [`HTTP ${head.status}`, type === undefined || type === '' ? 'no Content-Type' : type, ...(detail === undefined ? [] : [detail])]
    .join(', ')
}

export function badAnswer(head: AnswerHead, detail?: string): BadAnswerError {
  return new BadAnswerError(head.endpoint, head.api, describe(head, detail))
}

/** Refuses, before the body is read, an encoded answer or one announced over the limit. */
export function checkAnswerHead(head: AnswerHead): void {
  const encoding = head.headers['content-encoding']?.trim().toLowerCase()
  if (encoding !== undefined && encoding !== '' && encoding !== 'identity') {
    throw badAnswer(head, `Content-Encoding ${encoding.slice(0, 40)}, never asked for`)
  }
  const length = Number(head.headers['content-length'] ?? 0)
  if (length > ANSWER_LIMIT_BYTES) throw badAnswer(head, overLimit())
}

export const overLimit = (): string => `more than ${ANSWER_LIMIT_BYTES / 1024 / 1024} MiB`

const ROOT = /^\uFEFF?\s*(?:<\?xml[^>]*\?>\s*)?<([A-Za-z_][\w.:-]*)/
/** Sections whose content is not markup, and where they end. */
const OPAQUE: readonly (readonly [string, string])[] = [['<![CDATA[', ']]>'], ['<!--', '-->'], ['<?', '?>']]

/**
 * Nested deeper than `limit` elements? One forward pass over the tags (CDATA, comments and
 * declarations skipped whole, `<x/>` does not nest); an unterminated one ends the count, the
 * parser then refuses the document.
 */
export function nestedDeeperThan(body: string, limit: number): boolean {
  let depth = 0
  for (let at = body.indexOf('<'); at >= 0; at = body.indexOf('<', at)) {
    const opaque = OPAQUE.find(([start]) => body.startsWith(start, at))
    const end = body.indexOf(opaque?.[1] ?? '>', at + 1)
    if (end < 0) return false
    if (opaque === undefined && body[at + 1] === '/') depth -= 1
    else if (opaque === undefined && body[at + 1] !== '!' && body[end - 1] !== '/' && ++depth > limit) return true
    at = end + 1
  }
  return false
}

/**
 * A success must be `<{operation}Response>` (`operation` from the SDK command, e.g.
 * `DescribeLoadBalancers`); an error answer is left to the legacy rules (service-errors.ts).
 */
export function checkAnswerBody(head: AnswerHead, body: string, operation: string | undefined): void {
  if (head.status >= 200 && head.status < 300) {
    const root = ROOT.exec(body)?.[1]
    const expected = operation === undefined ? /Response$/.test(root ?? '') && root !== 'ErrorResponse' : root === `${operation}Response`
    if (!expected) throw badAnswer(head)
  }
  if (nestedDeeperThan(body, ANSWER_DEPTH_LIMIT)) throw badAnswer(head, `XML nested deeper than ${ANSWER_DEPTH_LIMIT} elements`)
}
