/**
 * Where a command sends its requests — one pure rule, documented in the README:
 * 1. `-U/--url` or `AWS_ELB_URL` (`--url`/`AWS_IAM_URL` for IAM, `-U/--url`/`AWS_CLOUDWATCH_URL` for
 *    the `mon-*` commands) wins;
 * 2. else `ELB_TARGET=aws`: real AWS in the region from `--region`, `EC2_REGION`, `AWS_REGION`,
 *    `AWS_DEFAULT_REGION`, else us-east-1;
 * 3. else the local engine at `http://127.0.0.1:8773` (override `ELB_LOCAL_ENDPOINT`).
 * IAM and CloudWatch commands without their own URL follow an `AWS_ELB_URL` on loopback (a local
 * engine serves every API; real AWS is never on loopback), so they never split the state.
 * Every URL is checked first: a mistake is one sentence (EndpointError), not `Invalid URL`.
 */
import {checkEndpoint, isLoopbackHost} from './endpoint.js'
import {isKnownRegion} from '../../common/regions.js'
import {DEFAULT_ENGINE_ENDPOINT} from '../../engine/constants.js'
import {MalformedInputError} from '../cli/errors.js'

export type Service = 'elb' | 'iam' | 'cloudwatch'

/** The environment variable naming each service's endpoint (legacy `AWS_<SERVICE>_URL`). */
const URL_VARIABLES: Readonly<Record<Service, string>> = {elb: 'AWS_ELB_URL', iam: 'AWS_IAM_URL', cloudwatch: 'AWS_CLOUDWATCH_URL'}

export type Env = Readonly<Record<string, string | undefined>>

export const DEFAULT_REGION = 'us-east-1'

export type Target =
  | {readonly kind: 'explicit'; readonly endpoint: string; readonly region: string}
  | {readonly kind: 'aws'; readonly region: string}
  | {readonly kind: 'local'; readonly endpoint: string; readonly region: string}

export interface TargetInput {
  readonly service: Service
  readonly url: string | undefined
  readonly region: string | undefined
  readonly env: Env
}

const nonEmpty = (value: string | undefined): string | undefined => (value === undefined || value === '' ? undefined : value)

/**
 * Refuses, before anything is signed, a name that is not an AWS Region (data/aws-regions.json, the
 * engine's list): `mars-1` and `us-east-9` alike get one sentence, not a signing error (issue 9 #12)
 * or the service's "Credential should be scoped to a valid region" blamed on the credentials (issue 21).
 */
export function resolveTarget(input: TargetInput): Target {
  const target = targetFor(input)
  if (!isKnownRegion(target.region)) {
    throw new MalformedInputError(`Invalid region: '${target.region}' is not an AWS Region name (such as us-east-1 or eu-west-1)`)
  }
  return target
}

function targetFor(input: TargetInput): Target {
  const {env} = input
  const explicitRegion = nonEmpty(input.region) ?? nonEmpty(env['EC2_REGION'])
  const signingRegion = explicitRegion ?? nonEmpty(env['AWS_REGION']) ?? nonEmpty(env['AWS_DEFAULT_REGION']) ?? DEFAULT_REGION
  const url = explicitUrl(input)
  if (url !== undefined) return {kind: 'explicit', endpoint: url, region: signingRegion}
  if (env['ELB_TARGET'] === 'aws') return {kind: 'aws', region: signingRegion}
  const local = nonEmpty(env['ELB_LOCAL_ENDPOINT'])
  return {kind: 'local', endpoint: local === undefined ? DEFAULT_ENGINE_ENDPOINT : checkEndpoint(local, 'ELB_LOCAL_ENDPOINT'), region: signingRegion}
}

function explicitUrl(input: TargetInput): string | undefined {
  const {env} = input
  const given = nonEmpty(input.url)
  if (given !== undefined) return checkEndpoint(given, input.service === 'iam' ? '--url' : '-U/--url')
  const own = URL_VARIABLES[input.service]
  const fromEnv = nonEmpty(env[own])
  if (fromEnv !== undefined) return checkEndpoint(fromEnv, own)
  const elbUrl = nonEmpty(env['AWS_ELB_URL'])
  if (input.service !== 'elb' && elbUrl !== undefined) {
    const endpoint = checkEndpoint(elbUrl, 'AWS_ELB_URL')
    if (isLoopbackHost(new URL(endpoint).hostname)) return endpoint
  }
  return undefined
}

/**
 * Nothing listens at a loopback endpoint: that is a local engine not running (real AWS is never on
 * loopback), wherever the endpoint came from; says how to start one there.
 */
export function localEngineHint(target: Target, env: Env): string | undefined {
  if (target.kind === 'aws') return undefined
  const url = new URL(target.endpoint)
  if (url.protocol !== 'http:' || !isLoopbackHost(url.hostname)) return undefined
  let configured: string | undefined
  try {
    configured = new URL(nonEmpty(env['ELB_LOCAL_ENDPOINT']) ?? DEFAULT_ENGINE_ENDPOINT).origin
  } catch {
    configured = undefined
  }
  const start = url.origin === configured ? 'elb-local start' : `ELB_LOCAL_ENDPOINT=${url.origin} elb-local start`
  return `No local engine answers at ${url.origin}: start it with \`${start}\`.`
}
