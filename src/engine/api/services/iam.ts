import type {
  DeleteServerCertificateRequest,
  GetServerCertificateRequest,
  ListServerCertificateTagsRequest,
  TagServerCertificateRequest,
  UntagServerCertificateRequest,
  UpdateServerCertificateRequest,
  UploadServerCertificateRequest,
} from '@aws-sdk/client-iam'
import type {IamService} from '../../model/iam-service.js'
import {serviceSpecs} from '../operations.js'
import {defineService, type ApiService, type DispatchMap} from '../service.js'

/** IAM, API version 2010-05-08: the server-certificate Actions and the IamService method each calls. */

export const IAM_ACTIONS = [
  'DeleteServerCertificate', 'GetServerCertificate', 'ListServerCertificateTags', 'ListServerCertificates',
  'TagServerCertificate', 'UntagServerCertificate', 'UpdateServerCertificate', 'UploadServerCertificate',
] as const

export type IamAction = typeof IAM_ACTIONS[number]

export type IamImplementation = Pick<IamService, Uncapitalize<IamAction>>

export const IAM_DISPATCH = {
  DeleteServerCertificate: (iam, ctx, input) => iam.deleteServerCertificate(ctx, input as DeleteServerCertificateRequest),
  GetServerCertificate: (iam, ctx, input) => iam.getServerCertificate(ctx, input as GetServerCertificateRequest),
  ListServerCertificateTags: (iam, ctx, input) => iam.listServerCertificateTags(ctx, input as ListServerCertificateTagsRequest),
  ListServerCertificates: (iam, ctx, input) => iam.listServerCertificates(ctx, input),
  TagServerCertificate: (iam, ctx, input) => iam.tagServerCertificate(ctx, input as TagServerCertificateRequest),
  UntagServerCertificate: (iam, ctx, input) => iam.untagServerCertificate(ctx, input as UntagServerCertificateRequest),
  UpdateServerCertificate: (iam, ctx, input) => iam.updateServerCertificate(ctx, input as UpdateServerCertificateRequest),
  UploadServerCertificate: (iam, ctx, input) => iam.uploadServerCertificate(ctx, input as UploadServerCertificateRequest),
} satisfies DispatchMap<IamAction, IamImplementation>

export const IAM_VERSION = '2010-05-08'

export function iamService(implementation: IamImplementation): ApiService {
  const spec = serviceSpecs().iam
  return defineService({
    name: 'iam',
    versions: [IAM_VERSION],
    signingName: 'iam',
    // IAM is global (`iam.amazonaws.com`): no regional host names it.
    endpointPrefix: 'iam',
    shapeName: 'AWSIdentityManagementV20100508',
    protocols: ['awsQuery'],
    spec,
    xmlNamespace: () => spec.xmlNamespace,
    actions: IAM_ACTIONS,
    dispatch: IAM_DISPATCH,
    implementation,
  })
}
