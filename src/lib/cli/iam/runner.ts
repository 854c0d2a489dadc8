/** Runs one `iam-servercert*` command: args4j-style parsing, one IAM call, bare-line output. */
import type {IAM} from '@aws-sdk/client-iam'
import {createIamClient} from '../../client/clients.js'
import {resolveCredentials} from '../../client/credentials.js'
import type {Exchange} from '../../client/exchange.js'
import {classifyFailure, wireCodeOf} from '../../client/service-errors.js'
import {localEngineHint, resolveTarget} from '../../client/target.js'
import {readTimeoutOf} from '../../client/answers.js'
import {BadAnswerError, EXIT_CLIENT_ERROR, EXIT_NETWORK_ERROR, EXIT_OK, LegacyCliError} from '../errors.js'
import type {CliIo} from '../io.js'
import {prepareTarget} from '../runner.js'
import type {IamCommandSpec} from './commands.js'
import {IamUsageError, parseIamCommandLine, renderIamHelp} from './syntax.js'

export class PemFileError extends Error {}

export async function runIamCommand(spec: IamCommandSpec, argv: readonly string[], io: CliIo): Promise<number> {
  const exchange: Exchange = {}
  try {
    const args = parseIamCommandLine(spec, argv)
    if (args.switches.has('-h')) {
      io.stdout(renderIamHelp(spec))
      return EXIT_OK
    }
    const target = resolveTarget({service: 'iam', url: args.values.get('--url'), region: undefined, env: io.env})
    const credentials = resolveCredentials({
      accessKeyId: undefined,
      secretKey: undefined,
      credentialFile: args.values.get('--aws-credential-file'),
      env: io.env,
      target,
      readFile: io.readFile,
    })
    const readTimeout = readTimeoutOf(io.env, 'iam')
    let client: Promise<IAM> | undefined
    const iam = (): Promise<IAM> => {
      client ??= prepareTarget(target, io).then(() => createIamClient({target, credentials, connectionTimeoutMs: 30_000, readTimeout, exchange}))
      return client
    }
    // `-b/-k/-c` name PEM files (IAM CLI); PEM text itself (the seed's wording) is taken as is.
    const readPem = (value: string): string => {
      if (value.startsWith('-----BEGIN')) return value
      const text = io.readFile(value)
      if (text === undefined) throw new PemFileError(`File not found: ${value}`)
      return text
    }
    let output: string
    try {
      output = await spec.run(args, iam, readPem)
    } catch (error) {
      if (error instanceof PemFileError || error instanceof LegacyCliError) throw error
      throw new IamServiceError(error, await classifyFailure(error, exchange, localEngineHint(target, io.env)))
    }
    io.stdout(output)
    return EXIT_OK
  } catch (error) {
    if (error instanceof IamUsageError) {
      io.stderr(`${error.message}\n${renderIamHelp(spec)}`)
      return EXIT_CLIENT_ERROR
    }
    if (error instanceof IamServiceError) {
      io.stderr(`${error.message}\n`)
      return error.exitCode
    }
    if (error instanceof LegacyCliError) {
      io.stderr(`${spec.name}:  ${error.message}\n`)
      return error.exitCode
    }
    io.stderr(`${spec.name}:  ${error instanceof Error ? error.message : String(error)}\n`)
    return EXIT_CLIENT_ERROR
  }
}

/** A failed IAM call, printed as `<Code>: <Message>` (network failures in the legacy wording). */
class IamServiceError extends Error {
  readonly exitCode: number
  constructor(error: unknown, legacy: LegacyCliError) {
    const failure = (typeof error === 'object' && error !== null ? error : {}) as {name?: string; message?: string}
    super(
      legacy.exitCode === EXIT_NETWORK_ERROR || legacy instanceof BadAnswerError ? legacy.message : `${wireCodeOf(failure.name ?? 'Unknown')}: ${failure.message ?? ''}`,
    )
    this.exitCode = legacy.exitCode
  }
}
