import type {IncomingMessage, ServerResponse} from 'node:http'

/**
 * The engine's HTTP front: a request goes to the handler mounted at the longest matching path
 * prefix, else to the fallback (the Query API, which AWS serves at `/`). Mounted today:
 * `/__elb-local/` (the admin API). Room is kept for `/console/` (the web console) and a metrics
 * path: `router.mount('/console/', handler)` is all they need. A handler answers its own errors;
 * the router only guards against a defect in doing so.
 */

export type HttpHandler = (req: IncomingMessage, res: ServerResponse) => Promise<void>

interface Mount {
  readonly prefix: string
  readonly handler: HttpHandler
}

export class Router {
  private mounts: readonly Mount[] = []

  constructor(private readonly fallback: HttpHandler, private readonly log: (line: string) => void = () => undefined) {}

  /** Serves every path that starts with `prefix` (which must start and end with `/`). */
  mount(prefix: string, handler: HttpHandler): this {
    if (!prefix.startsWith('/') || !prefix.endsWith('/') || prefix === '/') {
      throw new Error(`a mount prefix must start and end with / and not be / itself: ${prefix}`)
    }
    if (this.mounts.some((mount) => mount.prefix === prefix)) throw new Error(`${prefix} is mounted already`)
    this.mounts = [...this.mounts, {prefix, handler}].sort((a, b) => b.prefix.length - a.prefix.length)
    return this
  }

  /** The handler for a request path (query string excluded). */
  handlerFor(path: string): HttpHandler {
    // `/console` without its slash is the console too (a person types it).
    return this.mounts.find((mount) => path.startsWith(mount.prefix) || path === mount.prefix.slice(0, -1))?.handler ?? this.fallback
  }

  readonly handle = (req: IncomingMessage, res: ServerResponse): void => {
    const url = req.url ?? '/'
    const queryStart = url.indexOf('?')
    const path = queryStart < 0 ? url : url.slice(0, queryStart)
    this.handlerFor(path)(req, res).catch((error: unknown) => {
      this.log(`unhandled failure answering ${url}: ${String(error)}`)
      if (!res.headersSent) res.writeHead(500).end()
      else res.destroy()
    })
  }
}
