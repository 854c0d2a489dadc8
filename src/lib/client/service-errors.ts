/**
 * Turns whatever a request threw into the legacy error text and exit code (legacy §4): by HTTP
 * status and wire code, never by message text. The SDK names modelled errors after their Smithy
 * shape (`AccessPointNotFoundException`); `data/elb-iam-error-codes.json` maps them back to the
 * wire code (`LoadBalancerNotFound`). Service messages end in `  AWSRequestId:<id>`; the word
 * wrap turns that double space into a line break when the line is long (verified on the jar).
 */
import {
  EXIT_NETWORK_ERROR,
  EXIT_PROGRAM_ERROR,
  EXIT_REFUSED,
  EXIT_SERVICE_ERROR,
  type LegacyCliError,
  MalformedInputError,
  ServiceCallError,
} from '../cli/errors.js'
import {badAnswer} from './answers.js'
import type {Exchange} from './exchange.js'

interface ErrorCodeTable {
  services: Record<string, {errors: {code: string; sdkExceptionName: string}[]}>
}

let wireCodes: Map<string, string> | undefined

/** Loads the SDK-class → wire-code table (only when a call failed). */
export async function loadWireCodes(): Promise<void> {
  if (wireCodes !== undefined) return
  const {loadData} = await import('../../common/data.js')
  const table = loadData<ErrorCodeTable>('elb-iam-error-codes.json')
  wireCodes = new Map(
    Object.values(table.services).flatMap((service) => service.errors.map((error) => [error.sdkExceptionName, error.code] as const)),
  )
}

/** SDK exception class name → wire `<Code>` (after `loadWireCodes`; unmodelled names are codes). */
export function wireCodeOf(sdkName: string): string {
  return wireCodes?.get(sdkName) ?? sdkName
}

/** What we read off a thrown SDK error (structural: SDK classes load lazily). */
export interface FailureShape {
  readonly name?: string
  readonly message?: string
  readonly code?: string
  /** Set by Node on DNS failures. */
  readonly hostname?: string
  readonly $metadata?: {readonly httpStatusCode?: number; readonly requestId?: string}
  readonly $response?: unknown
}

const NETWORK_REASONS: Readonly<Record<string, string>> = {
  ECONNREFUSED: 'Connection refused',
  ECONNRESET: 'Connection reset',
  EHOSTUNREACH: 'No route to host',
  ENETUNREACH: 'Network is unreachable',
  EPIPE: 'Broken pipe',
}

export function networkFailureMessage(reason: string): string {
  return `Couldn't reach the service (reason: ${reason}) - please check your network settings and if the problem continues, contact support.`
}

/**
 * The legacy error for a failed call; `exchange` holds the raw response when there was one.
 * `refusedHint` follows the legacy text when nothing listens (how to start a local engine there).
 */
export async function classifyFailure(error: unknown, exchange: Exchange, refusedHint?: string): Promise<LegacyCliError> {
  await loadWireCodes()
  const failure = (typeof error === 'object' && error !== null ? error : {}) as FailureShape
  const status = failure.$metadata?.httpStatusCode ?? exchange.statusCode
  if (status === undefined) return classifyNetworkFailure(failure, refusedHint)
  // The SDK could not read a success (answers.ts lets only the operation's own document through),
  // or a 4xx without an XML error: the endpoint's fault, not a `Malformed input-null` of the user's.
  const body = exchange.body ?? ''
  const errorAt = body.indexOf('<Error>')
  const notAnError = exchange.body !== undefined && (errorAt < 0 || !body.includes('<Code>', errorAt))
  if (exchange.endpoint !== undefined && (status < 300 || (notAnError && status < 500 && ![401, 403, 404, 409].includes(status)))) {
    return badAnswer({endpoint: exchange.endpoint, api: exchange.api ?? 'ELB', status, headers: exchange.headers ?? {}})
  }
  const code = wireCodeOf(failure.name ?? '')
  // The service's text exactly as sent (entities included, as the jar prints it); a response
  // without an XML error body gives the jar's `null`.
  const message =
    exchange.body === undefined
      ? (failure.message ?? 'null')
      : ((errorAt < 0 ? undefined : elementText(body, 'Message', errorAt)) ?? 'null')
  const requestId = elementText(body, 'RequestId') ?? failure.$metadata?.requestId ?? 'null'
  if (status >= 500) return new ServiceCallError(`Service error: ${message}  AWSRequestId:${requestId}`, EXIT_SERVICE_ERROR)
  switch (status) {
    case 401:
      return new ServiceCallError('You are not authorized to connect to the service. Please check your credentials.', EXIT_REFUSED)
    case 403:
      return new ServiceCallError(`Refused: ${message}  AWSRequestId:${requestId}`, EXIT_REFUSED)
    case 404:
      return new ServiceCallError(`Could not find the resource you requested: ${message}  AWSRequestId:${requestId}`, EXIT_REFUSED)
    case 409:
      return new ServiceCallError(`Conflicting data provided: ${message}  AWSRequestId:${requestId}`, EXIT_REFUSED)
    default:
      if (code === 'Throttling' || code === 'ThrottlingException' || code === 'RequestLimitExceeded') {
        return new ServiceCallError(`Your request was throttled by the service: ${message}  AWSRequestId:${requestId}`, EXIT_REFUSED)
      }
      return new MalformedInputError(message)
  }
}

/**
 * The text of the first `<name>` element from `from` on. indexOf, not a lazy regex: a regex
 * such as /<Error>[\s\S]*?<Code>/ retries from every `<Error>` of a hostile body (quadratic: a
 * 1.5 MB body of `<Error></Error>` took 80 s).
 */
function elementText(body: string, name: string, from = 0): string | undefined {
  const open = body.indexOf(`<${name}>`, from)
  if (open < 0) return undefined
  const start = open + name.length + 2
  const close = body.indexOf(`</${name}>`, start)
  return close < 0 ? undefined : body.slice(start, close)
}

function classifyNetworkFailure(failure: FailureShape, refusedHint: string | undefined): LegacyCliError {
  if (failure.name === 'TimeoutError' || failure.code === 'ETIMEDOUT') {
    return new ServiceCallError(
      'Command timed out trying to contact the server. Use --connection-timeout <SECONDS> to set a longer limit.',
      EXIT_NETWORK_ERROR,
    )
  }
  // The SDK's default chain found nothing (ELB_TARGET=aws without credentials).
  if (failure.name === 'CredentialsProviderError') {
    return new MalformedInputError('No Credentials were provided - cannot access the service')
  }
  const code = failure.code ?? ''
  // Java's UnknownHostException message is the host name.
  const reason = NETWORK_REASONS[code] ?? (code === 'ENOTFOUND' || code === 'EAI_AGAIN' ? (failure.hostname ?? code) : undefined)
  if (reason !== undefined || /^E[A-Z]+$/.test(code)) {
    const hint = code === 'ECONNREFUSED' && refusedHint !== undefined ? ` ${refusedHint}` : ''
    return new ServiceCallError(`${networkFailureMessage(reason ?? code)}${hint}`, EXIT_NETWORK_ERROR)
  }
  // Anything else is a fault of ours: the jar's catch-all.
  return new ServiceCallError('program error', EXIT_PROGRAM_ERROR)
}
