/**
 * Finding — and if need be starting — the local engine. `ensureLocalEngine` runs before every CLI
 * command, so this module only imports node built-ins and costs one TCP connect when the engine is
 * already up.
 */
import {spawn} from 'node:child_process'
import {closeSync, existsSync, mkdirSync, openSync, readFileSync} from 'node:fs'
import {connect} from 'node:net'
import {join} from 'node:path'
import {fileURLToPath} from 'node:url'
import {checkEndpoint, EndpointError, isLoopbackHost} from './endpoint.js'
import {probeEngine} from './engine-probe.js'
import {DEFAULT_ENGINE_ENDPOINT, DEFAULT_ENGINE_PORT, ENGINE_LOG_FILE, ENGINE_PID_FILE} from '../../engine/constants.js'
import {ACCOUNT_ID, accountIdProblem, engineHome} from '../../engine/home.js'

export {EndpointError}

export {ACCOUNT_ID, accountIdProblem, DEFAULT_ENGINE_PORT, engineHome, ENGINE_LOG_FILE, ENGINE_PID_FILE}

/** How long a starting engine may take before we give up on it. */
const START_TIMEOUT_MS = 20_000
const POLL_INTERVAL_MS = 50
const CONNECT_TIMEOUT_MS = 500

/** Something answers at the engine's address, but not an elb-local engine (its health endpoint says who). */
export class PortHeldError extends Error {
  constructor(readonly endpoint: string) {
    const {hostname} = new URL(endpoint)
    super(`Another program, not an elb-local engine, is answering at ${endpoint}. Give the engine another port: ` +
      `ELB_LOCAL_ENDPOINT=http://${hostname}:PORT for every command (\`elb-local start\` then starts it there; ` +
      'or `elb-local start --port PORT`), or stop that program.')
    this.name = 'PortHeldError'
  }
}

export class LocalEngineUnreachableError extends Error {
  constructor(readonly endpoint: string, detail?: string) {
    super(`Could not connect to the local engine at ${endpoint}` +
      (detail === undefined ? '.' : `: ${detail}`) +
      ' Start it with `elb-local start` (autostart is off when ELB_LOCAL_AUTOSTART=0).')
    this.name = 'LocalEngineUnreachableError'
  }
}

export interface EngineIo {
  stderr: (text: string) => void
  /** The environment to read ELB_LOCAL_* from and start the engine with (default process.env). */
  env?: NodeJS.ProcessEnv
}

/** The admin/API endpoint of the local engine: `ELB_LOCAL_ENDPOINT`, else http://127.0.0.1:8773. */
export function engineEndpoint(env: Readonly<Record<string, string | undefined>> = process.env): string {
  const endpoint = env['ELB_LOCAL_ENDPOINT']
  return endpoint !== undefined && endpoint !== '' ? checkEndpoint(endpoint, 'ELB_LOCAL_ENDPOINT').replace(/\/+$/, '') : DEFAULT_ENGINE_ENDPOINT
}

/** `http://HOST:PORT` (IPv6 in brackets); a host that makes no URL is one sentence (EndpointError). */
export function endpointOf(host: string, port: number): string {
  const authority = host.includes(':') ? `[${host}]` : host
  try {
    if (new URL(`http://${authority}:1`).hostname === '') throw new Error('no host')
  } catch {
    throw new EndpointError(`'${host}' is not a host name or an IP address.`)
  }
  return `http://${authority}:${port}`
}

interface HostPort {
  host: string
  port: number
}

function hostPortOf(endpoint: string): HostPort {
  const url = new URL(endpoint)
  const defaultPort = url.protocol === 'https:' ? 443 : 80
  const host = url.hostname.replace(/^\[(.*)\]$/, '$1')
  return {host, port: url.port === '' ? defaultPort : Number(url.port)}
}

/** True if something accepts a TCP connection at the endpoint. */
export function isAnswering(endpoint: string, timeoutMs = CONNECT_TIMEOUT_MS): Promise<boolean> {
  const {host, port} = hostPortOf(endpoint)
  return new Promise((resolve) => {
    const socket = connect({host, port})
    const done = (answer: boolean) => {
      socket.destroy()
      resolve(answer)
    }
    socket.setTimeout(timeoutMs, () => { done(false); })
    socket.once('connect', () => { done(true); })
    socket.once('error', () => { done(false); })
  })
}

/**
 * Resolves once something answers at `endpoint`. If nothing does and the endpoint is on loopback,
 * starts the engine in the background (unless `ELB_LOCAL_AUTOSTART=0`) and says so on stderr.
 * Endpoints that are not on this machine are left to the caller.
 */
export async function ensureLocalEngine(endpoint: string, io: EngineIo): Promise<void> {
  const probe = await probeEngine(endpoint)
  if (probe.kind === 'engine') return
  if (probe.kind === 'foreign') throw new PortHeldError(endpoint)
  const {host, port} = hostPortOf(endpoint)
  if (!isLoopbackHost(host)) return
  const env = io.env ?? process.env
  if (env.ELB_LOCAL_AUTOSTART === '0') {
    throw new LocalEngineUnreachableError(endpoint, 'nothing is listening')
  }
  const home = engineHome(env)
  io.stderr(`Starting the local engine at ${endpoint} (state in ${home}; stop it with \`elb-local stop\`)...\n`)
  await startEngineInBackground({home, host, port, env})
}

