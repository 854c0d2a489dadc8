/**
 * Where a command sends its requests — one pure rule, documented in the README:
 * 1. `-U/--url` or `AWS_ELB_URL` (`--url`/`AWS_IAM_URL` for IAM) wins;
 * 2. else `ELB_TARGET=aws`: real AWS in the region from `--region`, `EC2_REGION`, `AWS_REGION`,
 *    `AWS_DEFAULT_REGION`, else us-east-1;
 * 3. else the local engine at `http://127.0.0.1:8773` (override `ELB_LOCAL_ENDPOINT`).
 */

import {DEFAULT_ENGINE_PORT} from '../../engine/constants.js'

export type Service = 'elb' | 'iam'

export type Env = Readonly<Record<string, string | undefined>>

export const DEFAULT_LOCAL_ENDPOINT = `http://127.0.0.1:${DEFAULT_ENGINE_PORT}`
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

export function resolveTarget(input: TargetInput): Target {
  const {env} = input
  const explicitRegion = nonEmpty(input.region) ?? nonEmpty(env['EC2_REGION'])
  const url = nonEmpty(input.url) ?? nonEmpty(input.service === 'elb' ? env['AWS_ELB_URL'] : env['AWS_IAM_URL'])
  const signingRegion = explicitRegion ?? nonEmpty(env['AWS_REGION']) ?? nonEmpty(env['AWS_DEFAULT_REGION']) ?? DEFAULT_REGION
  if (url !== undefined) return {kind: 'explicit', endpoint: url, region: signingRegion}
  if (env['ELB_TARGET'] === 'aws') return {kind: 'aws', region: signingRegion}
  return {kind: 'local', endpoint: nonEmpty(env['ELB_LOCAL_ENDPOINT']) ?? DEFAULT_LOCAL_ENDPOINT, region: signingRegion}
}
