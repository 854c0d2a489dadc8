/**
 * Every way a legacy command can fail, as classes carrying the legacy exit code (AWS CLI
 * `constants.py` style). The runner renders them; nothing else decides an exit code.
 */

export const EXIT_OK = 0
export const EXIT_CLIENT_ERROR = 1
export const EXIT_USER_STOPPED = 2
export const EXIT_SERVICE_ERROR = 30
export const EXIT_NETWORK_ERROR = 31
export const EXIT_REFUSED = 32
/** The jar's catch-all (`program error`), e.g. for a non-numeric `--connection-timeout`. */
export const EXIT_PROGRAM_ERROR = 99

export abstract class LegacyCliError extends Error {
  abstract readonly exitCode: number
  /** Set once `--debug` has printed the details of the failed call. */
  debugReported = false
}

/** Bad input caught on the client or a 400 from the service: `Malformed input-…` plus usage. */
export class MalformedInputError extends LegacyCliError {
  readonly exitCode = EXIT_CLIENT_ERROR
  constructor(readonly detail: string) {
    super(`Malformed input-${detail}`)
  }
}

/** Errors printed as `<cmd>:  <text>` followed by an empty line, no usage block. */
export class ServiceCallError extends LegacyCliError {
  constructor(
    message: string,
    readonly exitCode: number,
  ) {
    super(message)
  }
}

/** The `[Ny]` delete prompt was declined. */
export class UserStoppedError extends LegacyCliError {
  readonly exitCode = EXIT_USER_STOPPED
  constructor(command: string) {
    super(`User stopped the execution of ${command}.`)
  }
}

/** `elb-cmd bogus`: printed without the command-name prefix. */
export class UnknownCommandError extends LegacyCliError {
  readonly exitCode = EXIT_CLIENT_ERROR
  constructor(command: string) {
    super(`Malformed input-Unknown command: '${command}'. Use '--help' to see a list of valid commands.`)
  }
}

/**
 * The endpoint answered, but not as the API does (an HTML page, a gzip body, 1 GiB, XML nested
 * without end): the server's fault, so exit 30 like HTTP 5xx, and no usage block blaming the input.
 */
export class BadAnswerError extends ServiceCallError {
  constructor(endpoint: string, api: string, detail: string) {
    super(`The endpoint ${endpoint} answered with something that is not an ${api} API response (${detail}).`, EXIT_SERVICE_ERROR)
  }
}

/** Connected, then nothing arrived for the read timeout (aws-cli's "Read timeout on endpoint URL"). */
export class ReadTimeoutError extends ServiceCallError {
  constructor(endpoint: string, seconds: number, variable: string) {
    super(`Read timeout on endpoint URL ${endpoint}: no answer within ${seconds} s. Set ${variable}=<SECONDS> for a longer limit.`,
      EXIT_NETWORK_ERROR)
  }
}
