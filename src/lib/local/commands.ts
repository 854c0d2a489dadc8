/** Every `elb-local` subcommand, in the order `elb-local --help` lists them. */
import {ca} from './ca-command.js'
import type {LocalCommand} from './command.js'
import {CONSOLE_COMMANDS} from './console-commands.js'
import {ENGINE_COMMANDS} from './engine-commands.js'
import {fault} from './fault-command.js'
import {INSTANCE_COMMANDS} from './instance-commands.js'
import {logs} from './logs-command.js'
import {reset} from './reset-command.js'
import {wait} from './wait-command.js'

export const LOCAL_COMMANDS: readonly LocalCommand[] = [...ENGINE_COMMANDS, wait, ...CONSOLE_COMMANDS, reset, logs, ...INSTANCE_COMMANDS, fault, ca]
