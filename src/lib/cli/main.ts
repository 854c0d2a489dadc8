/**
 * The one entry point behind every `bin/<name>` shim: loads only the one command's module (and the
 * AWS SDK only when a request is made). `elb-local` goes to src/lib/local/main.ts.
 */
import {readFileSync} from 'node:fs'
import type {ElbCommandSpec} from './command.js'
import {renderCommandListing, renderMonCommandListing} from './dispatch.js'
import {EXIT_OK, UnknownCommandError} from './errors.js'
import {loadHelp, renderHelp} from './help/index.js'
import type {CliIo} from './io.js'
import {DISPATCHER, ELB_COMMAND_NAMES, LOCAL_COMMAND, MON_DISPATCHER, MON_VERSION_COMMAND, VERSION_COMMAND} from './registry.js'
import {ELB_COMMANDS} from './specs/index.js'
import {MON_VERSION_TEXT, VERSION_TEXT} from './version.js'
import {wrapMessage} from './wrap.js'

export async function loadElbCommand(name: string): Promise<ElbCommandSpec | undefined> {
  const load = ELB_COMMANDS[name]
  return load === undefined ? undefined : (await load()).command
}

/** Every spec of one tool (`elb-` or `mon-`, for its listing); one after the other, as jest's ESM loader needs. */
export async function loadElbCommands(prefix = 'elb-'): Promise<ElbCommandSpec[]> {
  const specs: ElbCommandSpec[] = []
  for (const name of ELB_COMMAND_NAMES.filter((command) => command.startsWith(prefix))) {
    const spec = await loadElbCommand(name)
    if (spec !== undefined) specs.push(spec)
  }
  return specs
}

/** Runs the legacy binary `name` with `argv`; resolves to the exit code. */
export async function runLegacyBinary(name: string, argv: readonly string[], io: CliIo = processIo()): Promise<number> {
  if (name === DISPATCHER) return runDispatcher(argv, io)
  if (name === VERSION_COMMAND) return runVersion(argv, io)
  if (name === MON_DISPATCHER) return runMonDispatcher(argv, io)
  if (name === MON_VERSION_COMMAND) return runVersion(argv, io, MON_VERSION_COMMAND, MON_VERSION_TEXT)
  if (name === LOCAL_COMMAND) return runLocal(argv, io)
  if (name.startsWith('iam-')) {
    const [{IAM_COMMANDS}, {runIamCommand}] = await Promise.all([import('./iam/commands.js'), import('./iam/runner.js')])
    const spec = IAM_COMMANDS[name]
    if (spec !== undefined) return runIamCommand(spec, argv, io)
  }
  const spec = await loadElbCommand(name)
  if (spec === undefined) return reportUnknownCommand(name, io)
  const {runElbCommand} = await import('./runner.js')
  return runElbCommand(spec, argv, io)
}

async function runDispatcher(argv: readonly string[], io: CliIo): Promise<number> {
  const [command, ...rest] = argv
  if (command === undefined || command === '--help' || command === '-h' || command === 'help') {
    io.stdout(renderCommandListing(await loadElbCommands()))
    return EXIT_OK
  }
  if (command === 'version') return runVersion(rest, io)
  if (command === LOCAL_COMMAND) return runLocal(rest, io)
  if (!command.startsWith('elb-') || !(command in ELB_COMMANDS)) return reportUnknownCommand(command, io)
  return runLegacyBinary(command, rest, io)
}

/** `mon-cmd`: the CloudWatch CLI's listing, `mon-cmd version`, or `mon-cmd mon-get-stats …`. */
async function runMonDispatcher(argv: readonly string[], io: CliIo): Promise<number> {
  const [command, ...rest] = argv
  if (command === undefined || command === '--help' || command === '-h' || command === 'help') {
    io.stdout(renderMonCommandListing(await loadElbCommands('mon-'), MON_VERSION_COMMAND))
    return EXIT_OK
  }
  if (command === 'version' || command === MON_VERSION_COMMAND) return runVersion(rest, io, MON_VERSION_COMMAND, MON_VERSION_TEXT)
  if (!command.startsWith('mon-') || !(command in ELB_COMMANDS)) return reportUnknownCommand(command, io)
  return runLegacyBinary(command, rest, io)
}

/** `elb-local …` / `elb-cmd elb-local …`: the engine's commands (src/lib/local/). */
async function runLocal(argv: readonly string[], io: CliIo): Promise<number> {
  const {runElbLocal} = await import('../local/main.js')
  return runElbLocal(argv, io)
}

async function runVersion(argv: readonly string[], io: CliIo, name = VERSION_COMMAND, text = VERSION_TEXT): Promise<number> {
  if (argv.includes('--help') || argv.includes('-h')) {
    io.stdout(renderHelp(await loadHelp(name)))
  } else {
    io.stdout(text)
  }
  return EXIT_OK
}

function reportUnknownCommand(command: string, io: CliIo): number {
  const error = new UnknownCommandError(command)
  io.stderr(` ${wrapMessage(error.message)}\n\n`)
  return error.exitCode
}

/** The real process: environment, streams, stdin for the `[Ny]` prompt, files for credentials. */
export function processIo(): CliIo {
  return {
    env: process.env,
    stdout: (text) => process.stdout.write(text),
    stderr: (text) => process.stderr.write(text),
    readLine: readStdinLine,
    readFile: (path) => {
      try {
        return readFileSync(path, 'utf8')
      } catch {
        return undefined
      }
    },
  }
}

function readStdinLine(): Promise<string | undefined> {
  return new Promise((resolve) => {
    let buffered = ''
    const finish = (line: string | undefined): void => {
      process.stdin.off('data', onData)
      process.stdin.off('end', onEnd)
      process.stdin.pause()
      resolve(line)
    }
    const onData = (chunk: string): void => {
      buffered += chunk
      const newline = buffered.indexOf('\n')
      if (newline >= 0) finish(buffered.slice(0, newline).replace(/\r$/, ''))
    }
    const onEnd = (): void => { finish(buffered === '' ? undefined : buffered); }
    process.stdin.setEncoding('utf8')
    process.stdin.on('data', onData)
    process.stdin.on('end', onEnd)
  })
}
