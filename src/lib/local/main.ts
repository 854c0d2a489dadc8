/**
 * `elb-local COMMAND …`: the engine's own commands, run by the same lean entry (and start-up
 * snapshot) as the `elb-*` commands. Subcommands are looked up in LOCAL_COMMANDS; help, version and
 * unknown names are answered here.
 */
import type {CliIo} from '../cli/io.js'
import {ALL_BINARIES} from '../cli/registry.js'
import {packageVersion} from '../cli/version.js'
import {
  EXIT_LOCAL_FAILURE, EXIT_LOCAL_OK, LocalCommandError, LocalUsageError, parseCommandLine, renderCommandHelp, usageLine,
  type LocalCommand,
} from './command.js'
import {LOCAL_COMMANDS} from './commands.js'
import {wrapText} from './table.js'

const HELP_WORDS = new Set(['--help', '-h', 'help'])

export async function runElbLocal(argv: readonly string[], io: CliIo): Promise<number> {
  const [name, ...rest] = argv
  if (name === undefined || HELP_WORDS.has(name)) {
    const topic = name === 'help' ? rest[0] : undefined
    const command = topic === undefined ? undefined : LOCAL_COMMANDS.find((candidate) => candidate.name === topic)
    if (topic !== undefined && command === undefined) return reportUnknown(topic, io)
    io.stdout(command === undefined ? renderTopHelp() : renderCommandHelp(command))
    return EXIT_LOCAL_OK
  }
  if (name === '--version' || name === '-v' || name === 'version') {
    io.stdout(`elb-local ${packageVersion()} (elb-tools; node ${process.version})\n`)
    return EXIT_LOCAL_OK
  }
  const command = LOCAL_COMMANDS.find((candidate) => candidate.name === name)
  if (command === undefined) return reportUnknown(name, io)
  if (rest.includes('--help') || rest.includes('-h')) {
    io.stdout(renderCommandHelp(command))
    return EXIT_LOCAL_OK
  }
  try {
    const parsed = parseCommandLine(command, rest, io.env)
    return await command.run({io, ...parsed})
  } catch (error) {
    return reportFailure(command, error, io)
  }
}

function reportFailure(command: LocalCommand, error: unknown, io: CliIo): number {
  if (error instanceof LocalUsageError) {
    io.stderr(`elb-local ${command.name}: ${error.message}\nUsage: ${usageLine(command)}\n`)
    return error.exitCode
  }
  if (error instanceof LocalCommandError) {
    io.stderr(`elb-local ${command.name}: ${error.message}\n`)
    return error.exitCode
  }
  // A bug, not a user error: one line, no stack (ELB_LOCAL_DEBUG=1 shows it).
  const detail = error instanceof Error ? (io.env['ELB_LOCAL_DEBUG'] === '1' ? error.stack ?? error.message : error.message) : String(error)
  io.stderr(`elb-local ${command.name}: unexpected failure: ${detail}\n`)
  return EXIT_LOCAL_FAILURE
}

function reportUnknown(name: string, io: CliIo): number {
  io.stderr(`elb-local: unknown command '${name}'. The commands are: ${LOCAL_COMMANDS.map((command) => command.name).join(', ')}.\n` +
    'Run `elb-local --help` for what each does.\n')
  return EXIT_LOCAL_FAILURE
}

export function renderTopHelp(): string {
  const width = Math.max(...LOCAL_COMMANDS.map((command) => command.name.length)) + 2
  const lines = [
    'Usage: elb-local COMMAND [OPTIONS]',
    '',
    'Run and inspect the local engine and its stand-in EC2 instances.',
    '',
    'Commands:',
    ...LOCAL_COMMANDS.map((command) => `  ${command.name.padEnd(width)}${command.summary}`),
    '',
    'Options:',
    `  ${'-h, --help'.padEnd(width)}this text; \`elb-local COMMAND --help\` for one command`,
    `  ${'-v, --version'.padEnd(width)}the version of elb-tools`,
    '',
    'Every command this package installs (`COMMAND --help` for each; `elb-cmd --help` lists the elb-* ones):',
    ...wrapText(ALL_BINARIES.join(' '), 100).split('\n').map((line) => `  ${line}`),
  ]
  return `${lines.join('\n')}\n`
}
