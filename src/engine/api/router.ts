import type {IncomingMessage, ServerResponse} from 'node:http'

/**
 * The engine's HTTP front: a request goes to the handler mounted at the longest matching path
 * prefix, else to the fallback (the Query API, which AWS serves at `/`). Mounted: `/__elb-local/`
 * (the admin API), `/console/` (the web console) and the metrics paths. Before any handler runs, the
 * router's guard (browser-guard.ts) may refuse the request; each mount answers a refusal in its own
 * format (XML for the API, JSON for the admin API, plain text by default). A handler answers its own
 * errors; the router only guards against a defect in doing so.
 */

export type HttpHandler = (req: IncomingMessage, res: ServerResponse) => Promise<void>

/** Answers a request the guard refused (403, no state change). */
export type Refuser = (req: IncomingMessage, res: ServerResponse, reason: string) => void

/** Why a request must not reach any handler, or undefined to let it through. */
export type RequestGuard = (req: IncomingMessage) => string | undefined

interface Mount {
  readonly prefix: string
  readonly handler: HttpHandler
  readonly refuse: Refuser
}

export interface RouterOptions {
  readonly fallback: HttpHandler
  readonly refuseFallback?: Refuser
  readonly guard?: RequestGuard
  readonly log?: (line: string) => void
}

export const refuseAsText: Refuser = (_req, res, reason) => {
  res.writeHead(403, {'Content-Type': 'text/plain; charset=utf-8', 'Content-Length': Buffer.byteLength(`${reason}\n`)})
  res.end(`${reason}\n`)
}

export class Router {
  private mounts: readonly Mount[] = []
  private readonly fallback: Mount
  private readonly log: (line: string) => void

  constructor(private readonly options: RouterOptions) {
    this.fallback = {prefix: '/', handler: options.fallback, refuse: options.refuseFallback ?? refuseAsText}
    this.log = options.log ?? (() => undefined)
  }

  /** Serves every path that starts with `prefix` (which must start and end with `/`). */
  mount(prefix: string, handler: HttpHandler, refuse: Refuser = refuseAsText): this {
    if (!prefix.startsWith('/') || !prefix.endsWith('/') || prefix === '/') {
      throw new Error(`a mount prefix must start and end with / and not be / itself: ${prefix}`)
    }
    if (this.mounts.some((mount) => mount.prefix === prefix)) throw new Error(`${prefix} is mounted already`)
    this.mounts = [...this.mounts, {prefix, handler, refuse}].sort((a, b) => b.prefix.length - a.prefix.length)
    return this
  }

  private mountFor(path: string): Mount {
    // `/console` without its slash is the console too (a person types it).
    return this.mounts.find((mount) => path.startsWith(mount.prefix) || path === mount.prefix.slice(0, -1)) ?? this.fallback
  }

  /** The handler for a request path (query string excluded). */
  handlerFor(path: string): HttpHandler {
    return this.mountFor(path).handler
  }

  readonly handle = (req: IncomingMessage, res: ServerResponse): void => {
    const url = req.url ?? '/'
    const queryStart = url.indexOf('?')
    const mount = this.mountFor(queryStart < 0 ? url : url.slice(0, queryStart))
    const refusal = this.options.guard?.(req)
    if (refusal !== undefined) {
      this.log(`refused ${req.method ?? ''} ${url.slice(0, 200)}: ${refusal}`)
      // The body is never parsed; it is discarded (so the client is not reset mid-upload) and the
      // connection closed once the answer is out.
      req.resume()
      res.setHeader('Connection', 'close')
      mount.refuse(req, res, refusal)
      return
    }
    mount.handler(req, res).catch((error: unknown) => {
      this.log(`unhandled failure answering ${url}: ${String(error)}`)
      if (!res.headersSent) res.writeHead(500).end()
      else res.destroy()
    })
  }
}
