import {cbor, dateToTag} from '@smithy/core/cbor'
import {decodeDocument, resultDocument, SerializationException, withDates} from '../decode-document.js'
import {errorClass} from '../../model/errors.js'
import {documentErrorType, type WireProtocol} from './protocol.js'

/**
 * Smithy RPC v2 CBOR (`smithy.protocols#rpcv2Cbor`): `POST {prefix}/service/{Service}/operation/{Op}`
 * with `smithy-protocol: rpc-v2-cbor` and a CBOR body (`application/cbor`); answers carry the same
 * header, timestamps as CBOR tag 1 (epoch seconds); an error's body names its code in `__type`.
 * The codec is @smithy/core's, the one the AWS SDK for JavaScript itself uses.
 */

const PROTOCOL_HEADER = 'rpc-v2-cbor'
const CONTENT_TYPE = 'application/cbor'
const ROUTE = /\/service\/([^/]+)\/operation\/([^/]+)$/

/** A route naming no service or operation the engine has: 404, as the protocol specifies. */
const UnknownOperation = errorClass('UnknownOperationException', 404)

function parseCbor(body: Buffer): unknown {
  if (body.length === 0) return {}
  try {
    return cbor.deserialize(body) as unknown
  } catch {
    // Truncated input, an unsupported item, or nesting deep enough to exhaust the stack.
    throw new SerializationException('The request body is not valid CBOR.')
  }
}

function answer(status: number, requestId: string, document: unknown, extra: Record<string, string> = {}) {
  return {
    status,
    headers: {'Content-Type': CONTENT_TYPE, 'smithy-protocol': PROTOCOL_HEADER, 'x-amzn-RequestId': requestId, ...extra},
    body: cbor.serialize(document),
  }
}

export const rpcv2Cbor: WireProtocol = {
  id: 'rpcv2Cbor',
  family: 'rpcv2Cbor',
  detect: (request) => request.headers['smithy-protocol'] === PROTOCOL_HEADER,
  target(request) {
    const match = request.method === 'POST' ? ROUTE.exec(request.path) : null
    const service = match?.[1]
    const action = match?.[2]
    if (service === undefined || action === undefined) {
      throw new UnknownOperation('An RPC v2 CBOR request is a POST to /service/{ServiceName}/operation/{OperationName}.')
    }
    return {by: 'service', service, action}
  },
  unknownOperation: (message) => new UnknownOperation(message),
  decode: (operation, request) => decodeDocument(operation, parseCbor(request.rawBody)),
  writeResult: ({operation, requestId, result}) => answer(200, requestId, withDates(resultDocument(operation, result), dateToTag)),
  writeError: ({service, requestId, error}) => {
    const {type, headers} = documentErrorType(service, error)
    return answer(error.status, requestId, {__type: type, message: error.message}, headers)
  },
}
