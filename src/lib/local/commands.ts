/** Every `elb-local` subcommand, in the order `elb-local --help` lists them. */
import type {LocalCommand} from './command.js'
import {ENGINE_COMMANDS} from './engine-commands.js'
import {INSTANCE_COMMANDS} from './instance-commands.js'
import {logs} from './logs-command.js'
import {reset} from './reset-command.js'

export const LOCAL_COMMANDS: readonly LocalCommand[] = [...ENGINE_COMMANDS, reset, logs, ...INSTANCE_COMMANDS]
