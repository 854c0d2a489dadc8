import {randomUUID} from 'node:crypto'
import type {IncomingMessage, ServerResponse} from 'node:http'
import {WARNING_HEADER} from '../constants.js'
import {AccessDenied, SignatureDoesNotMatch, type ServiceError} from '../model/errors.js'
import type {RequestContext} from '../model/types.js'
import type {Authenticator} from './authenticate.js'
import {writeOverBrowserGet} from './browser-guard.js'
import {parseApiRequest, type ApiRequest} from './context.js'
import {toServiceError} from './errors.js'
import {DETECTION_ORDER} from './protocols/index.js'
import type {WireAnswer, WireProtocol} from './protocols/protocol.js'
import {awsQuery} from './protocols/query.js'
import {ClientGoneError, DEFAULT_MAX_BODY_BYTES} from './query-parser.js'
import {signingNameClaimed} from './region-of-request.js'
import {ServiceRegistry, type ResolvedOperation} from './registry.js'
import type {HttpHandler} from './router.js'
import type {ApiService} from './service.js'

/**
 * The API, one request at a time, whatever its wire protocol:
 *
 *   parse → detect → authenticate → resolve → decode → invoke → serialize
 *
 * parse (context.ts) keeps the raw body and headers; detect picks the request's protocol family
 * (protocols/: CBOR, JSON, else Query); authenticate (authenticate.ts) checks the signature, if
 * configured, and names the region; resolve (registry.ts) maps what the request names to a service,
 * its operation and the protocol that service answers in; decode (the protocol's) checks the input
 * against the operation table; invoke calls the model through the service's compiler-checked
 * dispatch map (service.ts, services/*.ts); serialize is the protocol's. Any ServiceError thrown by
 * any step is answered in the protocol of the request (for Query: of the service its Version names).
 */

export interface ApiOptions {
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

function send(res: ServerResponse, answer: WireAnswer): void {
  if (res.headersSent) {
    res.destroy()
    return
  }
  res.writeHead(answer.status, {...answer.headers, 'Content-Length': Buffer.byteLength(answer.body)})
  res.end(answer.body)
}

/** The protocol `service` answers a request of `reader`'s family in; one it does not speak is an unknown operation. */
function answeringProtocol(service: ApiService, reader: WireProtocol): WireProtocol {
  const protocol = ServiceRegistry.protocolOf(service, reader.family)
  if (protocol === undefined) throw reader.unknownOperation(`The ${service.shapeName} service does not speak ${reader.id}.`)
  return protocol
}

export function createApi(options: ApiOptions): HttpHandler {
  const log = options.log ?? (() => undefined)
  const maxBodyBytes = options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES
  const registry = new ServiceRegistry(options.services)

  return async function answerApi(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const requestId = randomUUID()
    let request: ApiRequest | undefined
    let reader: WireProtocol = awsQuery
    let resolved: (ResolvedOperation & {readonly protocol: WireProtocol}) | undefined
    let action = '-'
    try {
      const parsed = await parseApiRequest(req, requestId, maxBodyBytes)
      request = {...parsed, ...optional('hostRegion', registry.regionOfHost(parsed.headers.host))}
      reader = DETECTION_ORDER.find((protocol) => protocol.detect(parsed)) ?? awsQuery
      // Named in the log line even when it is not an operation (InvalidAction).
      action = request.params.get('Action') ?? '-'
      const identity = await options.authenticator.authenticate(request)
      const target = reader.target(request)
      if (target.by === 'service') action = target.action
      const signingName = identity.signingName ?? signingNameClaimed(request.headers, request.params)
      const {service, operation, version} = registry.resolveTarget(target, reader, request.params, {host: request.headers.host, signingName})
      action = operation.action
      resolved = {service, operation, version, protocol: answeringProtocol(service, reader)}
      const browserWrite = writeOverBrowserGet(request.method, service.isWrite(action), request.headers)
      if (browserWrite !== undefined) throw new AccessDenied(browserWrite)
      if (identity.signingName !== undefined && identity.signingName !== service.signingName) {
        throw new SignatureDoesNotMatch(`Credential should be scoped to correct service: '${service.signingName}'. `)
      }
      const input = resolved.protocol.decode(operation, request)
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
      send(res, resolved.protocol.writeResult({service, operation, version, requestId, result}))
      log(`${requestId} ${ctx.region} ${operation.action} 200 ${Date.now() - request.receivedAt.getTime()}ms`)
    } catch (caught) {
      if (caught instanceof ClientGoneError) {
        log(`${requestId} client closed the connection mid-request`)
        return
      }
      const error = toServiceError(caught, log, requestId)
      send(res, errorAnswer(registry, {reader, resolved, params: request?.params, requestId, error}))
      const took = request === undefined ? '' : ` ${Date.now() - request.receivedAt.getTime()}ms`
      log(`${requestId} ${action} ${error.status} ${error.code}${took}`)
    }
  }
}

interface FailedRequest {
  readonly reader: WireProtocol
  readonly resolved: (ResolvedOperation & {readonly protocol: WireProtocol}) | undefined
  readonly params: ReadonlyMap<string, string> | undefined
  readonly requestId: string
  readonly error: ServiceError
}

/**
 * An error in the protocol of the request: the resolved service's, else (Query) the service the
 * Version names, else the protocol the request was read in.
 */
function errorAnswer(registry: ServiceRegistry, {reader, resolved, params, requestId, error}: FailedRequest): WireAnswer {
  if (resolved !== undefined) return resolved.protocol.writeError({service: resolved.service, version: resolved.version, requestId, error})
  if (reader.family !== 'query') return reader.writeError({service: undefined, version: undefined, requestId, error})
  const service = registry.errorService(params ?? new Map<string, string>())
  // Only a Version the service speaks may pick its namespace (any other is client text).
  const requested = params?.get('Version')
  const version = requested !== undefined && service.versions.includes(requested) ? requested : undefined
  return (ServiceRegistry.protocolOf(service, 'query') ?? awsQuery).writeError({service, version, requestId, error})
}

function optional<K extends string, V>(key: K, value: V | undefined): {[P in K]?: V} {
  return value === undefined ? {} : {[key]: value} as {[P in K]?: V}
}
