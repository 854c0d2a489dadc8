import {createServer, type IncomingMessage, type Server, type ServerResponse} from 'node:http'
import {randomUUID} from 'node:crypto'
import {ADMIN_PREFIX} from '../constants.js'
import {AccessDenied, ServiceError} from '../model/errors.js'
import {acceptAnySignature, type Authenticator} from './authenticate.js'
import {browserRefusal} from './browser-guard.js'
import {createApi} from './pipeline.js'
import {DETECTION_ORDER} from './protocols/index.js'
import {awsQuery} from './protocols/query.js'
import {Router, type HttpHandler, type Refuser} from './router.js'
import {elbService, type ElbImplementation} from './services/elb.js'
import {iamService, type IamImplementation} from './services/iam.js'
import type {ApiService} from './service.js'

/**
 * The engine's HTTP server: a Router whose fallback is the API pipeline (pipeline.ts) for ELB, IAM
 * and any further wire service, with the admin API mounted at `/__elb-local/` and any further `mounts` (the console, a
 * metrics endpoint) beside it. Every request first passes the browser guard (browser-guard.ts).
 */

export interface ApiServerOptions {
  readonly elb: ElbImplementation
  readonly iam: IamImplementation
  /** Further services (another API version, EC2), after ELB and IAM. */
  readonly services?: readonly ApiService[]
  /** Default: accept any signature and read the region from it. */
  readonly authenticator?: Authenticator
  /** The address the server binds (`--host`): a Host header naming it is accepted. Default 127.0.0.1. */
  readonly bindHost?: string
  /** Handles every request under `/__elb-local/` (the engine's own JSON API). */
  readonly admin?: HttpHandler
  /** More handlers by path prefix, e.g. `{'/console/': consoleHandler}`. */
  readonly mounts?: Readonly<Record<string, HttpHandler>>
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
  readonly defaultRegion: string
  readonly log?: (line: string) => void
  readonly maxBodyBytes?: number
}

export {ADMIN_PREFIX} from '../constants.js'

/** The admin API's JSON error shape, for a refused request. */
const refuseAsJson: Refuser = (_req, res, reason) => {
  const body = JSON.stringify({error: {code: 'AccessDenied', message: reason}})
  res.writeHead(403, {'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body)}).end(body)
}

/** The admin API's handler, answering its unexpected failures as JSON. */
function adminMount(admin: HttpHandler, log: (line: string) => void): HttpHandler {
  return async (req, res) => {
    try {
      await admin(req, res)
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
}

function noAdmin(_req: IncomingMessage, res: ServerResponse): Promise<void> {
  res.writeHead(404, {'Content-Type': 'application/json'}).end(JSON.stringify({error: 'no admin API here'}))
  return Promise.resolve()
}

/** The router behind the engine's port, for callers that mount more handlers on it. */
export function createApiRouter(options: ApiServerOptions): Router {
  const log = options.log ?? (() => undefined)
  const services = [elbService(options.elb), iamService(options.iam), ...(options.services ?? [])]
  const api = createApi({
    services,
    authenticator: options.authenticator ?? acceptAnySignature(options.defaultRegion),
    log,
    ...(options.durable === undefined ? {} : {durable: options.durable}),
    ...(options.afterWrite === undefined ? {} : {afterWrite: options.afterWrite}),
    ...(options.writeWarnings === undefined ? {} : {writeWarnings: options.writeWarnings}),
    ...(options.maxBodyBytes === undefined ? {} : {maxBodyBytes: options.maxBodyBytes}),
  })
  // A refused API request is answered like any API error, in its own protocol (Query: ELB's envelope).
  const refuseAsApiError: Refuser = (req, res, reason) => {
    const protocol = DETECTION_ORDER.find((candidate) => candidate.detect(req)) ?? awsQuery
    const service = protocol.family === 'query' ? services[0] : undefined
    const answer = protocol.writeError({service, version: undefined, requestId: randomUUID(), error: new AccessDenied(reason)})
    res.writeHead(answer.status, {...answer.headers, 'Content-Length': Buffer.byteLength(answer.body)}).end(answer.body)
  }
  const bindHost = options.bindHost ?? '127.0.0.1'
  const router = new Router({
    fallback: api, refuseFallback: refuseAsApiError, log, guard: (req) => browserRefusal(req, {bindHost}),
  })
  router.mount(ADMIN_PREFIX, options.admin === undefined ? noAdmin : adminMount(options.admin, log), refuseAsJson)
  for (const [prefix, handler] of Object.entries(options.mounts ?? {})) router.mount(prefix, handler)
  return router
}

export function createApiServer(options: ApiServerOptions): Server {
  const server = createServer(createApiRouter(options).handle)
  server.on('clientError', (_error, socket) => {
    if (socket.writable) socket.end('HTTP/1.1 400 Bad Request\r\nConnection: close\r\n\r\n')
    else socket.destroy()
  })
  return server
}
