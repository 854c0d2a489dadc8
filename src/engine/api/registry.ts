import {InvalidAction, MissingAction} from '../model/errors.js'
import type {OperationSpec} from './operations.js'
import {WIRE_PROTOCOLS} from './protocols/index.js'
import type {ProtocolFamily, WireProtocol, WireTarget} from './protocols/protocol.js'
import type {QueryParams} from './query-parser.js'
import type {ApiService} from './service.js'

/**
 * The wire services the engine answers, mounted by every name a request may address them by:
 * Query `Version` (ELB 2012-06-01, IAM 2010-05-08, EC2 2016-11-15), Smithy service name (JSON's
 * `X-Amz-Target`, RPC v2 CBOR's path), host (`{endpointPrefix}.{region}.amazonaws.com`) and SigV4
 * signing name. Picks the operation a request names and the protocol its service answers it in.
 */

/** How a request addresses a service besides its parameters: its Host header and SigV4 scope. */
export interface Addressed {
  readonly host?: string | undefined
  /** The signing name of the request's credential scope, if it is SigV4-signed. */
  readonly signingName?: string | undefined
}

export interface ResolvedOperation {
  readonly service: ApiService
  readonly operation: OperationSpec
  /** The Version the request named, else the service's first. */
  readonly version: string
}

const AWS_HOST = /^([a-z0-9-]+)\.([a-z0-9-]+)\.amazonaws\.com(?:\.cn)?\.?(?::\d+)?$/i

function claim(index: Map<string, ApiService>, key: string, service: ApiService, what: string): void {
  const claimed = index.get(key)
  if (claimed !== undefined) throw new Error(`${what} ${key} is claimed by both ${claimed.name} and ${service.name}`)
  index.set(key, service)
}

export class ServiceRegistry {
  private readonly byVersion = new Map<string, ApiService>()
  private readonly byShapeName = new Map<string, ApiService>()
  private readonly byEndpointPrefix = new Map<string, ApiService>()
  private readonly bySigningName = new Map<string, ApiService>()

  constructor(readonly services: readonly ApiService[]) {
    if (services.length === 0) throw new Error('the API needs at least one service')
    for (const service of services) {
      for (const version of service.versions) claim(this.byVersion, version, service, 'API version')
      claim(this.byShapeName, service.shapeName, service, 'Service name')
      claim(this.byEndpointPrefix, service.endpointPrefix.toLowerCase(), service, 'Endpoint prefix')
      claim(this.bySigningName, service.signingName, service, 'Signing name')
    }
  }

  /** The service a Version names, if any. */
  serviceForVersion(version: string | undefined): ApiService | undefined {
    return version === undefined ? undefined : this.byVersion.get(version)
  }

  /** The service an AWS host name addresses (`ec2.eu-west-1.amazonaws.com`), if any. */
  serviceForHost(host: string | undefined): ApiService | undefined {
    const prefix = AWS_HOST.exec(host ?? '')?.[1]
    return prefix === undefined ? undefined : this.byEndpointPrefix.get(prefix.toLowerCase())
  }

  /** The region an AWS host name of a mounted service names (`elasticloadbalancing.us-west-2.amazonaws.com`). */
  regionOfHost(host: string | undefined): string | undefined {
    const match = AWS_HOST.exec(host ?? '')
    return match?.[1] !== undefined && this.byEndpointPrefix.has(match[1].toLowerCase()) ? match[2]?.toLowerCase() : undefined
  }

  /** Who answers a Query error for these parameters: the Version's service, else the first (ELB). */
  errorService(params: QueryParams): ApiService {
    return this.serviceForVersion(params.get('Version')) ?? this.services[0] as ApiService
  }

  /**
   * The operation a Query request names by `Version` and `Action`; without a Version, the service
   * its host or its signing name addresses decides, else the Action alone.
   */
  resolve(params: QueryParams, addressed: Addressed = {}): ResolvedOperation {
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
    // The services share Action names (DescribeTags): the one the request addresses decides.
    const addressedService = this.serviceForHost(addressed.host) ??
      (addressed.signingName === undefined ? undefined : this.bySigningName.get(addressed.signingName))
    for (const service of addressedService === undefined ? this.services : [addressedService, ...this.services]) {
      const operation = service.spec.operations.get(action)
      if (operation !== undefined) return {service, operation, version: service.versions[0] ?? ''}
    }
    throw new InvalidAction(`Could not find operation ${action} for version NO_VERSION_SPECIFIED`)
  }

  /** The operation a request names in `reader`'s terms (Version + Action, or service + operation). */
  resolveTarget(target: WireTarget, reader: WireProtocol, params: QueryParams, addressed: Addressed = {}): ResolvedOperation {
    if (target.by === 'version') return this.resolve(params, addressed)
    const service = this.byShapeName.get(target.service)
    const operation = service?.spec.operations.get(target.action)
    if (service === undefined || operation === undefined) {
      throw reader.unknownOperation(`No operation ${target.action} of a service ${target.service} here.`)
    }
    return {service, operation, version: service.versions[0] ?? service.spec.apiVersion}
  }

  /** The protocol of `family` that `service` speaks, if it speaks one. */
  static protocolOf(service: ApiService, family: ProtocolFamily): WireProtocol | undefined {
    return service.protocols.map((id) => WIRE_PROTOCOLS[id]).find((protocol) => protocol.family === family)
  }
}
