import {InvalidAction, MissingAction} from '../model/errors.js'
import type {OperationSpec} from './operations.js'
import type {QueryParams} from './query-parser.js'
import type {ApiService} from './service.js'

/**
 * Picks the operation a request names. `Version` selects the service (ELB 2012-06-01, IAM
 * 2010-05-08, and whatever else is registered); without a Version the Action name decides, as the
 * services share no Action.
 */

export interface ResolvedOperation {
  readonly service: ApiService
  readonly operation: OperationSpec
  /** The Version the request named, else the service's first. */
  readonly version: string
}

export class ServiceRegistry {
  private readonly byVersion = new Map<string, ApiService>()

  constructor(readonly services: readonly ApiService[]) {
    if (services.length === 0) throw new Error('the API needs at least one service')
    for (const service of services) {
      for (const version of service.versions) {
        const claimed = this.byVersion.get(version)
        if (claimed !== undefined) throw new Error(`API version ${version} is claimed by both ${claimed.name} and ${service.name}`)
        this.byVersion.set(version, service)
      }
    }
  }

  /** The service a Version names, if any. */
  serviceForVersion(version: string | undefined): ApiService | undefined {
    return version === undefined ? undefined : this.byVersion.get(version)
  }

  /** Who answers an error for these parameters: the Version's service, else the first (ELB). */
  errorService(params: QueryParams): ApiService {
    return this.serviceForVersion(params.get('Version')) ?? this.services[0] as ApiService
  }

  resolve(params: QueryParams): ResolvedOperation {
    const action = params.get('Action')
    if (action === undefined || action === '') throw new MissingAction('Missing Action')
    const version = params.get('Version')
    if (version !== undefined && version !== '') {
      const service = this.byVersion.get(version)
      const operation = service?.spec.operations.get(action)
      if (service === undefined || operation === undefined || service.supports?.(action, version) === false) {
        throw service?.unknownAction?.(action, version) ?? new InvalidAction(`Could not find operation ${action} for version ${version}`)
      }
      return {service, operation, version}
    }
    for (const service of this.services) {
      const operation = service.spec.operations.get(action)
      if (operation !== undefined) return {service, operation, version: service.versions[0] ?? ''}
    }
    throw new InvalidAction(`Could not find operation ${action} for version NO_VERSION_SPECIFIED`)
  }
}
