/**
 * Runs the engine in the foreground: `node dist/engine/cli-entry.js --home DIR [--host H]
 * [--port P] [--port-offset N] [--time-scale X] [--dns-port P] [--ephemeral] [--platform vpc|ec2-classic] [--credentials FILE] [--background]`. `--credentials` (or
 * ELB_LOCAL_CREDENTIALS) turns on signature verification. Writes `engine.pid` once it listens and appends its
 * log to `engine.log` in the home directory (also to stderr unless --background, where the parent
 * already sends our stdout/stderr to that file). SIGTERM/SIGINT or the admin shutdown stop it.
 * Exit codes: 0 stopped, 1 cannot listen or other failure, 2 unreadable state file, 64 bad usage.
 */
import {mkdirSync, openSync, readFileSync, rmSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'
import {parseArgs} from 'node:util'
import {ENGINE_LOG_FILE, ENGINE_PID_FILE} from './constants.js'
import {ACCOUNT_ID, accountIdProblem, engineHome} from './home.js'
import {readCredentialsFile, type AccessKeys} from './api/signature/credentials-file.js'
import {AccountIdMismatchError, DEFAULT_PORT, PlatformMismatchError, startEngine, type Engine} from './main.js'
import {StateFileError} from './model/store.js'
import {privilegedPortWarning} from './instances/privileges.js'
import {escapeLogText} from './log-escape.js'
import {LogWriter} from './log-writer.js'

function parseNumber(name: string, text: string | undefined, fallback: number, min: number, max: number): number {
  if (text === undefined || text === '') return fallback
  const value = Number(text)
  if (!Number.isFinite(value) || value < min || value > max) {
    process.stderr.write(`elb-local engine: invalid ${name} '${text}' (expected a number from ${min} to ${max})\n`)
    process.exit(64)
  }
  return value
}

async function main(): Promise<void> {
  let values
  try {
    values = parseArgs({
      options: {
        home: {type: 'string'},
        host: {type: 'string'},
        port: {type: 'string'},
        'port-offset': {type: 'string'},
        'time-scale': {type: 'string'},
        region: {type: 'string'},
        credentials: {type: 'string'},
        background: {type: 'boolean'},
        'dns-port': {type: 'string'},
        ephemeral: {type: 'boolean'},
        platform: {type: 'string'},
      },
    }).values
  } catch (error) {
    process.stderr.write(`elb-local engine: ${error instanceof Error ? error.message : String(error)}\n`)
    process.exit(64)
  }
  const home = values.home ?? engineHome()
  const port = parseNumber('port', values.port, DEFAULT_PORT, 0, 65535)
  const portOffset = parseNumber('port offset', values['port-offset'] ?? process.env.ELB_LOCAL_PORT_OFFSET, 0, 0, 64511)
  const timeScale = parseNumber('time scale', values['time-scale'] ?? process.env.ELB_LOCAL_TIME_SCALE, 1, 0.0001, 1000)
  const background = values.background === true
  // Caps on load-balancer client connections; by default they follow the descriptor limit.
  const maxConnections = process.env.ELB_LOCAL_MAX_CONNECTIONS
  const maxPerListener = process.env.ELB_LOCAL_MAX_CONNECTIONS_PER_LISTENER
  const connectionLimits = {
    ...(maxConnections === undefined || maxConnections === '' ? {} : {engine: parseNumber('ELB_LOCAL_MAX_CONNECTIONS', maxConnections, 0, 1, 1_000_000)}),
    ...(maxPerListener === undefined || maxPerListener === '' ? {} : {perListener: parseNumber('ELB_LOCAL_MAX_CONNECTIONS_PER_LISTENER', maxPerListener, 0, 1, 1_000_000)}),
  }
  const dnsPort = values['dns-port'] ?? process.env.ELB_LOCAL_DNS_PORT
  const dnsPorts = dnsPort === undefined || dnsPort === '' ? defaultDnsPorts(port) : [parseNumber('DNS port', dnsPort, 0, 0, 65535)]
  const ephemeral = values.ephemeral === true
  const platform = values.platform
  if (platform !== undefined && platform !== 'vpc' && platform !== 'ec2-classic') {
    process.stderr.write(`elb-local engine: invalid platform '${platform}' (expected vpc or ec2-classic)\n`)
    process.exit(64)
  }
  const accountId = process.env.ELB_LOCAL_ACCOUNT_ID
  if (accountId !== undefined && accountId !== '' && !ACCOUNT_ID.test(accountId)) {
    process.stderr.write(`elb-local engine: ${accountIdProblem(accountId)}\n`)
    process.exit(64)
  }
  // Signature verification is off unless a credentials file is named.
  const credentialsFile = values.credentials ?? process.env.ELB_LOCAL_CREDENTIALS
  let credentials: AccessKeys | undefined
  if (credentialsFile !== undefined && credentialsFile !== '') {
    try {
      credentials = readCredentialsFile(credentialsFile)
    } catch (error) {
      process.stderr.write(`elb-local engine: ${error instanceof Error ? error.message : String(error)}\n`)
      process.exit(64)
    }
  }
  mkdirSync(home, {recursive: true, mode: 0o700})
  const pidFile = join(home, ENGINE_PID_FILE)
  // In the background our stdout is engine.log already (the parent opened it). One descriptor held
  // open, written synchronously, never throwing: a full disk drops lines, it does not stop the engine.
  const logFile = openLogFile(join(home, ENGINE_LOG_FILE), background)
  const log = (line: string) => {
    const stamped = `${new Date().toISOString()} ${escapeLogText(line)}\n`
    logFile.write(stamped)
    if (!background) process.stderr.write(stamped)
  }

  let engine: Engine
  let stopping = false
  const stop = (reason: string) => {
    if (stopping) return
    stopping = true
    log(`stopping (${reason})`)
    void engine.close().finally(() => {
      removePidFile(pidFile)
      // --ephemeral: the whole state directory goes (its log included).
      if (ephemeral) rmSync(home, {recursive: true, force: true})
      process.exit(0)
    })
  }
  try {
    engine = await startEngine({
      home, port, portOffset, timeScale, log, connectionLimits, dns: {ports: dnsPorts}, ephemeral,
      ...(values.host === undefined ? {} : {host: values.host}),
      ...(values.region === undefined ? {} : {defaultRegion: values.region}),
      ...(platform === undefined ? {} : {platform}),
      ...(credentials === undefined ? {} : {credentials}),
      // ELB_LOCAL_STRICT_HEALTHY_THRESHOLD=1: new instances need HealthyThreshold passes too.
      ...(process.env.ELB_LOCAL_STRICT_HEALTHY_THRESHOLD === '1' ? {firstSuccessEnough: false} : {}),
      // Test aid: parallel engines on one machine each take their own 127.0.N.x instance network.
      ...(process.env.ELB_LOCAL_INSTANCE_NETWORK === undefined ? {} : {instanceNetwork: process.env.ELB_LOCAL_INSTANCE_NETWORK}),
      ...(process.env.ELB_LOCAL_LB_NETWORK === undefined ? {} : {loadBalancerNetwork: process.env.ELB_LOCAL_LB_NETWORK}),
      onShutdown: () => { stop('shutdown requested'); },
      onListening: () => { writePidFile(pidFile, log); },
      ...(accountId === undefined || accountId === '' ? {} : {accountId}),
    })
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error)
    log(`ERROR ${message}`)
    process.exit(error instanceof StateFileError || error instanceof AccountIdMismatchError || error instanceof PlatformMismatchError ? 2 : 1)
  }
  const warning = privilegedPortWarning(portOffset)
  if (warning !== undefined) log(`WARN ${warning}`)
  process.on('SIGTERM', () => { stop('SIGTERM'); })
  process.on('SIGINT', () => { stop('SIGINT'); })
}

