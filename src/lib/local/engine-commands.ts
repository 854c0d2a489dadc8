/** `elb-local start | stop | status | hosts`: the engine process itself. */
import {spawn} from 'node:child_process'
import {readFileSync, rmSync} from 'node:fs'
import {join, resolve} from 'node:path'
import {privilegedPortWarning} from '../../engine/instances/privileges.js'
import {probeEngine} from '../client/engine-probe.js'
import {
  ACCOUNT_ID, accountIdProblem, DEFAULT_ENGINE_PORT, ENGINE_PID_FILE, endpointOf, engineEntryScript, engineHome, PortHeldError, startEngineInBackground,
} from '../client/local-engine.js'
import {JSON_OPTION, LocalCommandError, tableOptions, WIDE_OPTION, type LocalCommand, type LocalContext} from './command.js'
import {adminCall, localEndpoint, runningAdminClient} from './command-support.js'
import {AdminClient} from './admin-client.js'
import {formatStatus} from './format.js'
import {ephemeralHome, START_CI_OPTIONS, startCiSettings} from './start-options.js'
import {hosts} from './hosts-command.js'

const STOP_TIMEOUT_MS = 10_000

const start: LocalCommand = {
  name: 'start',
  summary: 'Start the local ELB engine (in the background unless --foreground).',
  description: 'State lives in ELB_LOCAL_HOME (default ~/.elb-local): state.json, engine.pid, engine.log. ' +
    'Without the privilege to bind ports below 1024, use --port-offset N: listeners and demo backends on such ports ' +
    'then use port+N (the API still shows the real ports).',
  options: [
    {name: 'foreground', type: 'boolean', description: 'run in this terminal until interrupted'},
    {name: 'host', type: 'string', placeholder: 'HOST', description: 'address the API listens on (loopback unless you ask otherwise)'},
    {name: 'port', type: 'integer', placeholder: 'PORT', min: 0, max: 65535, description: `API port (default from ELB_LOCAL_ENDPOINT, else ${DEFAULT_ENGINE_PORT})`},
    {name: 'port-offset', type: 'integer', placeholder: 'N', min: 0, max: 64511, env: 'ELB_LOCAL_PORT_OFFSET', description: 'bind ports below 1024 as port+N (no root needed)'},
    {name: 'credentials', type: 'string', placeholder: 'FILE', env: 'ELB_LOCAL_CREDENTIALS',
      description: 'verify request signatures against the access keys in FILE (~/.aws/credentials or legacy format); off by default'},
    ...START_CI_OPTIONS,
  ],
  examples: [
    'elb-local start', 'elb-local start --port-offset 8000', 'elb-local start --credentials ~/.aws/credentials',
    'elb-local start --ephemeral --time-scale 0.01',
  ],
  async run(context) {
    const accountId = context.io.env['ELB_LOCAL_ACCOUNT_ID']
    if (accountId !== undefined && accountId !== '' && !ACCOUNT_ID.test(accountId)) throw new LocalCommandError(accountIdProblem(accountId))
    const configured = new URL(localEndpoint(context.io))
    const hostFlag = context.values.get('host')
    const portFlag = context.values.get('port')
    const host = typeof hostFlag === 'string' ? hostFlag : configured.hostname.replace(/^\[(.*)\]$/, '$1')
    const port = typeof portFlag === 'number' ? portFlag : (configured.port === '' ? DEFAULT_ENGINE_PORT : Number(configured.port))
    const endpoint = endpointOf(host, port)
    const offsetFlag = context.values.get('port-offset')
    const portOffset = typeof offsetFlag === 'number' ? offsetFlag : undefined
    const ci = startCiSettings(context)
    const credentialsFlag = context.values.get('credentials')
    const credentials = typeof credentialsFlag === 'string' && credentialsFlag !== '' ? resolve(credentialsFlag) : undefined
    if (port !== 0) {
      const probe = await probeEngine(endpoint)
      if (probe.kind === 'engine') {
        if (ci.ephemeral) throw new LocalCommandError(`An engine is already running at ${endpoint}: stop it, or start the ephemeral one on another --port.`)
        context.io.stdout(`The local engine is already running at ${endpoint}.\n`)
        return 0
      }
      if (probe.kind === 'foreign') throw new LocalCommandError(new PortHeldError(endpoint).message)
    }
    const warning = privilegedPortWarning(portOffset ?? 0)
    if (warning !== undefined) context.io.stderr(`Warning: ${warning}\n`)
    const home = ci.ephemeral ? ephemeralHome() : engineHome(context.io.env)
    try {
      if (context.values.get('foreground') === true) return await runInForeground(home, host, port, portOffset, credentials, ci.args)
      const started = await startEngineInBackground({
        home, host, port, ...(portOffset === undefined ? {} : {portOffset}), extraArgs: ci.args,
        env: credentials === undefined ? context.io.env : {...context.io.env, ELB_LOCAL_CREDENTIALS: credentials},
      })
      const where = ci.ephemeral ? `state in ${home}, removed at stop` : `state in ${home}`
      context.io.stdout(`Local engine started at ${started.endpoint} (pid ${started.pid}, ${where}).\n`)
      return 0
    } catch (error) {
      // An ephemeral engine that never started leaves nothing behind either.
      if (ci.ephemeral) rmSync(home, {recursive: true, force: true})
      throw new LocalCommandError(error instanceof Error ? error.message : String(error))
    }
  },
}

