/**
 * The only place that builds AWS SDK clients. The SDK is imported lazily, so `--help` and parse
 * errors never pay for loading it.
 */
import type {ElasticLoadBalancing} from '@aws-sdk/client-elastic-load-balancing'
import type {IAM} from '@aws-sdk/client-iam'
import type {Exchange} from './exchange.js'
import type {StaticCredentials} from './credentials.js'
import type {Target} from './target.js'

export interface ClientSettings {
  readonly target: Target
  readonly credentials: StaticCredentials | 'sdk-default'
  readonly connectionTimeoutMs: number
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
    middleware: (next: (args: MiddlewareArgs) => Promise<{response: unknown}>) => (args: MiddlewareArgs) => Promise<{response: unknown}>,
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
    requestHandler: {connectionTimeout: settings.connectionTimeoutMs},
  }
}

/** Records the signed request and buffers the raw response body before the SDK parses it. */
function captureExchange(stack: MiddlewareStack, exchange: Exchange): void {
  stack.add(
    (next) => async (args) => {
      const {request} = args
      const port = request.port === undefined ? '' : `:${request.port}`
      const query = typeof request.body === 'string' ? `?${request.body}` : ''
      exchange.requestUrl = `${request.protocol ?? 'https:'}//${request.hostname ?? ''}${port}${request.path ?? '/'}${query}`
      const result = await next(args)
      const response = result.response as RawResponse
      const {Readable} = await import('node:stream')
      const chunks: Buffer[] = []
      if (response.body instanceof Readable) {
        for await (const chunk of response.body) chunks.push(Buffer.from(chunk as Uint8Array))
        response.body = Readable.from([Buffer.concat(chunks)])
      }
      exchange.statusCode = response.statusCode
      exchange.headers = response.headers
      exchange.body = Buffer.concat(chunks).toString('utf8')
      return result
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
  captureExchange(client.middlewareStack as unknown as MiddlewareStack, settings.exchange)
  return client
}

export async function createIamClient(settings: ClientSettings): Promise<IAM> {
  quietSdk()
  const sdk = await import('@aws-sdk/client-iam')
  const client = new sdk.IAM(commonConfig(settings))
  captureExchange(client.middlewareStack as unknown as MiddlewareStack, settings.exchange)
  return client
}
