import {ServiceError} from '../model/errors.js'
import type {RequestContext} from '../model/types.js'
import {InvalidAction} from './errors.js'
import type {QueryParams} from './params.js'
import type {Ec2Operation} from './service.js'
import {EC2_API_VERSION, serializeEc2Error, serializeEc2Result} from './xml.js'

/**
 * EC2 as one service of the engine's Query endpoint: which requests are EC2's, and the whole
 * answer (status + EC2 XML or EC2's error envelope) for one of them.
 */

/** Actions whose success changes state: the runtime (demo back ends) catches up before the answer. */
export const EC2_WRITE_ACTIONS: ReadonlySet<string> = new Set(['RunInstances', 'StartInstances', 'StopInstances', 'TerminateInstances'])

/** EC2's Version, or no Version and an Action only EC2 has (ELB, IAM and EC2 share no Action). */
export function isEc2Request(params: QueryParams, operations: ReadonlyMap<string, Ec2Operation>): boolean {
  const version = params.get('Version')
  if (version === EC2_API_VERSION) return true
  return (version === undefined || version === '') && operations.has(params.get('Action') ?? '')
}

export interface Ec2Answer {
  readonly status: number
  readonly body: string
  /** For the request log: the Action and, on failure, the error code. */
  readonly action: string
  readonly errorCode?: string
}

/**
 * Runs the operation. `internalError` turns anything that is not a ServiceError into the 500 the
 * engine answers for its own defects (and logs it); EC2 calls that code InternalError.
 */
export function answerEc2(
  operations: ReadonlyMap<string, Ec2Operation>,
  params: QueryParams,
  ctx: RequestContext,
  internalError: (error: unknown) => ServiceError,
): Ec2Answer {
  const action = params.get('Action') ?? ''
  try {
    const operation = operations.get(action)
    if (operation === undefined) throw new InvalidAction(`The action ${action === '' ? '(none)' : action} is not valid for this web service.`)
    return {status: 200, body: serializeEc2Result(action, ctx.requestId, operation(ctx, params)), action}
  } catch (caught) {
    const error = caught instanceof ServiceError ? caught : internalError(caught)
    const code = error.code === 'InternalFailure' ? 'InternalError' : error.code
    return {status: error.status, body: serializeEc2Error(code, error.message, ctx.requestId), action: action || '-', errorCode: code}
  }
}
