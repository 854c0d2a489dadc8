import {DryRunOperation} from '../errors.js'
import {optionalBoolean, type QueryParams} from '../params.js'

/** `DryRun=true`: the checks have passed, so answer as EC2 does instead of acting. */
export function dryRun(params: QueryParams): void {
  if (optionalBoolean(params, 'DryRun') === true) throw new DryRunOperation('Request would have succeeded, but DryRun flag is set.')
}
