/**
 * Runs one legacy `elb-*` or `mon-*` command: parse → call → format, with every failure rendered as the
 * legacy tool did (`<cmd>:  <message>`, usage block, exit code).
 */
import {createCloudWatchClient, createElbClient} from '../client/clients.js'
import {resolveCredentials} from '../client/credentials.js'
import type {Exchange} from '../client/exchange.js'
import {WARNING_HEADER} from '../../engine/constants.js'
import {readTimeoutOf} from '../client/answers.js'
import {EndpointError} from '../client/endpoint.js'
import {classifyFailure, networkFailureMessage} from '../client/service-errors.js'
import {localEngineHint, resolveTarget, type Target} from '../client/target.js'
import type {ElbCall, ElbCommandSpec} from './command.js'
import {renderOutcome, renderXml} from './display.js'
import {
  EXIT_CLIENT_ERROR,
  EXIT_NETWORK_ERROR,
  EXIT_OK,
  EXIT_PROGRAM_ERROR,
  LegacyCliError,
  MalformedInputError,
  ServiceCallError,
  UserStoppedError,
} from './errors.js'
import type {DisplayMode, GeneralOptions} from './general-options.js'
import {loadHelp, renderHelp, renderUsage} from './help/index.js'
import type {CliIo} from './io.js'
import {checkRequired, parseCommandLine} from './parse/argv.js'
import type {ParsedCommandLine} from './spec.js'
import {wrapMessage} from './wrap.js'

const HELP_TOKENS = new Set(['--help', '-h', '-?'])

export async function runElbCommand(spec: ElbCommandSpec, argv: readonly string[], io: CliIo): Promise<number> {
  // Only a leading -h/--help/-? asks for help; later on the jar treats them as options.
  if (HELP_TOKENS.has(argv[0] ?? '')) {
    io.stdout(renderHelp(await loadHelp(spec.helpOf ?? spec.name)))
    return EXIT_OK
  }
  const exchange: Exchange = {}
  let general: GeneralOptions | undefined
  try {
    const parsed = parseCommandLine(spec, argv)
    checkRequired(spec, parsed)
    general = generalOptionsOf(parsed)
    const settings = connectionSettings(general, io, exchange, spec.service ?? 'elb')
    if (spec.confirmation !== undefined && !parsed.flags.has('force')) await confirm(spec, io)
    const once = <T>(make: () => Promise<T>): (() => Promise<T>) => {
      let made: Promise<T> | undefined
      return () => (made ??= prepareTarget(settings.target, io).then(make))
    }
    const call: ElbCall = {
      elb: once(() => createElbClient(settings)),
      cloudwatch: once(() => createCloudWatchClient(settings)),
    }
    let outcome
    try {
      outcome = await spec.run(parsed, call)
    } catch (error) {
      if (error instanceof LegacyCliError) throw error
      if (general.showRequest && exchange.requestUrl !== undefined) io.stderr(`${exchange.requestUrl}\n`)
      const failure = await classifyFailure(error, exchange, localEngineHint(settings.target, io.env))
      if (general.debug) io.stderr(debugReport(failure, exchange))
      if (general.display === 'xml' && exchange.body !== undefined && exchange.body !== '') {
        // With --show-xml a service error is its response body on stdout, nothing on stderr.
        io.stdout(`${renderXml(exchange, general.headers)}\n`)
        return failure.exitCode
      }
      throw failure
    }
    if (general.showRequest && general.display !== 'quiet' && exchange.requestUrl !== undefined) {
      io.stdout(`${exchange.requestUrl}\n\n`)
    }
    io.stdout(renderOutcome(outcome, general, exchange))
    // The local engine's word on what the write could not do (a listener that cannot bind): one
    // line on stderr, stdout and the exit code as the legacy tool's.
    const warning = exchange.headers?.[WARNING_HEADER]
    if (warning !== undefined) io.stderr(`Warning: ${warning}\n`)
    return EXIT_OK
  } catch (error) {
    return reportFailure(spec, error, io, general?.debug ?? argv.includes('--debug'))
  }
}

function generalOptionsOf(parsed: ParsedCommandLine): GeneralOptions {
  const value = (name: string): string | undefined => parsed.values.get(name)?.[0]
  const timeout = value('connection-timeout')
  // The jar dies on a non-numeric timeout with its generic "program error" and exit 99.
  if (timeout !== undefined && !/^\d+$/.test(timeout)) throw new ServiceCallError('program error', EXIT_PROGRAM_ERROR)
  return {
    display: displayModeOf(parsed.flags),
    headers: parsed.flags.has('headers'),
    delimiter: value('delimiter'),
    showEmptyFields: parsed.flags.has('show-empty-fields'),
    showRequest: parsed.flags.has('show-request'),
    debug: parsed.flags.has('debug'),
    connectionTimeoutSeconds: timeout === undefined ? undefined : Number(timeout),
    region: value('region'),
    url: value('url'),
    accessKeyId: value('access-key-id'),
    secretKey: value('secret-key'),
    credentialFile: value('aws-credential-file'),
  }
}

