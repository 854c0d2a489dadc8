import {escapeXml, writeMembers, type XmlStyle} from '../../wire/xml.js'
import {InvalidAction} from '../../model/errors.js'
import {decodeInput} from '../decode.js'
import type {ErrorToWrite, ResultToWrite, WireAnswer, WireProtocol} from './protocol.js'

/**
 * The Query family: a form body (or query string) with `Action` and `Version`, answered in XML.
 * awsQuery (ELB, IAM) and ec2Query (EC2) read the same requests; they differ in the list encoding
 * (`Name.member.N` vs `Name.N`) and in their answers' envelopes. It is the fallback family: a
 * request that is neither JSON nor CBOR is read as Query, as AWS's Query endpoints read it.
 */

const AWS_QUERY_STYLE: XmlStyle = {indent: '  ', listItem: 'member', emptyTextSelfCloses: false}
const EC2_QUERY_STYLE: XmlStyle = {indent: '    ', listItem: 'item', emptyTextSelfCloses: true}

function xmlAnswer(status: number, requestId: string, contentType: string, body: string): WireAnswer {
  return {status, headers: {'Content-Type': contentType, 'x-amzn-RequestId': requestId}, body}
}

const queryFamily = {
  family: 'query',
  detect: () => true,
  target: (request) => ({by: 'version', version: request.params.get('Version'), action: request.params.get('Action')}),
  unknownOperation: (message) => new InvalidAction(message),
} as const satisfies Pick<WireProtocol, 'family' | 'detect' | 'target' | 'unknownOperation'>

export interface QueryResultEnvelope {
  readonly action: string
  readonly namespace: string
  readonly requestId: string
  /** `{Action}Result`; when absent (IAM operations without output) no result element is written. */
  readonly resultWrapper?: string
  /** The members the model declares; anything else on the result object is not serialized. */
  readonly outputMembers: readonly string[]
  readonly result: unknown
}

/** `<{Action}Response>` with its result wrapper and ResponseMetadata, as ELB and IAM answer. */
export function serializeResult(envelope: QueryResultEnvelope): string {
  const {action, namespace, requestId, resultWrapper, outputMembers, result} = envelope
  const pad = AWS_QUERY_STYLE.indent
  // No XML declaration: AWS's ELB and IAM answers start at the root element (docs/decisions.md).
  const out = [`<${action}Response xmlns="${namespace}">`]
  if (resultWrapper !== undefined) {
    const record = result !== null && typeof result === 'object' ? result as Record<string, unknown> : {}
    const members: string[] = []
    writeMembers(record, 2, members, AWS_QUERY_STYLE, outputMembers)
    if (members.length === 0) out.push(`${pad}<${resultWrapper}/>`)
    else out.push(`${pad}<${resultWrapper}>`, ...members, `${pad}</${resultWrapper}>`)
  }
  out.push(`${pad}<ResponseMetadata>`, `${pad}${pad}<RequestId>${escapeXml(requestId)}</RequestId>`, `${pad}</ResponseMetadata>`, `</${action}Response>`)
  return out.join('\n') + '\n'
}

export interface QueryErrorEnvelope {
  readonly namespace: string
  readonly requestId: string
  readonly type: string
  readonly code: string
  readonly message: string
}

export function serializeError({namespace, requestId, type, code, message}: QueryErrorEnvelope): string {
  const pad = AWS_QUERY_STYLE.indent
  return [
    `<ErrorResponse xmlns="${namespace}">`,
    `${pad}<Error>`,
    `${pad}${pad}<Type>${escapeXml(type)}</Type>`,
    `${pad}${pad}<Code>${escapeXml(code)}</Code>`,
    `${pad}${pad}<Message>${escapeXml(message)}</Message>`,
    `${pad}</Error>`,
    `${pad}<RequestId>${escapeXml(requestId)}</RequestId>`,
    '</ErrorResponse>',
  ].join('\n') + '\n'
}

/** AWS Query (ELB, IAM): `{Action}Response` / `ErrorResponse` in the namespace of the request's Version. */
export const awsQuery: WireProtocol = {
  id: 'awsQuery',
  ...queryFamily,
  decode: (operation, request) => decodeInput(operation, request.params),
  writeResult: ({service, operation, version, requestId, result}: ResultToWrite) => xmlAnswer(200, requestId, 'text/xml', serializeResult({
    action: operation.action,
    namespace: service.xmlNamespace(version),
    requestId,
    outputMembers: operation.outputMembers,
    result,
    ...(operation.resultWrapper === undefined ? {} : {resultWrapper: operation.resultWrapper}),
  })),
  writeError: ({service, version, requestId, error}: ErrorToWrite) => xmlAnswer(error.status, requestId, 'text/xml', serializeError({
    namespace: service?.xmlNamespace(version) ?? '', requestId, type: error.type, code: error.code, message: error.message,
  })),
}

const EC2_CONTENT_TYPE = 'text/xml;charset=UTF-8'

/**
 * EC2 Query (2016-11-15): `<ActionResponse xmlns=…><requestId>…</requestId>…`, lists as `<item>`s,
 * and its own error envelope: `<Response><Errors><Error><Code/><Message/></Error></Errors><RequestID/></Response>`.
 * EC2 reads its `Name.N` lists itself (ec2/params.ts), so its input is the parameters as sent.
 */
export const ec2Query: WireProtocol = {
  id: 'ec2Query',
  ...queryFamily,
  decode: (_operation, request) => request.params,
  writeResult({service, operation, version, requestId, result}) {
    const out = ['<?xml version="1.0" encoding="UTF-8"?>', `<${operation.action}Response xmlns="${service.xmlNamespace(version)}">`]
    out.push(`${EC2_QUERY_STYLE.indent}<requestId>${escapeXml(requestId)}</requestId>`)
    writeMembers(result as Record<string, unknown>, 1, out, EC2_QUERY_STYLE)
    out.push(`</${operation.action}Response>`)
    return xmlAnswer(200, requestId, EC2_CONTENT_TYPE, out.join('\n') + '\n')
  },
  writeError({requestId, error}) {
    // EC2 calls an internal fault InternalError.
    const code = error.code === 'InternalFailure' ? 'InternalError' : error.code
    return xmlAnswer(error.status, requestId, EC2_CONTENT_TYPE, '<?xml version="1.0" encoding="UTF-8"?>\n' +
      `<Response><Errors><Error><Code>${escapeXml(code)}</Code><Message>${escapeXml(error.message)}</Message></Error></Errors>` +
      `<RequestID>${escapeXml(requestId)}</RequestID></Response>\n`)
  },
}
