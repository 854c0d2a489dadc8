import {loadData} from '../../../common/data.js'
import type {
  AcmService, ArnInput, ImportCertificateInput, RequestCertificateInput, TagsInput,
} from '../../acm/service.js'
import {SerializationException} from '../decode-document.js'
import {SENSITIVE_VALUE, Violations} from '../decode.js'
import {buildService, type ServiceSpec, type WireService} from '../operations.js'
import {defineService, type ApiService, type DecodedInput, type DispatchMap} from '../service.js'

/**
 * AWS Certificate Manager, API version 2015-12-08 (`acm`), spoken in AWS JSON 1.1 only
 * (`X-Amz-Target: CertificateManager.{Operation}`): its table (data/acm-operations.json) and the
 * AcmService method each operation calls.
 */

export const ACM_ACTIONS = [
  'AddTagsToCertificate', 'DeleteCertificate', 'DescribeCertificate', 'GetCertificate', 'ImportCertificate',
  'ListCertificates', 'ListTagsForCertificate', 'RemoveTagsFromCertificate', 'RequestCertificate',
] as const

export type AcmAction = typeof ACM_ACTIONS[number]

export type AcmImplementation = Pick<AcmService, Uncapitalize<AcmAction>>

/** ImportCertificate's blobs and their byte limits (the model's; the table cannot state a blob's, so they are checked here). */
const BLOBS = {Certificate: 32_768, PrivateKey: 5_120, CertificateChain: 2_097_152} as const

const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/

/** A JSON blob member: base64 text → the PEM text it carries. */
function blobText(member: keyof typeof BLOBS, value: unknown, violations: Violations): string | undefined {
  if (value === undefined) return undefined
  // The table types the member a string, so the decoder has already refused anything else.
  const text = typeof value === 'string' ? value : ''
  if (text.length % 4 !== 0 || !BASE64.test(text)) throw new SerializationException(`Expected base64 data at '${member.charAt(0).toLowerCase()}${member.slice(1)}'`)
  const bytes = Buffer.from(text, 'base64')
  // The private key's value is never echoed (the model marks it sensitive).
  if (bytes.length > BLOBS[member]) {
    violations.add(member === 'PrivateKey' ? SENSITIVE_VALUE : `'${text.slice(0, 16)}…'`, member.charAt(0).toLowerCase() + member.slice(1),
      `have length less than or equal to ${BLOBS[member]}`)
  }
  return bytes.toString('utf8')
}

function importInput(input: DecodedInput): ImportCertificateInput {
  const raw = input as Record<string, unknown>
  const violations = new Violations()
  const certificate = blobText('Certificate', raw.Certificate, violations) ?? ''
  const privateKey = blobText('PrivateKey', raw.PrivateKey, violations) ?? ''
  const chain = blobText('CertificateChain', raw.CertificateChain, violations)
  const error = violations.error()
  if (error !== undefined) throw error
  return {
    ...(raw as Partial<ImportCertificateInput>),
    Certificate: certificate, PrivateKey: privateKey,
    ...(chain === undefined ? {} : {CertificateChain: chain}),
  }
}

export const ACM_DISPATCH = {
  AddTagsToCertificate: (acm, ctx, input) => acm.addTagsToCertificate(ctx, input as TagsInput),
  DeleteCertificate: (acm, ctx, input) => acm.deleteCertificate(ctx, input as ArnInput),
  DescribeCertificate: (acm, ctx, input) => acm.describeCertificate(ctx, input as ArnInput),
  GetCertificate: (acm, ctx, input) => acm.getCertificate(ctx, input as ArnInput),
  ImportCertificate: (acm, ctx, input) => acm.importCertificate(ctx, importInput(input)),
  ListCertificates: (acm, ctx, input) => acm.listCertificates(ctx, input),
  ListTagsForCertificate: (acm, ctx, input) => acm.listTagsForCertificate(ctx, input as ArnInput),
  RemoveTagsFromCertificate: (acm, ctx, input) => acm.removeTagsFromCertificate(ctx, input as TagsInput),
  RequestCertificate: (acm, ctx, input) => acm.requestCertificate(ctx, input as unknown as RequestCertificateInput),
} satisfies DispatchMap<AcmAction, AcmImplementation>

export const ACM_VERSION = '2015-12-08'

let spec: ServiceSpec | undefined

/** ACM's operation table, built once from its data file. */
export function acmSpec(): ServiceSpec {
  return spec ??= buildService('acm', loadData<WireService>('acm-operations.json'))
}

export function acmService(implementation: AcmImplementation): ApiService {
  const table = acmSpec()
  return defineService({
    name: 'acm',
    versions: [ACM_VERSION],
    signingName: 'acm',
    endpointPrefix: 'acm',
    shapeName: 'CertificateManager',
    protocols: ['awsJson1_1'],
    spec: table,
    xmlNamespace: () => table.xmlNamespace,
    validationErrorType: 'ValidationException',
    actions: ACM_ACTIONS,
    dispatch: ACM_DISPATCH,
    implementation,
  })
}