export interface BackgroundStartOptions {
  home: string
  host: string
  port: number
  portOffset?: number
  /** More engine arguments (`--ephemeral`). */
  extraArgs?: readonly string[]
  /** Environment for the engine process, over process.env (ELB_LOCAL_TIME_SCALE, …). */
  env?: NodeJS.ProcessEnv
  timeoutMs?: number
}

/**
 * The compiled engine entry point. From `dist/` it sits next to us; when this module runs from its
 * TypeScript source (tests), the build output under `dist/` is used.
 */
export function engineEntryScript(): string {
  const here = fileURLToPath(import.meta.url)
  const compiled = here.endsWith('.ts')
    ? here.replace(/\/src\/lib\/client\/local-engine\.ts$/, '/dist/engine/cli-entry.js')
    : join(here, '..', '..', '..', 'engine', 'cli-entry.js')
  return compiled
}

/**
 * Spawns the engine detached, its output appended to `HOME/engine.log`, and waits until it accepts
 * connections. If the process dies first (port taken, no privilege, broken state file) the error
 * carries the end of its log, so the reason is never silent.
 */
export async function startEngineInBackground(options: BackgroundStartOptions): Promise<{pid: number; endpoint: string}> {
  let endpoint = endpointOf(options.host, options.port)
  const entry = engineEntryScript()
  if (!existsSync(entry)) {
    throw new LocalEngineUnreachableError(endpoint, `the engine is not built (${entry} is missing; run \`npm run build\`)`)
  }
  mkdirSync(options.home, {recursive: true, mode: 0o700})
  const logFile = join(options.home, ENGINE_LOG_FILE)
  const logStart = existsSync(logFile) ? readFileSync(logFile).length : 0
  const logFd = openSync(logFile, 'a', 0o600)
  const args = [entry, '--home', options.home, '--host', options.host, '--port', String(options.port), '--background']
  if (options.portOffset !== undefined) args.push('--port-offset', String(options.portOffset))
  args.push(...options.extraArgs ?? [])
  const child = spawn(process.execPath, args, {
    detached: true,
    stdio: ['ignore', logFd, logFd],
    // Over process.env, so PATH (openssl) is there even when the caller passes a minimal env.
    env: {...process.env, ...options.env, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true'},
  })
  closeSync(logFd)
  let exitCode: number | null | undefined
  child.once('exit', (code, signal) => {
    exitCode = code ?? (signal === null ? -1 : 128)
  })
  child.unref()

  const deadline = Date.now() + (options.timeoutMs ?? START_TIMEOUT_MS)
  while (Date.now() < deadline) {
    // Port 0: the kernel picks; the engine's log names the endpoint once it listens.
    if (options.port === 0) endpoint = listeningEndpoint(logFile, logStart) ?? endpoint
    const probe = options.port === 0 && endpoint.endsWith(':0') ? {kind: 'nothing' as const} : await probeEngine(endpoint, 2000)
    // Our own engine, alive but not answering yet (out of descriptors, say), looks foreign too: the
    // port is someone else's only once ours has exited (else its log says why it stopped, below).
    if (probe.kind === 'foreign' && exitCode !== undefined) throw new PortHeldError(endpoint)
    if (probe.kind === 'engine') {
      const winner = probe.pid
      // Two autostarts raced and the other engine won the port: ours would fail to bind — or, if it
      // is slow to start, take the port once the winner stops. Either way one engine is enough.
      if (winner !== undefined && winner !== child.pid && exitCode === undefined) child.kill('SIGTERM')
      return {pid: winner ?? child.pid ?? -1, endpoint}
    }
    if (exitCode !== undefined) {
      // Another engine may have won the race for the port: then that one answers.
      if (await isAnswering(endpoint)) return {pid: -1, endpoint}
      throw new LocalEngineUnreachableError(endpoint, `the engine exited (code ${exitCode}):\n${logTail(logFile, logStart)}`)
    }
    await new Promise((resolve) => setTimeout(resolve, POLL_INTERVAL_MS))
  }
  throw new LocalEngineUnreachableError(endpoint, `the engine did not answer within ${(options.timeoutMs ?? START_TIMEOUT_MS) / 1000} s; ` +
    `the end of ${logFile}:\n${logTail(logFile, logStart)}`)
}

function listeningEndpoint(file: string, from: number): string | undefined {
  try {
    return /engine listening on (http:\/\/\S+) /.exec(readFileSync(file).subarray(from).toString('utf8'))?.[1]
  } catch {
    return undefined
  }
}

function logTail(file: string, from: number): string {
  try {
    const text = readFileSync(file).subarray(from).toString('utf8').trim()
    return text.split('\n').slice(-20).join('\n')
  } catch {
    return `(no log at ${file})`
  }
}
