/**
 * The only place that builds AWS SDK clients. The SDK is imported lazily, so `--help` and parse
 * errors never pay for loading it.
 */
import type {CloudWatch} from '@aws-sdk/client-cloudwatch'
import type {ElasticLoadBalancing} from '@aws-sdk/client-elastic-load-balancing'
import type {IAM} from '@aws-sdk/client-iam'
import {ANSWER_LIMIT_BYTES, type AnswerHead, badAnswer, checkAnswerBody, checkAnswerHead, overLimit, type ReadTimeout, readTimeoutError} from './answers.js'
import type {Exchange} from './exchange.js'
import type {StaticCredentials} from './credentials.js'
import type {Target} from './target.js'

export interface ClientSettings {
  readonly target: Target
  readonly credentials: StaticCredentials | 'sdk-default'
  readonly connectionTimeoutMs: number
  /** Longest silence while waiting for (any part of) the answer. */
  readonly readTimeout: ReadTimeout
  /** Filled with the raw request URL and response of every call. */
  readonly exchange: Exchange
}

interface RawResponse {
  statusCode: number
  headers: Record<string, string>
  body: unknown
}

interface MiddlewareArgs {
  request: {protocol?: string; hostname?: string; port?: number; path?: string; body?: unknown}
}

interface MiddlewareStack {
  add(
    middleware: (
      next: (args: MiddlewareArgs) => Promise<{response: unknown}>,
      context: {commandName?: string},
    ) => (args: MiddlewareArgs) => Promise<{response: unknown}>,
    options: {step: 'deserialize'; priority: 'low'; name: string},
  ): void
}

function commonConfig(settings: ClientSettings): Record<string, unknown> {
  const {target, credentials} = settings
  return {
    region: target.region,
    ...(target.kind === 'aws' ? {} : {endpoint: target.endpoint}),
    ...(credentials === 'sdk-default' ? {} : {credentials}),
    // The legacy tool makes exactly one attempt per command.
    maxAttempts: 1,
    requestHandler: {connectionTimeout: settings.connectionTimeoutMs, socketTimeout: settings.readTimeout.seconds * 1000},
  }
}

/** The SDK names both of its timeouts TimeoutError; only the connect one says it never connected. */
function isReadTimeout(error: unknown): boolean {
  const {name, message} = (error ?? {}) as {name?: unknown; message?: unknown}
  return name === 'TimeoutError' && typeof message === 'string' && !message.includes('did not establish a connection')
}

/** The body, counted as it streams: past the limit the stream is dropped and the answer refused. */
async function readCapped(body: AsyncIterable<unknown> & {destroy: () => void}, head: AnswerHead): Promise<Buffer> {
  const chunks: Buffer[] = []
  let size = 0
  for await (const chunk of body) {
    size += (chunk as Uint8Array).length
    if (size > ANSWER_LIMIT_BYTES) {
      body.destroy()
      throw badAnswer(head, overLimit())
    }
    chunks.push(Buffer.from(chunk as Uint8Array))
  }
  return Buffer.concat(chunks)
}

/**
 * Records the signed request, then reads the raw answer under the limits of answers.ts before the
 * SDK parses it: a timeout, an oversized, encoded or foreign answer is a legacy error naming the endpoint.
 */
function captureExchange(stack: MiddlewareStack, settings: ClientSettings, api: string): void {
  const {exchange} = settings
  stack.add(
    (next, context) => async (args) => {
      const {request} = args
      const port = request.port === undefined ? '' : `:${request.port}`
      const endpoint = `${request.protocol ?? 'https:'}//${request.hostname ?? ''}${port}${request.path ?? '/'}`
      const query = typeof request.body === 'string' ? `?${request.body}` : ''
      Object.assign(exchange, {requestUrl: `${endpoint}${query}`, endpoint, api})
      const {Readable} = await import('node:stream')
      try {
        const result = await next(args)
        const response = result.response as RawResponse
        const head: AnswerHead = {endpoint, api, status: response.statusCode, headers: response.headers}
        exchange.statusCode = response.statusCode
        exchange.headers = response.headers
        if (response.body instanceof Readable) {
          try {
            checkAnswerHead(head)
          } catch (error) {
            response.body.destroy()
            throw error
          }
          const body = await readCapped(response.body, head)
          exchange.body = body.toString('utf8')
          response.body = Readable.from([body])
          checkAnswerBody(head, exchange.body, context.commandName?.replace(/Command$/, ''))
        }
        return result
      } catch (error) {
        throw isReadTimeout(error) ? readTimeoutError(endpoint, settings.readTimeout) : error
      }
    },
    {step: 'deserialize', priority: 'low', name: 'legacyExchangeCapture'},
  )
}

function quietSdk(): void {
  process.env['AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED'] = 'true'
}

export async function createElbClient(settings: ClientSettings): Promise<ElasticLoadBalancing> {
  quietSdk()
  const sdk = await import('@aws-sdk/client-elastic-load-balancing')
  const client = new sdk.ElasticLoadBalancing(commonConfig(settings))
  captureExchange(client.middlewareStack as unknown as MiddlewareStack, settings, 'ELB')
  return client
}

export async function createIamClient(settings: ClientSettings): Promise<IAM> {
  quietSdk()
  const sdk = await import('@aws-sdk/client-iam')
  const client = new sdk.IAM(commonConfig(settings))
  captureExchange(client.middlewareStack as unknown as MiddlewareStack, settings, 'IAM')
  return client
}

/**
 * The `mon-*` commands' client. SDK v3 speaks CloudWatch in AWS JSON 1.0 by default; the legacy
 * CloudWatch CLI spoke Query (form-encoded `Action=…&Version=2010-08-01`, XML answers), as the
 * `elb-*` clone does, so the client is switched to the SDK's own Query protocol.
 */
export async function createCloudWatchClient(settings: ClientSettings): Promise<CloudWatch> {
  quietSdk()
  const {CloudWatch, AwsQueryProtocol} = await import('./cloudwatch-sdk.js')
  const client = new CloudWatch({...commonConfig(settings), protocol: AwsQueryProtocol})
  captureExchange(client.middlewareStack as unknown as MiddlewareStack, settings, 'CloudWatch')
  return client
}
