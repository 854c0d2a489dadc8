/** The built console (dist/console, made by `npm run build`): small, self-contained, served gzipped. */
import {readdirSync, readFileSync} from 'node:fs'
import {join} from 'node:path'
import {gzipSync} from 'node:zlib'
import {startTestEngine, type TestEngine} from '../helpers/engine.js'
import {ensureBuilt, REPO} from '../helpers/processes.js'

const DIST = join(REPO, 'dist', 'console')
const LIMIT_BYTES = 200 * 1024

beforeAll(() => { ensureBuilt() })

test('the whole console is at most 200 KB gzipped', () => {
  const files = readdirSync(DIST)
  expect(files.sort()).toEqual(['console.css', 'console.js', 'index.html'])
  const gzipped = files.reduce((sum, file) => sum + gzipSync(readFileSync(join(DIST, file)), {level: 9}).length, 0)
  expect(gzipped).toBeGreaterThan(10_000)
  expect(gzipped).toBeLessThanOrEqual(LIMIT_BYTES)
})

test('nothing in it points at another host (no CDN, no web fonts)', () => {
  const html = readFileSync(join(DIST, 'index.html'), 'utf8')
  const css = readFileSync(join(DIST, 'console.css'), 'utf8')
  expect(html).not.toMatch(/(src|href)="(https?:)?\/\//)
  expect(css).not.toMatch(/url\(\s*['"]?(https?:)?\/\//)
  expect(css).not.toMatch(/@import|@font-face/)
})

describe('served by the engine', () => {
  let t: TestEngine
  beforeAll(async () => { t = await startTestEngine() })
  afterAll(async () => { await t.close() })

  test('/console/ answers the page with a same-origin-only policy; assets gzipped on request', async () => {
    const page = await fetch(`${t.endpoint}/console/`)
    expect(page.status).toBe(200)
    expect(page.headers.get('content-type')).toBe('text/html; charset=utf-8')
    expect(page.headers.get('content-security-policy')).toContain("default-src 'self'")
    expect(page.headers.get('x-frame-options')).toBe('DENY')
    expect(await page.text()).toContain('<script type="module" src="console.js"></script>')
    const script = await fetch(`${t.endpoint}/console/console.js`, {headers: {'Accept-Encoding': 'gzip'}})
    expect(script.headers.get('content-encoding')).toBe('gzip')
    expect((await script.arrayBuffer()).byteLength).toBe(readFileSync(join(DIST, 'console.js')).length)
  })

  test('/console redirects to /console/; unknown files are 404; writes are refused', async () => {
    const redirect = await fetch(`${t.endpoint}/console`, {redirect: 'manual'})
    expect([redirect.status, redirect.headers.get('location')]).toEqual([301, '/console/'])
    expect((await fetch(`${t.endpoint}/console/..%2f..%2fstate.json`)).status).toBe(404)
    expect((await fetch(`${t.endpoint}/console/nothing.js`)).status).toBe(404)
    expect((await fetch(`${t.endpoint}/console/`, {method: 'POST', body: 'Action=DeleteLoadBalancer'})).status).toBe(405)
  })
})
