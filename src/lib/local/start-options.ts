/**
 * `elb-local start`'s options for CI and scripted use: `--ephemeral` (state in a temporary
 * directory the engine removes at stop), `--time-scale X` (real timers run X times as long; the
 * API's numbers are unchanged), `--dns-port P` (where the DNS responder answers) and `--platform` (the
 * account a new state is: a default VPC per Region, or EC2-Classic).
 */
import {mkdtempSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {LocalUsageError, type LocalContext, type LocalOption} from './command.js'

export const MIN_TIME_SCALE = 0.0001
export const MAX_TIME_SCALE = 1000

export const START_CI_OPTIONS: readonly LocalOption[] = [
  {name: 'ephemeral', type: 'boolean', description: 'keep the state in a new temporary directory, removed when the engine stops (CI)'},
  {name: 'time-scale', type: 'string', placeholder: 'X', env: 'ELB_LOCAL_TIME_SCALE',
    description: `multiply health-check intervals and timeouts, idle timeouts, draining and reaping by X (${MIN_TIME_SCALE} to ${MAX_TIME_SCALE}; ` +
      'default 1); the API still reports the configured seconds'},
  {name: 'dns-port', type: 'integer', placeholder: 'PORT', min: 0, max: 65535, env: 'ELB_LOCAL_DNS_PORT',
    description: 'port of the DNS responder (default 53 where it may bind it, else the API port + 1, else any free port)'},
  {name: 'platform', type: 'string', placeholder: 'vpc|ec2-classic', env: 'ELB_LOCAL_PLATFORM',
    description: 'the account a NEW state is: vpc (a default VPC in every Region, as every AWS account since 2013; the default) ' +
      'or ec2-classic (the 2011 world: no default VPC); an existing state keeps its own'},
]

export interface StartCiSettings {
  readonly ephemeral: boolean
  /** Arguments for the engine process (cli-entry.ts). */
  readonly args: readonly string[]
}

export function startCiSettings(context: LocalContext): StartCiSettings {
  const args: string[] = []
  const ephemeral = context.values.get('ephemeral') === true
  if (ephemeral) args.push('--ephemeral')
  const timeScale = context.values.get('time-scale')
  if (timeScale !== undefined) args.push('--time-scale', String(parseTimeScale(String(timeScale))))
  const dnsPort = context.values.get('dns-port')
  if (dnsPort !== undefined) args.push('--dns-port', String(dnsPort))
  const platform = context.values.get('platform')
  if (platform !== undefined) args.push('--platform', parsePlatform(String(platform)))
  return {ephemeral, args}
}

export function parsePlatform(text: string): 'vpc' | 'ec2-classic' {
  if (text !== 'vpc' && text !== 'ec2-classic') throw new LocalUsageError(`--platform takes vpc or ec2-classic, not '${text}'.`)
  return text
}

export function parseTimeScale(text: string): number {
  const value = /^\d+(\.\d+)?(e-?\d+)?$/i.test(text.trim()) ? Number(text) : Number.NaN
  if (!(value >= MIN_TIME_SCALE && value <= MAX_TIME_SCALE)) {
    throw new LocalUsageError(`--time-scale takes a number from ${MIN_TIME_SCALE} to ${MAX_TIME_SCALE}, not '${text}'.`)
  }
  return value
}

/** A new private directory for one engine's state (`--ephemeral`). */
export function ephemeralHome(): string {
  return mkdtempSync(join(tmpdir(), 'elb-local-ephemeral-'))
}
