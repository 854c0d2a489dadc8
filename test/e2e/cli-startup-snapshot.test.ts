/**
 * The `bin/` shims run directly start Node from the CLI's start-up snapshot; run as `node bin/x`
 * they load the bundled ES modules. Both must print the same bytes and exit with the same code,
 * from any directory, through a symlink (`npm link`), and with NODE_EXTRA_CA_CERTS (which the
 * snapshot path applies at the first TLS connection) — checked here against a real engine, and
 * for TLS through a real TLS terminator in front of it.
 */
import {execFileSync} from 'node:child_process'
import {existsSync, mkdtempSync, readFileSync, rmSync, symlinkSync} from 'node:fs'
import {connect, type Socket} from 'node:net'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {createServer, type Server} from 'node:tls'
import {snapshotBlobPath} from '../../src/lib/bundle/snapshot-cache.js'
import {BEFORE_TLS_HOOK, DEFERRED_CA_CERTS_VARIABLE, restoreDeferredCaCertificates} from '../../src/lib/bundle/extra-ca-certs.js'
import {startTestEngine, type TestEngine} from '../helpers/engine.js'
import {freePort, REPO, runProcess, type RunResult as Run} from '../helpers/processes.js'

/** This build's snapshot for this node, in the machine's cache (never in dist/). */
const blob = (): string | undefined => snapshotBlobPath()

let engine: TestEngine
let work: string
let closedPort: number


/** Runs `script ARGV…` as the kernel would (the shim's `#!/bin/sh`), or with `node script`. */
function run(how: 'direct' | 'node', script: string, argv: string[], env: NodeJS.ProcessEnv = {}, cwd = work): Promise<Run> {
  const [file, args] = how === 'direct' ? [script, argv] : [process.execPath, [script, ...argv]]
  return runProcess(file, args, {
    cwd, env: {ELB_LOCAL_AUTOSTART: '0', ELB_LOCAL_ENDPOINT: engine.endpoint, ...env}, timeoutMs: 20_000,
  })
}

/** Request ids are the engine's, fresh for every call. */
const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g
const sameCallsAlike = (result: Run): Run => ({...result, stdout: result.stdout.replace(UUID, 'REQUEST-ID'), stderr: result.stderr.replace(UUID, 'REQUEST-ID')})

/** The snapshot run and the module run of `bin/NAME ARGV…`, which must agree exactly. */
async function bothWays(name: string, argv: string[], env: NodeJS.ProcessEnv = {}): Promise<Run> {
  const script = join(REPO, 'bin', name)
  const [direct, viaNode] = await Promise.all([run('direct', script, argv, env), run('node', script, argv, env)])
  expect(sameCallsAlike(direct)).toEqual(sameCallsAlike(viaNode))
  return direct
}

beforeAll(async () => {
  const made = blob()
  if (made === undefined || !existsSync(made)) execFileSync('npm', ['run', 'build:cli'], {cwd: REPO, stdio: 'ignore'})
  work = mkdtempSync(join(tmpdir(), 'elb-cli-snapshot-'))
  engine = await startTestEngine()
  closedPort = await freePort()
  // Asynchronously: the engine runs in this process.
  const created = await run('node', join(REPO, 'bin', 'elb-create-lb'), ['snap-lb', '--listener', 'protocol=http, lb-port=80, instance-port=8080', '--availability-zones', 'us-east-1a'])
  expect(created.code).toBe(0)
}, 60_000)

afterAll(async () => {
  await engine.close()
  rmSync(work, {recursive: true, force: true})
})

test('the build made a start-up snapshot, in the cache directory and not in the package', () => {
  const made = blob() ?? 'none'
  expect(existsSync(made)).toBe(true)
  expect(made.startsWith(REPO)).toBe(false)
  expect(existsSync(join(REPO, 'dist', 'lib', 'bundle', 'cli.blob'))).toBe(false)
})

