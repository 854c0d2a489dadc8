/**
 * What the engine and `elb-local` both read from the environment before anything starts: the home
 * directory and the account id of a new state. Here, below both, so the engine never imports
 * the CLI's client code (src/lib).
 */
import {homedir} from 'node:os'
import {join} from 'node:path'

/** ELB_LOCAL_ACCOUNT_ID: an AWS account id is 12 digits. */
export const ACCOUNT_ID = /^\d{12}$/

export function accountIdProblem(value: string): string {
  return `ELB_LOCAL_ACCOUNT_ID must be 12 digits (an AWS account id such as 123456789012), not '${value}'.`
}

/** The engine's home directory: `ELB_LOCAL_HOME`, else `~/.elb-local`. */
export function engineHome(env: NodeJS.ProcessEnv = process.env): string {
  const home = env.ELB_LOCAL_HOME
  return home !== undefined && home !== '' ? home : join(homedir(), '.elb-local')
}