/**
 * The DNS responder's port unless --dns-port (or ELB_LOCAL_DNS_PORT) names one: 53 where the engine
 * may bind it, else the API port + 1, else any free port (`elb-local status` shows which).
 */
function defaultDnsPorts(apiPort: number): number[] {
  return apiPort > 0 && apiPort < 65535 ? [53, apiPort + 1, 0] : [53, 0]
}

function openLogFile(file: string, background: boolean): LogWriter {
  if (background) return new LogWriter(1)
  try {
    return new LogWriter(openSync(file, 'a', 0o600))
  } catch (error) {
    process.stderr.write(`elb-local engine: cannot open ${file} (${error instanceof Error ? error.message : String(error)}); logging to stderr only\n`)
    return new LogWriter(-1)
  }
}

/** `elb-local stop` falls back to it when the API does not answer; an engine that cannot write it still serves. */
function writePidFile(pidFile: string, log: (line: string) => void): void {
  try {
    writeFileSync(pidFile, `${process.pid}\n`, {mode: 0o600})
  } catch (error) {
    log(`WARN cannot write ${pidFile} (${error instanceof Error ? error.message : String(error)}); \`elb-local stop\` still works through the API`)
  }
}

/** Only remove the pid file if it is still ours (a newer engine may have replaced it). */
function removePidFile(pidFile: string): void {
  try {
    if (readFileSync(pidFile, 'utf8').trim() === String(process.pid)) rmSync(pidFile)
  } catch {
    // already gone
  }
}

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true'
void main()
