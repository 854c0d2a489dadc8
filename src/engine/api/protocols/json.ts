import {decodeDocument, resultDocument, SerializationException, withDates} from '../decode-document.js'
import {documentErrorType, mediaType, UnknownOperationException, type ProtocolId, type WireProtocol} from './protocol.js'

/**
 * AWS JSON 1.0 and 1.1 (`aws.protocols#awsJson1_0`/`awsJson1_1`): `POST /` with
 * `Content-Type: application/x-amz-json-1.x` and `X-Amz-Target: {Service}.{Operation}`, the input
 * as a JSON object; answers are JSON, timestamps as epoch seconds; an error is
 * `{"__type": Code, "message": …}` with its code in the `x-amzn-ErrorType` header too. The two
 * versions differ only in their media type (CloudWatch's newer SDKs speak 1.0; ACM 1.1).
 */

function parseJson(body: Buffer): unknown {
  if (body.length === 0) return {}
  try {
    return JSON.parse(body.toString('utf8')) as unknown
  } catch {
    throw new SerializationException('The request body is not valid JSON.')
  }
}

function awsJson(id: Extract<ProtocolId, 'awsJson1_0' | 'awsJson1_1'>, contentType: string): WireProtocol {
  const answer = (status: number, requestId: string, document: unknown, extra: Record<string, string> = {}) => ({
    status, headers: {'Content-Type': contentType, 'x-amzn-RequestId': requestId, ...extra}, body: JSON.stringify(document),
  })
  return {
    id,
    family: id,
    detect: (request) => mediaType(request) === contentType,
    target(request) {
      const header = request.headers['x-amz-target']
      const target = Array.isArray(header) ? header[0] : header
      const dot = target?.lastIndexOf('.') ?? -1
      if (target === undefined || dot <= 0 || dot === target.length - 1) {
        throw new UnknownOperationException('The X-Amz-Target header must name {Service}.{Operation}.')
      }
      return {by: 'service', service: target.slice(0, dot), action: target.slice(dot + 1)}
    },
    unknownOperation: (message) => new UnknownOperationException(message),
    decode: (operation, request) => decodeDocument(operation, parseJson(request.rawBody)),
    writeResult: ({operation, requestId, result}) => answer(200, requestId, withDates(resultDocument(operation, result), (date) => date.getTime() / 1000)),
    writeError: ({service, requestId, error}) => {
      const {type, headers} = documentErrorType(service, error)
      return answer(error.status, requestId, {__type: type, message: error.message}, {'x-amzn-ErrorType': type, ...headers})
    },
  }
}

export const awsJson1_0 = awsJson('awsJson1_0', 'application/x-amz-json-1.0')
export const awsJson1_1 = awsJson('awsJson1_1', 'application/x-amz-json-1.1')