/** One display switch wins: table > long > xml > quiet, whatever the order given (legacy). */
function displayModeOf(flags: ReadonlySet<string>): DisplayMode {
  if (flags.has('show-table')) return 'table'
  if (flags.has('show-long')) return 'long'
  if (flags.has('show-xml')) return 'xml'
  if (flags.has('quiet')) return 'quiet'
  return 'table'
}

function connectionSettings(general: GeneralOptions, io: CliIo, exchange: Exchange, service: 'elb' | 'cloudwatch') {
  const target = resolveTarget({service, url: general.url, region: general.region, env: io.env})
  const credentials = resolveCredentials({
    accessKeyId: general.accessKeyId,
    secretKey: general.secretKey,
    credentialFile: general.credentialFile,
    env: io.env,
    target,
    readFile: io.readFile,
  })
  const readTimeout = readTimeoutOf(io.env, service)
  return {target, credentials, connectionTimeoutMs: (general.connectionTimeoutSeconds ?? 30) * 1000, readTimeout, exchange}
}

/** The local engine is found (or started) before the first request; other targets are left alone. */
export async function prepareTarget(target: Target, io: CliIo): Promise<void> {
  if (target.kind !== 'local') return
  const {ensureLocalEngine, LocalEngineUnreachableError, PortHeldError} = await import('../client/local-engine.js')
  try {
    await ensureLocalEngine(target.endpoint, {stderr: (text) => { io.stderr(text); }, env: io.env})
  } catch (error) {
    if (error instanceof PortHeldError) throw new ServiceCallError(error.message, EXIT_NETWORK_ERROR)
    if (error instanceof LocalEngineUnreachableError) {
      // Autostart is off (else the error says why the engine did not start): AWS's words, and what to do.
      const message = io.env['ELB_LOCAL_AUTOSTART'] === '0'
        ? `${networkFailureMessage('Connection refused')} ${localEngineHint(target, io.env) ?? ''}`
        : error.message
      throw new ServiceCallError(message, EXIT_NETWORK_ERROR)
    }
    throw error
  }
}

async function confirm(spec: ElbCommandSpec, io: CliIo): Promise<void> {
  io.stdout(spec.confirmation ?? '')
  const answer = await io.readLine()
  if (answer !== 'y' && answer !== 'Y' && answer !== 'yes') throw new UserStoppedError(spec.name)
}

async function reportFailure(spec: ElbCommandSpec, error: unknown, io: CliIo, debug: boolean): Promise<number> {
  const failure = error instanceof LegacyCliError
    ? error
    // A malformed -U/AWS_ELB_URL or AWS_ELB_READ_TIMEOUT: bad input, exit 1 as the README lists, one
    // sentence and no usage block (issue 21 #3; the jar's `program error` exit 99 is for its own faults).
    : new ServiceCallError(error instanceof EndpointError ? error.message : String(error), EXIT_CLIENT_ERROR)
  if (debug && !failure.debugReported) io.stderr(`Time: ${debugTimestamp(new Date())}\n${failure.message}\n\n`)
  const text = `${spec.name}:  ${wrapMessage(failure.message)}\n`
  if (failure instanceof MalformedInputError) {
    io.stderr(text + renderUsage(spec.name, await loadHelp(spec.helpOf ?? spec.name)))
  } else {
    io.stderr(`${text}\n`)
  }
  return failure.exitCode
}

/** `--debug` on a failed call: the request (credentials masked), the raw response, the status. */
function debugReport(failure: LegacyCliError, exchange: Exchange): string {
  const called = (exchange.requestUrl ?? '').replace(/(Credential|Signature|AWSAccessKeyId)=[^&]*/g, '$1=###')
  const lines = [`Time: ${debugTimestamp(new Date())}`, failure.message]
  if (exchange.statusCode !== undefined) {
    lines.push('Problem with service call:', 'Called:', called, 'Headers:', renderXml(exchange, true).split('\n\n\n')[0] ?? '', '')
    lines.push('Return:', exchange.body ?? '', '', `Code: ${exchange.statusCode}`, '')
  }
  failure.debugReported = true
  return `${lines.join('\n')}\n`
}

const debugTimestamp = (date: Date): string => date.toISOString().replace('T', ' ').slice(0, 19)
