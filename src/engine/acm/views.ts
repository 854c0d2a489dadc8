/**
 * ACM's answer shapes from records: DescribeCertificate's CertificateDetail and ListCertificates'
 * CertificateSummary, members in AWS's order, absent members left out. `InUseBy` is computed
 * from the load balancers whose listeners name the certificate.
 */
import type {AcmCertificateRecord} from '../model/network-types.js'
import type {RegionState, TagRecord} from '../model/types.js'

export interface AcmTag {
  readonly Key: string
  readonly Value?: string
}

/** The status a record shows now: an issued certificate past its NotAfter is EXPIRED. */
export function currentStatus(record: AcmCertificateRecord, now: Date): AcmCertificateRecord['status'] {
  return record.status === 'ISSUED' && new Date(record.notAfter) < now ? 'EXPIRED' : record.status
}

export function loadBalancerArn(region: string, accountId: string, name: string): string {
  return `arn:aws:elasticloadbalancing:${region}:${accountId}:loadbalancer/${name}`
}

/** The ARNs of the load balancers of `region` with a listener that presents `arn`. */
export function usersOf(regionState: RegionState, region: string, accountId: string, arn: string): string[] {
  return regionState.loadBalancers
    .filter((lb) => lb.listeners.some((listener) => listener.sslCertificateId === arn))
    .map((lb) => loadBalancerArn(region, accountId, lb.name))
}

export function tagsOut(tags: readonly TagRecord[]): AcmTag[] {
  return tags.map((tag) => (tag.value === undefined ? {Key: tag.key} : {Key: tag.key, Value: tag.value}))
}

const usages = (names: readonly string[] | undefined) => (names ?? []).map((Name) => ({Name}))

function dates(record: AcmCertificateRecord): Record<string, Date> {
  return {
    CreatedAt: new Date(record.createdAt),
    ...(record.issuedAt === undefined ? {} : {IssuedAt: new Date(record.issuedAt)}),
    ...(record.importedAt === undefined ? {} : {ImportedAt: new Date(record.importedAt)}),
  }
}

export function certificateDetail(record: AcmCertificateRecord, inUseBy: readonly string[], now: Date): Record<string, unknown> {
  const issued = record.type === 'AMAZON_ISSUED'
  return {
    CertificateArn: record.arn,
    DomainName: record.domainName,
    SubjectAlternativeNames: record.subjectAlternativeNames,
    ...(issued
      ? {
          DomainValidationOptions: record.subjectAlternativeNames.map((name) => ({
            DomainName: name, ValidationDomain: name, ValidationStatus: 'SUCCESS', ValidationMethod: record.validationMethod ?? 'DNS',
          })),
        }
      : {}),
    Serial: record.serial,
    Subject: record.subject,
    Issuer: record.issuer,
    ...dates(record),
    Status: currentStatus(record, now),
    NotBefore: new Date(record.notBefore),
    NotAfter: new Date(record.notAfter),
    KeyAlgorithm: record.keyAlgorithm,
    SignatureAlgorithm: record.signatureAlgorithm,
    InUseBy: inUseBy,
    Type: record.type,
    KeyUsages: usages(record.keyUsages),
    ExtendedKeyUsages: (record.extendedKeyUsages ?? []).map((Name) => ({Name, ...(EKU_OIDS[Name] === undefined ? {} : {OID: EKU_OIDS[Name]})})),
    RenewalEligibility: issued ? 'ELIGIBLE' : 'INELIGIBLE',
    Options: {CertificateTransparencyLoggingPreference: record.transparencyLogging ?? 'ENABLED'},
  }
}

const EKU_OIDS: Readonly<Record<string, string>> = {
  TLS_WEB_SERVER_AUTHENTICATION: '1.3.6.1.5.5.7.3.1',
  TLS_WEB_CLIENT_AUTHENTICATION: '1.3.6.1.5.5.7.3.2',
  CODE_SIGNING: '1.3.6.1.5.5.7.3.3',
  EMAIL_PROTECTION: '1.3.6.1.5.5.7.3.4',
  IPSEC_END_SYSTEM: '1.3.6.1.5.5.7.3.5',
  IPSEC_TUNNEL: '1.3.6.1.5.5.7.3.6',
  IPSEC_USER: '1.3.6.1.5.5.7.3.7',
  TIME_STAMPING: '1.3.6.1.5.5.7.3.8',
  OCSP_SIGNING: '1.3.6.1.5.5.7.3.9',
}

/** ListCertificates lists at most this many alternative names per summary (AWS: 100). */
const SUMMARY_NAMES = 100

export function certificateSummary(record: AcmCertificateRecord, inUse: boolean, now: Date): Record<string, unknown> {
  return {
    CertificateArn: record.arn,
    DomainName: record.domainName,
    SubjectAlternativeNameSummaries: record.subjectAlternativeNames.slice(0, SUMMARY_NAMES),
    HasAdditionalSubjectAlternativeNames: record.subjectAlternativeNames.length > SUMMARY_NAMES,
    Status: currentStatus(record, now),
    Type: record.type,
    KeyAlgorithm: record.keyAlgorithm,
    KeyUsages: (record.keyUsages ?? []),
    ExtendedKeyUsages: (record.extendedKeyUsages ?? []),
    InUse: inUse,
    RenewalEligibility: record.type === 'AMAZON_ISSUED' ? 'ELIGIBLE' : 'INELIGIBLE',
    NotBefore: new Date(record.notBefore),
    NotAfter: new Date(record.notAfter),
    ...dates(record),
  }
}
