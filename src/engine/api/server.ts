import {ADMIN_PREFIX} from '../constants.js'
import {WARNING_HEADER} from '../admin/types.js'
import {randomUUID} from 'node:crypto'
import {createServer, type IncomingMessage, type Server, type ServerResponse} from 'node:http'
import {ServiceError} from '../model/errors.js'
import type {RequestContext} from '../model/types.js'
import {resolveRegion} from './auth.js'
import {decodeInput} from './decode.js'
import {isWriteOperation, resolveOperation, serviceForVersion} from './dispatch.js'
import {toServiceError} from './errors.js'
import {serviceSpecs, type OperationSpec} from './operations.js'
import {ClientGoneError, DEFAULT_MAX_BODY_BYTES, readQueryParams, type QueryParams} from './query-parser.js'
import {serializeError, serializeResult} from './xml.js'

/**
 * The engine's Query API: parse → dispatch → decode → call the model service → serialize.
 * The services are typed structurally (any object with the operation methods), so this module
 * depends on no service implementation.
 */

/** An object whose methods are named after the Actions in lowerCamelCase: `(ctx, input) => output`. */
export type OperationHandlers = object

export interface ApiServerOptions {
  readonly elb: OperationHandlers
  readonly iam: OperationHandlers
  /** Handles every request under `/__elb-local/` (the engine's own JSON API). */
  readonly admin?: (req: IncomingMessage, res: ServerResponse) => Promise<void>
  /** Other handlers by path prefix (the console at `/console/`, metrics at `/metrics`). */
  readonly mounts?: readonly Mount[]
  /** Awaited after every successful write, before the answer is sent: a failure is an error answer (the write may be lost). */
  readonly durable?: () => Promise<void>
  /** Awaited after every successful write, before the answer is sent. */
  readonly afterWrite?: () => Promise<void>
  /**
   * Asked after afterWrite: what the write left unable to run (a listener that cannot bind), sent
   * back in the non-AWS WARNING_HEADER.
   */
  readonly writeWarnings?: () => readonly string[]
  readonly defaultRegion: string
  readonly log?: (line: string) => void
  readonly maxBodyBytes?: number
}

export {ADMIN_PREFIX} from '../constants.js'

export interface Mount {
  /** A request whose path is this prefix, or starts with it followed by `/`, goes to `handler`. */
  readonly prefix: string
  readonly handler: (req: IncomingMessage, res: ServerResponse) => Promise<void>
}

function mountFor(mounts: readonly Mount[], path: string): Mount | undefined {
  return mounts.find(({prefix}) => {
    const bare = prefix.replace(/\/+$/, '')
    return path === bare || path.startsWith(`${bare}/`)
  })
}

type OperationMethod = (ctx: RequestContext, input: Record<string, unknown>) => unknown

function findMethod(handlers: OperationHandlers, operation: OperationSpec): OperationMethod {
  const method: unknown = Reflect.get(handlers, operation.method)
  if (typeof method !== 'function') {
    // A model service that lacks a modelled operation is an engine defect, not a client error.
    throw new Error(`the ${operation.service} service does not implement ${operation.method}()`)
  }
  return (ctx, input) => Reflect.apply(method, handlers, [ctx, input]) as unknown
}

function send(res: ServerResponse, status: number, requestId: string, body: string): void {
  if (res.headersSent) {
    res.destroy()
    return
  }
  res.writeHead(status, {
    'Content-Type': 'text/xml',
    'Content-Length': Buffer.byteLength(body),
    'x-amzn-RequestId': requestId,
  })
  res.end(body)
}

export function createApiServer(options: ApiServerOptions): Server {
  const log = options.log ?? (() => undefined)
  const maxBodyBytes = options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES
  const specs = serviceSpecs()

  async function handleQuery(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const requestId = randomUUID()
    const started = Date.now()
    let params: QueryParams = new Map()
    let action = '-'
    try {
      params = await readQueryParams(req, maxBodyBytes)
      // Named in the log line even when it is not an operation (InvalidAction).
      action = params.get('Action') ?? '-'
      const operation = resolveOperation(params)
      action = operation.action
      const input = decodeInput(operation, params)
      const ctx: RequestContext = {region: resolveRegion(req.headers, params, options.defaultRegion), requestId}
      const handlers = operation.service === 'elb' ? options.elb : options.iam
      const result: unknown = await findMethod(handlers, operation)(ctx, input)
      if (isWriteOperation(operation.action)) await options.durable?.()
      if (isWriteOperation(operation.action) && options.afterWrite !== undefined) {
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
      const service = specs[operation.service]
      send(res, 200, requestId, serializeResult({
        action: operation.action,
        namespace: service.xmlNamespace,
        requestId,
        outputMembers: operation.outputMembers,
        result,
        ...(operation.resultWrapper === undefined ? {} : {resultWrapper: operation.resultWrapper}),
      }))
      log(`${requestId} ${ctx.region} ${operation.action} 200 ${Date.now() - started}ms`)
    } catch (caught) {
      if (caught instanceof ClientGoneError) {
        log(`${requestId} client closed the connection mid-request`)
        return
      }
      const error = toServiceError(caught, log, requestId)
      const namespace = (serviceForVersion(params.get('Version')) ?? specs.elb).xmlNamespace
      send(res, error.status, requestId, serializeError({
        namespace, requestId, type: error.type, code: error.code, message: error.message,
      }))
      log(`${requestId} ${action} ${error.status} ${error.code} ${Date.now() - started}ms`)
    }
  }

  async function handleAdmin(req: IncomingMessage, res: ServerResponse): Promise<void> {
    if (options.admin === undefined) {
      res.writeHead(404, {'Content-Type': 'application/json'}).end(JSON.stringify({error: 'no admin API here'}))
      return
    }
    try {
      await options.admin(req, res)
    } catch (error) {
      log(`admin ${req.method ?? ''} ${req.url ?? ''} failed: ${error instanceof Error ? error.stack ?? error.message : String(error)}`)
      if (!res.headersSent) {
        const status = error instanceof ServiceError ? error.status : 500
        res.writeHead(status, {'Content-Type': 'application/json'})
        res.end(JSON.stringify({error: error instanceof ServiceError ? error.message : 'internal error'}))
      } else {
        res.destroy()
      }
    }
  }

  const server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0] ?? '/'
    const mount = mountFor(options.mounts ?? [], path)
    const handling = mount !== undefined
      ? mount.handler(req, res)
      : path.startsWith(ADMIN_PREFIX) ? handleAdmin(req, res) : handleQuery(req, res)
    // Both handlers answer their own failures; this only guards against a defect in doing so.
    handling.catch((error: unknown) => {
      log(`unhandled failure answering ${req.url ?? ''}: ${String(error)}`)
      if (!res.headersSent) res.writeHead(500).end()
      else res.destroy()
    })
  })
  server.on('clientError', (_error, socket) => {
    if (socket.writable) socket.end('HTTP/1.1 400 Bad Request\r\nConnection: close\r\n\r\n')
    else socket.destroy()
  })
  return server
}
