import {errorClass} from '../model/errors.js'

/** ACM's error shapes (botocore acm/2015-12-08 service-2.json); every one is a 400. */
export const ValidationException = errorClass('ValidationException')
export const InvalidParameterException = errorClass('InvalidParameterException')
export const InvalidArnException = errorClass('InvalidArnException')
export const ResourceNotFoundException = errorClass('ResourceNotFoundException')
export const ResourceInUseException = errorClass('ResourceInUseException')
export const InvalidTagException = errorClass('InvalidTagException')
export const TooManyTagsException = errorClass('TooManyTagsException')
export const LimitExceededException = errorClass('LimitExceededException')
export const InvalidArgsException = errorClass('InvalidArgsException')
export const RequestInProgressException = errorClass('RequestInProgressException')

export const ACM_MESSAGES = {
  notFound: (arn: string) => `Could not find certificate ${arn}.`,
  inUse: (arn: string, accountId: string) => `Certificate ${arn} in account ${accountId} is in use.`,
  badArn: (arn: string) => `String '${arn}' is not a valid ARN.`,
  otherRegion: (arn: string, region: string) => `The certificate ${arn} is not in the region of this request (${region}).`,
  certificateParse: 'The certificate is not PEM-encoded or is not valid.',
  moreThanOne: 'The certificate field contains more than one certificate. You can specify only one certificate in this field.',
  chainParse: 'The certificate chain is not PEM-encoded or is not valid.',
  chainInvalid: 'Could not validate the certificate with the certificate chain.',
  notSelfSigned: 'Provided certificate is not a valid self signed. Please provide either a valid self-signed certificate or certificate chain.',
  keyParse: 'The private key is not PEM-encoded or is not valid. Only unencrypted private keys are supported.',
  keyUnsupported: (what: string) => `The private key is not supported: ${what}. ACM supports RSA keys of 1024, 2048, 3072 and 4096 bits and EC keys on prime256v1, secp384r1 and secp521r1.`,
  keyMismatch: 'The private key does not match the public key in the certificate.',
  notYetValid: (notBefore: Date) => `The certificate is not valid yet: it is valid from ${notBefore.toISOString()}.`,
  expired: (notAfter: Date) => `The certificate has expired: it was valid until ${notAfter.toISOString()}.`,
  reimportTags: 'Tags cannot be applied when reimporting a certificate.',
  reimportNotImported: (arn: string) => `The certificate ${arn} was not imported: only an imported certificate can be reimported.`,
  duplicateTagKeys: 'Duplicate tag keys were specified.',
  awsTag: "Tag keys and values may not begin with the reserved prefix 'aws:'.",
  tooManyTags: (limit: number) => `The request contains too many tags: a certificate has at most ${limit}.`,
  tooManyCertificates: (limit: number) => `The account has reached its limit of ${limit} certificates in this region.`,
  tooManyNames: (limit: number) => `A certificate names at most ${limit} domains.`,
  pending: (arn: string) => `Certificate ${arn} is not yet issued.`,
  nextToken: 'The NextToken is not valid.',
  privateCa: 'Certificates from an AWS Private CA (CertificateAuthorityArn) are not available locally; omit it to have the local CA issue one.',
} as const
