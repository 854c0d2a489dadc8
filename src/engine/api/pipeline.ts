import {randomUUID} from 'node:crypto'
import type {IncomingMessage, ServerResponse} from 'node:http'
import {WARNING_HEADER} from '../constants.js'
import {AccessDenied, SignatureDoesNotMatch} from '../model/errors.js'
import type {RequestContext} from '../model/types.js'
import type {Authenticator} from './authenticate.js'
import {writeOverBrowserGet} from './browser-guard.js'
import {parseApiRequest, type ApiRequest} from './context.js'
import {decodeInput} from './decode.js'
import {toServiceError} from './errors.js'
import {ClientGoneError, DEFAULT_MAX_BODY_BYTES} from './query-parser.js'
import {ServiceRegistry} from './resolve.js'
import type {HttpHandler} from './router.js'
import type {ApiService} from './service.js'

/**
 * The Query API, one request at a time:
 *
 *   parse → authenticate → resolve → decode → invoke → serialize
 *
 * parse (context.ts) keeps the raw body and headers; authenticate (authenticate.ts) checks the
 * signature, if configured, and names the region; resolve (resolve.ts) maps Version + Action to a
 * service and its operation; decode (decode.ts) checks the input against the operation table;
 * invoke calls the model through the service's compiler-checked dispatch map (service.ts,
 * services/*.ts); serialize writes the service's wire format. Any ServiceError thrown by any step
 * is answered in the error envelope of the service the request's Version names.
 */

export interface QueryApiOptions {
  /** The first one answers errors for requests that name no known Version. */
  readonly services: readonly ApiService[]
  readonly authenticator: Authenticator
  /**
   * Awaited after every successful write, before the answer is sent: a failure is an error answer
   * (the write may be lost).
   */
  readonly durable?: () => Promise<void>
  /** Awaited after every successful write, before the answer is sent. */
  readonly afterWrite?: () => Promise<void>
  /**
   * Asked after afterWrite: what the write left unable to run (a listener that cannot bind), sent
   * back in the non-AWS WARNING_HEADER.
   */
  readonly writeWarnings?: () => readonly string[]
  readonly log?: (line: string) => void
  readonly maxBodyBytes?: number
}

function send(res: ServerResponse, status: number, requestId: string, contentType: string, body: string): void {
  if (res.headersSent) {
    res.destroy()
    return
  }
  res.writeHead(status, {
    'Content-Type': contentType,
    'Content-Length': Buffer.byteLength(body),
    'x-amzn-RequestId': requestId,
  })
  res.end(body)
}

export function createQueryApi(options: QueryApiOptions): HttpHandler {
  const log = options.log ?? (() => undefined)
  const maxBodyBytes = options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES
  const registry = new ServiceRegistry(options.services)

  return async function answerQuery(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const requestId = randomUUID()
    let request: ApiRequest | undefined
    let action = '-'
    try {
      request = await parseApiRequest(req, requestId, maxBodyBytes)
      // Named in the log line even when it is not an operation (InvalidAction).
      action = request.params.get('Action') ?? '-'
      const identity = await options.authenticator.authenticate(request)
      const {service, operation, version} = registry.resolve(request.params)
      action = operation.action
      const browserWrite = writeOverBrowserGet(request.method, service.isWrite(action), request.headers)
      if (browserWrite !== undefined) throw new AccessDenied(browserWrite)
      if (identity.signingName !== undefined && identity.signingName !== service.signingName) {
        throw new SignatureDoesNotMatch(`Credential should be scoped to correct service: '${service.signingName}'. `)
      }
      const input = service.decode === undefined ? decodeInput(operation, request.params) : service.decode(operation, request.params)
      const ctx: RequestContext = {region: identity.region, requestId}
      const result: unknown = await service.invoke(operation, ctx, input)
      if (service.isWrite(operation.action)) await options.durable?.()
      if (service.isWrite(operation.action) && options.afterWrite !== undefined) {
        // The write is durable already; a runtime that fails to catch up is logged, not reported
        // as a failed call (the caller would retry an operation that succeeded).
        try {
          await options.afterWrite()
          const warnings = options.writeWarnings?.() ?? []
          if (warnings.length > 0) res.setHeader(WARNING_HEADER, warnings.join('; ').replace(/[^\x20-\x7e]/g, '?'))
        } catch (error) {
          log(`request ${requestId} ${operation.action}: applying the new state failed: ${String(error)}`)
        }
      }
      send(res, 200, requestId, service.wire.contentType, service.wire.result({operation, version, requestId, result}))
      log(`${requestId} ${ctx.region} ${operation.action} 200 ${Date.now() - request.receivedAt.getTime()}ms`)
    } catch (caught) {
      if (caught instanceof ClientGoneError) {
        log(`${requestId} client closed the connection mid-request`)
        return
      }
      const error = toServiceError(caught, log, requestId)
      const params = request?.params ?? new Map<string, string>()
      const service = registry.errorService(params)
      // Only a Version the service speaks may pick its namespace (any other is client text).
      const requested = params.get('Version')
      const version = requested !== undefined && service.versions.includes(requested) ? requested : undefined
      send(res, error.status, requestId, service.wire.contentType, service.wire.error({version, requestId, error}))
      const took = request === undefined ? '' : ` ${Date.now() - request.receivedAt.getTime()}ms`
      log(`${requestId} ${action} ${error.status} ${error.code}${took}`)
    }
  }
}
