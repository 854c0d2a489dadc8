import {InvalidAction, MissingAction} from '../model/errors.js'
import {serviceSpecs, type OperationSpec, type ServiceSpec} from './operations.js'
import type {QueryParams} from './query-parser.js'

/**
 * Picks the operation a request names. `Version` selects the service (ELB 2012-06-01, IAM
 * 2010-05-08); without a Version the Action name decides, as the two services share no Action.
 */

function allServices(): readonly ServiceSpec[] {
  const {elb, iam} = serviceSpecs()
  return [elb, iam]
}

/** The service a Version names, if any: used to answer errors in that service's namespace. */
export function serviceForVersion(version: string | undefined): ServiceSpec | undefined {
  return allServices().find((service) => service.apiVersion === version)
}

export function resolveOperation(params: QueryParams): OperationSpec {
  const action = params.get('Action')
  if (action === undefined || action === '') throw new MissingAction('Missing Action')
  const version = params.get('Version')
  if (version !== undefined && version !== '') {
    const operation = serviceForVersion(version)?.operations.get(action)
    if (operation === undefined) throw new InvalidAction(`Could not find operation ${action} for version ${version}`)
    return operation
  }
  for (const service of allServices()) {
    const operation = service.operations.get(action)
    if (operation !== undefined) return operation
  }
  throw new InvalidAction(`Could not find operation ${action} for version NO_VERSION_SPECIFIED`)
}

/** Operations whose success changes state: the runtime must catch up before we answer. */
export function isWriteOperation(action: string): boolean {
  return !/^(Describe|Get|List)/.test(action)
}
