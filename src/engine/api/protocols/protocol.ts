import {errorClass, ValidationError, type ServiceError} from '../../model/errors.js'
import type {ApiRequest} from '../context.js'
import type {OperationSpec} from '../operations.js'

/**
 * A wire protocol: how a request names its operation and carries its input, and how answers and
 * errors look. Chosen per request (detect); a service lists the protocols it speaks (its Smithy
 * protocol traits), so a new protocol is one more WireProtocol here and no service changes.
 *
 *   awsQuery    form-encoded `Action` + `Version`, XML answers (ELB, IAM; CloudWatch's oldest clients)
 *   ec2Query    the same requests, EC2's list encoding and XML (EC2)
 *   awsJson1_0  `X-Amz-Target: Service.Operation`, JSON (CloudWatch's newer SDKs)
 *   awsJson1_1  the same, `application/x-amz-json-1.1` (ACM)
 *   rpcv2Cbor   `POST /service/{Service}/operation/{Op}`, CBOR (CloudWatch in today's SDKs)
 */

export type ProtocolId = 'awsQuery' | 'ec2Query' | 'awsJson1_0' | 'awsJson1_1' | 'rpcv2Cbor'

/** Protocols that read the same requests share a family; the service then picks its member. */
export type ProtocolFamily = 'query' | 'awsJson1_0' | 'awsJson1_1' | 'rpcv2Cbor'

/** What a request names before any operation table is consulted. */
export type WireTarget =
  /** Query: the `Version` (which picks the service) and the `Action`, as sent (maybe absent). */
  | {readonly by: 'version'; readonly version: string | undefined; readonly action: string | undefined}
  /** JSON and CBOR: the Smithy service name (`GraniteServiceVersion20100801`) and the operation. */
  | {readonly by: 'service'; readonly service: string; readonly action: string}

/** An HTTP answer: status, headers (Content-Type included) and body. */
export interface WireAnswer {
  readonly status: number
  readonly headers: Readonly<Record<string, string>>
  readonly body: string | Uint8Array
}

/** The decoded input of an operation: checked against the table's input shape, which is the SDK's. */
export type DecodedInput = object

/** What a protocol needs of a service (the rest of it is the pipeline's business). */
export interface NamespacedService {
  /** The XML namespace of the service's answers for `version` (Query protocols). */
  xmlNamespace(version: string | undefined): string
  /**
   * Set for an `awsQueryCompatible` service (CloudWatch): the Smithy id of the error shape behind a
   * Query code (`InvalidParameterValue` → `com.amazonaws.cloudwatch#InvalidParameterValueException`).
   */
  readonly queryCompatibleErrors?: ReadonlyMap<string, string>
  /** The `__type` of a constraint violation (Query's ValidationError) in a JSON-only service's model: ACM's `ValidationException`. */
  readonly validationErrorType?: string
}

/**
 * A JSON/CBOR error's `__type` and extra headers. An awsQueryCompatible service names the error
 * shape and sends the Query code and fault in `x-amzn-query-error` (`Code;Sender`), which SDKs
 * read back as the error's Code.
 */
export function documentErrorType(service: NamespacedService | undefined, error: ServiceError): {type: string; headers: Record<string, string>} {
  const shapes = service?.queryCompatibleErrors
  if (shapes === undefined) {
    const renamed = error.code === ValidationError.code ? service?.validationErrorType : undefined
    return {type: renamed ?? error.code, headers: {}}
  }
  return {type: shapes.get(error.code) ?? error.code, headers: {'x-amzn-query-error': `${error.code};${error.type}`}}
}

export interface ResultToWrite {
  readonly service: NamespacedService
  readonly operation: OperationSpec
  readonly version: string
  readonly requestId: string
  readonly result: unknown
}

export interface ErrorToWrite {
  /** Undefined when the request named no service the engine has. */
  readonly service: NamespacedService | undefined
  /** The Version the request named, when the service speaks it. */
  readonly version: string | undefined
  readonly requestId: string
  readonly error: ServiceError
}

export interface WireProtocol {
  readonly id: ProtocolId
  readonly family: ProtocolFamily
  /** Whether a request is in this protocol's family, by its headers alone (Content-Type, markers). */
  detect(request: Pick<ApiRequest, 'headers'>): boolean
  /** The service and operation the request names; a malformed request is a ServiceError. */
  target(request: ApiRequest): WireTarget
  /** The error for a request naming a service or operation there is none of (in this protocol). */
  unknownOperation(message: string): ServiceError
  /** The operation's input from the request, checked against the operation's input shape. */
  decode(operation: OperationSpec, request: ApiRequest): DecodedInput
  writeResult(answer: ResultToWrite): WireAnswer
  writeError(answer: ErrorToWrite): WireAnswer
}

/**
 * A JSON or CBOR request for a service or operation the engine does not have, or for a service that
 * does not speak that protocol (ELB, IAM and EC2 speak only Query): Coral's answer to an unknown
 * `X-Amz-Target` (docs/decisions.md).
 */
export const UnknownOperationException = errorClass('UnknownOperationException')

/** The media type of a request, lower-cased, without parameters. */
export function mediaType(request: Pick<ApiRequest, 'headers'>): string {
  return (request.headers['content-type'] ?? '').split(';')[0]?.trim().toLowerCase() ?? ''
}
