/**
 * Every binary the package installs, derived from the command specs (specs/index.ts for elb-*,
 * iam/commands.ts for iam-*) plus the three that have no spec. `package.json` `bin`, the `bin/`
 * shims (`npm run gen:bin` writes both), the `elb-cmd` listing and the help index follow from
 * these names; test/unit/cli/registry.test.ts fails on any drift.
 */
import {ELB_COMMANDS} from './specs/index.js'

export const IAM_COMMAND_NAMES = [
  'iam-servercertupload',
  'iam-servercertlistbypath',
  'iam-servercertgetattributes',
  'iam-servercertdel',
  'iam-servercertmod',
] as const

export const ELB_COMMAND_NAMES: readonly string[] = Object.keys(ELB_COMMANDS)

/** Binaries without a spec of their own: the dispatcher, the version printer, the engine's commands. */
export const DISPATCHER = 'elb-cmd'
export const VERSION_COMMAND = 'elb-version'
export const LOCAL_COMMAND = 'elb-local'

/** Every binary name we install, sorted. */
export const ALL_BINARIES: readonly string[] =
  [...ELB_COMMAND_NAMES, DISPATCHER, VERSION_COMMAND, ...IAM_COMMAND_NAMES, LOCAL_COMMAND].sort()
