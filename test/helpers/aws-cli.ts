import {spawnSync} from 'node:child_process'
import {existsSync, realpathSync} from 'node:fs'
import {delimiter, join} from 'node:path'
import {TEST_CREDENTIALS} from './engine.js'

/**
 * The two aws-cli generations, found unambiguously: a machine may have both (here, aws-cli v1 from
 * pip/pyenv first on PATH and Debian's `awscli` package, which is aws-cli v2, as /usr/bin/aws), and
 * they speak different wire protocols and print differently, so a test asks for the one it means by
 * `aws --version` (`aws-cli/1.…` or `aws-cli/2.…`), never by the bare name.
 */

export interface AwsCli {
  /** The absolute path to run, or undefined where this generation is absent. */
  readonly command: string | undefined
  /** `aws --version`'s first word, e.g. `aws-cli/2.9.19`. */
  readonly version: string | undefined
  readonly skipReason: string | undefined
}

/** `command --version`'s `aws-cli/X.Y.Z`, or undefined. aws-cli v1 before 1.17 (Python 2) printed it on stderr. */
function versionOf(command: string): string | undefined {
  const run = spawnSync(command, ['--version'], {encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], timeout: 20_000})
  return run.status === 0 ? /aws-cli\/[\d.]+/.exec(`${run.stdout}${run.stderr}`)?.[0] : undefined
}

/** `first`, then each `aws` on PATH, once per real file (/bin/aws and /usr/bin/aws are one on usrmerge). */
function candidates(first: readonly string[]): string[] {
  const onPath = (process.env.PATH ?? '').split(delimiter).filter((dir) => dir !== '').map((dir) => join(dir, 'aws'))
  const seen = new Set<string>()
  const found: string[] = []
  for (const path of [...first, ...onPath]) {
    if (!existsSync(path)) continue
    const real = realpathSync(path)
    if (seen.has(real)) continue
    seen.add(real)
    found.push(path)
  }
  return found
}

function find(major: 1 | 2, first: readonly string[], install: string): AwsCli {
  for (const command of candidates(first)) {
    const version = versionOf(command)
    if (version?.startsWith(`aws-cli/${String(major)}.`) === true) return {command, version, skipReason: undefined}
  }
  return {command: undefined, version: undefined, skipReason: `no aws-cli v${String(major)} on this machine (${install})`}
}

/** Either generation's environment for a test: the test credentials, no user configuration, one attempt, no pager (v2 pages through `less` otherwise). */
export const AWS_CLI_ENV = {
  AWS_ACCESS_KEY_ID: TEST_CREDENTIALS.accessKeyId, AWS_SECRET_ACCESS_KEY: TEST_CREDENTIALS.secretAccessKey,
  AWS_DEFAULT_REGION: 'us-east-1', AWS_CONFIG_FILE: '/dev/null', AWS_SHARED_CREDENTIALS_FILE: '/dev/null', AWS_MAX_ATTEMPTS: '1', AWS_PAGER: '',
}

let v1: AwsCli | undefined
let v2: AwsCli | undefined

/** aws-cli v1 (pip's `awscli`), the first `aws` on PATH that says `aws-cli/1.`. .ci/run does not install it: its tests skip there, saying so. */
export function findAwsCliV1(): AwsCli {
  v1 ??= find(1, [], 'pip install awscli')
  return v1
}

/**
 * aws-cli v2: Debian's `awscli` package (/usr/bin/aws), else an `aws` on PATH that says `aws-cli/2.`.
 * `.ci/run` installs it, so under CI (`CI=true`) its absence is a failure, not a skip.
 */
export function findAwsCliV2(): AwsCli {
  v2 ??= find(2, ['/usr/bin/aws'], 'apt-get install awscli')
  if (v2.command === undefined && process.env.CI === 'true') throw new Error(`${v2.skipReason ?? 'no aws-cli v2'}: .ci/run must install it`)
  return v2
}

/**
 * The `aws` first on PATH, whichever generation, for the tests any aws-cli serves (each passes
 * `--endpoint-url`, which both read). Locally that may be aws-cli v1; under CI it is Debian's v2.
 */
export function findAwsCliOnPath(): AwsCli {
  const command = candidates([])[0]
  const version = command === undefined ? undefined : versionOf(command)
  return version === undefined ? {command: undefined, version, skipReason: 'no aws-cli on PATH (apt-get install awscli)'} : {command, version, skipReason: undefined}
}

/** Whether this aws-cli reads AWS_ENDPOINT_URL (aws-cli 1.29 and 2.13 on; Debian's 2.9.19 does not, and would call AWS itself). */
export function readsEndpointUrlVariable(cli: AwsCli): boolean {
  const [major = 0, minor = 0] = /aws-cli\/(\d+)\.(\d+)/.exec(cli.version ?? '')?.slice(1).map(Number) ?? []
  return major === 1 ? minor >= 29 : major === 2 && minor >= 13
}

/**
 * A service error as either generation prints it: `An error occurred (CODE) when calling the OP
 * operation: MESSAGE…`; aws-cli v2 allowed one attempt (AWS_MAX_ATTEMPTS=1, its standard retry
 * mode) notes ` (reached max retries: 0)` after the operation.
 */
export function printedError(code: string, operation: string, message: string): RegExp {
  const literal = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
  return new RegExp(`An error occurred \\(${literal(code)}\\) when calling the ${literal(operation)} operation( \\(reached max retries: 0\\))?: ${literal(message)}`)
}

/** `test`, or `test.skip` with the reason printed once, for the aws-cli `cli` found. */
export function testWith(cli: AwsCli): typeof test {
  if (cli.skipReason === undefined) return test
  console.warn(`SKIPPING the aws-cli tests that need it: ${cli.skipReason}`)
  return test.skip
}
