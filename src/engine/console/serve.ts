/**
 * Serves the web console's built assets (`npm run build` → dist/console/) at `/console/` on the
 * API port, so the console is same-origin with the API it calls. Files are read and gzipped once,
 * on first request; nothing else is served from disk.
 */
import {existsSync, readdirSync, readFileSync} from 'node:fs'
import type {IncomingMessage, ServerResponse} from 'node:http'
import {dirname, extname, join} from 'node:path'
import {fileURLToPath} from 'node:url'
import {gzipSync} from 'node:zlib'
import {CONSOLE_PREFIX} from '../constants.js'

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
}

/** The console may talk to its own origin only; it loads nothing from elsewhere. */
const SECURITY_HEADERS = {
  'Content-Security-Policy': "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; frame-ancestors 'none'; form-action 'self'",
  'X-Content-Type-Options': 'nosniff',
  'X-Frame-Options': 'DENY',
  'Referrer-Policy': 'no-referrer',
}

interface Asset {
  readonly type: string
  readonly body: Buffer
  readonly gzipped: Buffer
}

/** dist/console next to the compiled engine, or the checkout's dist/console when run from src/. */
export function consoleAssetDirectory(): string | undefined {
  const here = dirname(fileURLToPath(import.meta.url))
  const candidates = [join(here, '..', '..', 'console'), join(here, '..', '..', '..', 'dist', 'console')]
  return candidates.find((directory) => existsSync(join(directory, 'console.js')))
}

function loadAssets(directory: string): Map<string, Asset> {
  const assets = new Map<string, Asset>()
  for (const name of readdirSync(directory)) {
    const type = TYPES[extname(name)]
    if (type === undefined) continue
    const body = readFileSync(join(directory, name))
    assets.set(name, {type, body, gzipped: gzipSync(body, {level: 9})})
  }
  return assets
}

export function createConsoleHandler(directory = consoleAssetDirectory()): (req: IncomingMessage, res: ServerResponse) => Promise<void> {
  let assets: Map<string, Asset> | undefined
  return (req, res) => {
    const path = (req.url ?? '/').split('?')[0] ?? '/'
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, {Allow: 'GET, HEAD', 'Content-Type': 'text/plain'}).end('Method Not Allowed\n')
      return Promise.resolve()
    }
    if (path === '/console') {
      res.writeHead(301, {Location: CONSOLE_PREFIX}).end()
      return Promise.resolve()
    }
    if (directory === undefined) {
      res.writeHead(503, {'Content-Type': 'text/plain'}).end('The console is not built: run `npm run build`.\n')
      return Promise.resolve()
    }
    assets ??= loadAssets(directory)
    const name = path.slice(CONSOLE_PREFIX.length) || 'index.html'
    const asset = assets.get(name)
    if (asset === undefined) {
      res.writeHead(404, {'Content-Type': 'text/plain'}).end('Not Found\n')
      return Promise.resolve()
    }
    const gzip = /\bgzip\b/.test(req.headers['accept-encoding'] ?? '')
    const body = gzip ? asset.gzipped : asset.body
    res.writeHead(200, {
      ...SECURITY_HEADERS,
      'Content-Type': asset.type,
      'Content-Length': body.length,
      'Cache-Control': 'no-cache',
      Vary: 'Accept-Encoding',
      ...(gzip ? {'Content-Encoding': 'gzip'} : {}),
    })
    res.end(req.method === 'HEAD' ? undefined : body)
    return Promise.resolve()
  }
}