function runInForeground(
  home: string, host: string, port: number, portOffset: number | undefined, credentials: string | undefined, extraArgs: readonly string[],
): Promise<number> {
  const args = [engineEntryScript(), '--home', home, '--host', host, '--port', String(port), ...extraArgs]
  if (portOffset !== undefined) args.push('--port-offset', String(portOffset))
  if (credentials !== undefined) args.push('--credentials', credentials)
  const child = spawn(process.execPath, args, {stdio: 'inherit'})
  const forward = (signal: NodeJS.Signals): void => { child.kill(signal) }
  process.on('SIGINT', forward)
  process.on('SIGTERM', forward)
  return new Promise((resolve) => {
    child.once('exit', (code) => {
      process.off('SIGINT', forward)
      process.off('SIGTERM', forward)
      resolve(code ?? 0)
    })
  })
}

const stop: LocalCommand = {
  name: 'stop',
  summary: 'Stop the local ELB engine (its state stays in ELB_LOCAL_HOME).',
  options: [],
  async run(context) {
    const endpoint = localEndpoint(context.io)
    const probe = await probeEngine(endpoint)
    if (probe.kind === 'nothing') {
      context.io.stdout(`The local engine is not running at ${endpoint}.\n`)
      return 0
    }
    if (probe.kind === 'foreign') throw new LocalCommandError(new PortHeldError(endpoint).message)
    try {
      await new AdminClient(endpoint, engineHome(context.io.env)).shutdown()
    } catch {
      // It went away meanwhile, or cannot answer: fall back to the pid file.
      signalFromPidFile(engineHome(context.io.env))
    }
    const deadline = Date.now() + STOP_TIMEOUT_MS
    while (Date.now() < deadline) {
      // Stopped means the process is gone (its pid file removed, its addresses free), not only the API.
      if ((await probeEngine(endpoint, 500)).kind !== 'engine' && !isAlive(probe.pid)) {
        context.io.stdout(`Local engine at ${endpoint} stopped.\n`)
        return 0
      }
      await new Promise((resolve) => setTimeout(resolve, 50))
    }
    throw new LocalCommandError(`The engine at ${endpoint} did not stop within ${STOP_TIMEOUT_MS / 1000} s.`)
  },
}

/** Whether a process with this pid still runs (unknown pid: assumed gone once the API is). */
function isAlive(pid: number | undefined): boolean {
  if (pid === undefined) return false
  try {
    process.kill(pid, 0)
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM'
  }
  // An exited engine whose parent has not reaped it yet (a zombie, state Z) has stopped.
  try {
    return !/^\d+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/stat`, 'utf8'))
  } catch {
    return true
  }
}

function signalFromPidFile(home: string): void {
  try {
    const pid = Number(readFileSync(join(home, ENGINE_PID_FILE), 'utf8').trim())
    if (Number.isInteger(pid) && pid > 0) process.kill(pid, 'SIGTERM')
  } catch {
    // nothing to signal
  }
}

const status: LocalCommand = {
  name: 'status',
  summary: 'Show the local engine: endpoint, pid, state dir, counts, load balancer addresses and listeners.',
  options: [WIDE_OPTION, JSON_OPTION],
  async run(context: LocalContext) {
    const client = await runningAdminClient(context.io)
    const answer = await adminCall(() => client.status())
    context.io.stdout(context.values.get('json') === true ? `${JSON.stringify(answer, null, 2)}\n` : `${formatStatus(answer, tableOptions(context))}\n`)
    return 0
  },
}

export const ENGINE_COMMANDS: readonly LocalCommand[] = [start, stop, status, hosts]
