import {ServiceError} from '../../model/errors.js'
import type {RequestContext} from '../../model/types.js'
import {InvalidAction} from '../../ec2/errors.js'
import type {QueryParams} from '../../ec2/params.js'
import type {Ec2Service} from '../../ec2/service.js'
import type {Wire} from '../../ec2/views.js'
import {EC2_API_VERSION, EC2_XML_NAMESPACE, serializeEc2Error, serializeEc2Result} from '../../ec2/xml.js'
import {lowerCamel, type OperationSpec, type ServiceSpec} from '../operations.js'
import type {ApiService} from '../service.js'

/**
 * EC2, API version 2016-11-15, for the engine's stand-in instances: the operation table is the
 * Ec2Service's own (EC2 reads its `Name.N` parameters itself, so the table carries no input shapes),
 * and EC2 answers in its own XML and error envelope.
 */

/** Actions whose success changes state: the runtime (demo back ends) catches up before the answer. */
export const EC2_WRITE_ACTIONS: ReadonlySet<string> = new Set(['RunInstances', 'StartInstances', 'StopInstances', 'TerminateInstances'])

interface Ec2Input {
  readonly params: QueryParams
}

export function ec2ApiService(ec2: Ec2Service): ApiService {
  const operations = ec2.operations()
  const spec: ServiceSpec = {
    key: 'ec2',
    apiVersion: EC2_API_VERSION,
    xmlNamespace: EC2_XML_NAMESPACE,
    operations: new Map([...operations.keys()].map((action): [string, OperationSpec] => [action, {
      service: 'ec2', action, method: lowerCamel(action), input: {kind: 'structure', members: new Map()}, outputMembers: [],
    }])),
  }
  return {
    name: 'ec2',
    versions: [EC2_API_VERSION],
    signingName: 'ec2',
    spec,
    decode: (_operation, params): Ec2Input => ({params}),
    invoke(operation: OperationSpec, ctx: RequestContext, input: object): Wire {
      const run = operations.get(operation.action)
      // Unreachable: the registry resolves only Actions of this table.
      if (run === undefined) throw new Error(`the ec2 service has no operation ${operation.action}`)
      return run(ctx, (input as Ec2Input).params)
    },
    isWrite: (action) => EC2_WRITE_ACTIONS.has(action),
    unknownAction: (action) => new InvalidAction(`The action ${action} is not valid for this web service.`),
    wire: {
      contentType: 'text/xml;charset=UTF-8',
      result: ({operation, requestId, result}) => serializeEc2Result(operation.action, requestId, result as Wire),
      // EC2 calls an internal fault InternalError.
      error: ({requestId, error}: {requestId: string; error: ServiceError}) =>
        serializeEc2Error(error.code === 'InternalFailure' ? 'InternalError' : error.code, error.message, requestId),
    },
  }
}