describe('snapshot and module runs print the same', () => {
  test.each([
    ['elb-describe-lbs', []],
    ['elb-describe-lbs', ['--show-long', '--headers']],
    ['elb-describe-lbs', ['--show-xml']],
    ['elb-describe-lbs', ['snap-lb', '--show-request', '--delimiter', ';']],
    ['elb-describe-lbs', ['--help']],
    ['elb-describe-lbs', ['no-such-lb']],
    ['elb-describe-lbs', ['--debug', 'no-such-lb']],
    ['elb-describe-lbs', ['--marker']],
    ['elb-describe-lbs', ['--bogus']],
    ['elb-describe-lb-policy-types', ['--show-long']],
    ['elb-create-lb', ['bad name!', '--listener', 'protocol=http, lb-port=80, instance-port=80', '-z', 'us-east-1a']],
    ['elb-configure-healthcheck', ['snap-lb', '--target', 'HTTP:8080/ping', '--interval', '30', '--timeout', '3', '--healthy-threshold', '2', '--unhealthy-threshold', '2']],
    // The confirmation prompt reads stdin (closed here): the answer is no.
    ['elb-delete-lb', ['snap-lb']],
    ['elb-version', []],
    ['elb-cmd', []],
    ['elb-cmd', ['elb-describe-lbs', '--headers']],
    ['elb-cmd', ['no-such-command']],
    ['iam-servercertlistbypath', []],
    ['iam-servercertgetattributes', ['-s', 'nothing-here']],
    ['elb-local', ['status']],
    ['elb-local', ['describe-instances', '--json']],
    ['elb-local', ['--help']],
    ['elb-local', ['bogus']],
    ['elb-cmd', ['elb-local', 'hosts']],
  ])('%s %j', async (name, argv) => {
    await bothWays(name, argv)
  })

  test('a refused connection', async () => {
    const result = await bothWays('elb-describe-lbs', ['-U', `http://127.0.0.1:${closedPort}/`])
    expect(result.code).not.toBe(0)
  })
})

test('the shim works through a symlink (npm link) from another directory', async () => {
  const links = mkdtempSync(join(tmpdir(), 'elb-cli-links-'))
  try {
    const link = join(links, 'elb-describe-lbs')
    symlinkSync(join(REPO, 'bin', 'elb-describe-lbs'), link)
    const [linked, viaNode] = await Promise.all([
      run('direct', link, ['--headers'], {}, tmpdir()),
      run('node', join(REPO, 'bin', 'elb-describe-lbs'), ['--headers']),
    ])
    expect(linked).toEqual(viaNode)
    expect(linked.stdout).toContain('snap-lb')
  } finally {
    rmSync(links, {recursive: true, force: true})
  }
})

describe('NODE_EXTRA_CA_CERTS', () => {
  let terminator: Server
  let tlsEndpoint: string
  const sockets = new Set<Socket>()

  beforeAll(async () => {
    execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'key.pem', '-out', 'cert.pem', '-days', '2', '-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1'], {
      cwd: work,
      stdio: 'ignore',
    })
    const {port} = new URL(engine.endpoint)
    // TLS in front of the engine's plain-HTTP API.
    terminator = createServer({key: readFileSync(join(work, 'key.pem')), cert: readFileSync(join(work, 'cert.pem'))}, (client) => {
      const upstream = connect(Number(port), '127.0.0.1')
      for (const socket of [client, upstream]) {
        sockets.add(socket)
        socket.on('error', () => socket.destroy())
        socket.on('close', () => sockets.delete(socket))
      }
      client.pipe(upstream).pipe(client)
    })
    await new Promise<void>((resolve) => terminator.listen(0, '127.0.0.1', resolve))
    const address = terminator.address()
    tlsEndpoint = `https://127.0.0.1:${typeof address === 'object' && address !== null ? address.port : 0}/`
  })

  afterAll(async () => {
    for (const socket of sockets) socket.destroy()
    await new Promise((resolve) => terminator.close(resolve))
  })

  test('the extra certificate is trusted on the snapshot path as on the module path', async () => {
    const result = await bothWays('elb-describe-lbs', ['-U', tlsEndpoint], {NODE_EXTRA_CA_CERTS: join(work, 'cert.pem')})
    expect(result.code).toBe(0)
    expect(result.stdout).toContain('snap-lb')
  })

  test('without it the self-signed certificate is refused the same way', async () => {
    const result = await bothWays('elb-describe-lbs', ['-U', tlsEndpoint], {NODE_EXTRA_CA_CERTS: undefined})
    expect(result.code).not.toBe(0)
  })

  test('the snapshot run hands the variable back to its environment (children see it as given)', () => {
    const env: NodeJS.ProcessEnv = {[DEFERRED_CA_CERTS_VARIABLE]: '/etc/ca.pem', OTHER: 'x'}
    restoreDeferredCaCertificates(env)
    expect(env).toEqual({NODE_EXTRA_CA_CERTS: '/etc/ca.pem', OTHER: 'x'})
    const hooks = globalThis as Record<string, unknown>
    expect(typeof hooks[BEFORE_TLS_HOOK]).toBe('function')
    Reflect.deleteProperty(hooks, BEFORE_TLS_HOOK)
  })
})
