/**
 * AWS Certificate Manager, API 2015-12-08: imported certificates and certificates the engine's
 * local CA issues at once (RequestCertificate), per region, in `RegionState.acmCertificates`.
 * HTTPS/SSL listeners of the same region present them by ARN (model/serving-certificates.ts);
 * a certificate a listener uses cannot be deleted. The private key never leaves the engine.
 */
import {randomUUID} from 'node:crypto'
import type {AcmCertificateRecord} from '../model/network-types.js'
import {baseOf, type Draft, type Store} from '../model/store.js'
import type {RegionState, RequestContext, TagRecord} from '../model/types.js'
import {validateImport} from './certificate-info.js'
import {
  ACM_MESSAGES, InvalidArgsException, InvalidArnException, InvalidParameterException, InvalidTagException,
  LimitExceededException, RequestInProgressException, ResourceInUseException, ResourceNotFoundException,
  TooManyTagsException, ValidationException,
} from './errors.js'
import {REQUESTABLE_KEYS, type LocalCertificateAuthority} from './local-ca.js'
import {certificateDetail, certificateSummary, currentStatus, tagsOut, usersOf, type AcmTag} from './views.js'

export interface ArnInput {
  readonly CertificateArn: string
}

export interface TagsInput extends ArnInput {
  readonly Tags: readonly AcmTag[]
}

/** ImportCertificate with its blobs already decoded to text (the API edge does that). */
export interface ImportCertificateInput {
  readonly CertificateArn?: string
  readonly Certificate: string
  readonly PrivateKey: string
  readonly CertificateChain?: string
  readonly Tags?: readonly AcmTag[]
}

export interface ListCertificatesInput {
  readonly CertificateStatuses?: readonly string[]
  readonly Includes?: {readonly extendedKeyUsage?: readonly string[]; readonly keyUsage?: readonly string[]; readonly keyTypes?: readonly string[]}
  readonly NextToken?: string
  readonly MaxItems?: number
  readonly SortOrder?: string
}

export interface RequestCertificateInput {
  readonly DomainName: string
  readonly ValidationMethod?: 'DNS' | 'EMAIL' | 'HTTP'
  readonly SubjectAlternativeNames?: readonly string[]
  readonly KeyAlgorithm?: string
  readonly CertificateAuthorityArn?: string
  readonly Options?: {readonly CertificateTransparencyLoggingPreference?: 'ENABLED' | 'DISABLED'}
  readonly Tags?: readonly AcmTag[]
}

export interface AcmServiceDeps {
  readonly ca: LocalCertificateAuthority
  readonly now?: () => Date
}

/** ACM's default quota of certificates per region (imported and issued). */
export const MAX_CERTIFICATES = 2500
const MAX_TAGS = 50
const MAX_DOMAINS = 100
/** ListCertificates without a keyTypes filter lists RSA_1024 and RSA_2048 certificates only (AWS's default). */
const DEFAULT_KEY_TYPES = ['RSA_1024', 'RSA_2048']
const DEFAULT_MAX_ITEMS = 1000

const ARN = /^arn:aws:acm:([a-z0-9-]+):(\d{12}):certificate\/([A-Za-z0-9-]+)$/

type Output = Record<string, never>

function tagRecords(tags: readonly AcmTag[] | undefined): TagRecord[] {
  const records: TagRecord[] = []
  for (const tag of tags ?? []) {
    if (tag.Key.toLowerCase().startsWith('aws:')) throw new InvalidTagException(ACM_MESSAGES.awsTag)
    if (records.some((record) => record.key === tag.Key)) throw new InvalidParameterException(ACM_MESSAGES.duplicateTagKeys)
    records.push(tag.Value === undefined ? {key: tag.Key} : {key: tag.Key, value: tag.Value})
  }
  return records
}

export class AcmService {
  private readonly now: () => Date

  constructor(private readonly store: Store, private readonly deps: AcmServiceDeps) {
    this.now = deps.now ?? (() => new Date())
  }

  importCertificate(ctx: RequestContext, input: ImportCertificateInput): {CertificateArn: string} {
    const info = validateImport({
      certificate: input.Certificate.trim(),
      privateKey: input.PrivateKey.trim(),
      ...(input.CertificateChain === undefined ? {} : {certificateChain: input.CertificateChain.trim()}),
    }, this.now())
    const material = {
      certificateBody: input.Certificate.trim(), privateKey: input.PrivateKey.trim(),
      ...(input.CertificateChain === undefined ? {} : {certificateChain: input.CertificateChain.trim()}),
    }
    const now = this.now().toISOString()
    if (input.CertificateArn !== undefined) {
      if (input.Tags !== undefined) throw new InvalidParameterException(ACM_MESSAGES.reimportTags)
      const arn = input.CertificateArn
      return this.mutate(ctx, arn, (record) => {
        if (record.type !== 'IMPORTED') throw new ValidationException(ACM_MESSAGES.reimportNotImported(arn))
        const {createdAt, tags} = baseOf(record)
        return {arn, type: 'IMPORTED', status: 'ISSUED', ...info, ...material, createdAt, importedAt: now, tags}
      }, () => ({CertificateArn: arn}))
    }
    const tags = tagRecords(input.Tags)
    const arn = this.newArn(ctx)
    this.add(ctx, {arn, type: 'IMPORTED', status: 'ISSUED', ...info, ...material, createdAt: now, importedAt: now, tags})
    return {CertificateArn: arn}
  }

  async requestCertificate(ctx: RequestContext, input: RequestCertificateInput): Promise<{CertificateArn: string}> {
    if (input.CertificateAuthorityArn !== undefined) throw new InvalidParameterException(ACM_MESSAGES.privateCa)
    const keyAlgorithm = input.KeyAlgorithm ?? 'RSA_2048'
    if (REQUESTABLE_KEYS[keyAlgorithm] === undefined) {
      throw new ValidationException(`KeyAlgorithm ${keyAlgorithm} is not supported for requested certificates: use one of ${Object.keys(REQUESTABLE_KEYS).join(', ')}.`)
    }
    const domains = [...new Set([input.DomainName, ...(input.SubjectAlternativeNames ?? [])].map((name) => name.toLowerCase()))]
    if (domains.length > MAX_DOMAINS) throw new LimitExceededException(ACM_MESSAGES.tooManyNames(MAX_DOMAINS))
    const tags = tagRecords(input.Tags)
    this.checkQuota(ctx)
    const issued = await this.deps.ca.issue(domains, keyAlgorithm)
    const info = validateImport({certificate: issued.certificate, privateKey: issued.privateKey, certificateChain: issued.chain}, this.now())
    const now = this.now().toISOString()
    const arn = this.newArn(ctx)
    this.add(ctx, {
      arn, type: 'AMAZON_ISSUED', status: 'ISSUED', ...info,
      certificateBody: issued.certificate, certificateChain: issued.chain, privateKey: issued.privateKey,
      createdAt: now, issuedAt: now, tags, validationMethod: input.ValidationMethod ?? 'DNS',
      transparencyLogging: input.Options?.CertificateTransparencyLoggingPreference ?? 'ENABLED',
    })
    return {CertificateArn: arn}
  }

  describeCertificate(ctx: RequestContext, input: ArnInput): {Certificate: Record<string, unknown>} {
    const record = this.find(ctx, input.CertificateArn)
    return {Certificate: certificateDetail(record, usersOf(this.store.region(ctx.region), ctx.region, this.store.state.accountId, record.arn), this.now())}
  }

  getCertificate(ctx: RequestContext, input: ArnInput): {Certificate: string; CertificateChain?: string} {
    const record = this.find(ctx, input.CertificateArn)
    if (record.status === 'PENDING_VALIDATION') throw new RequestInProgressException(ACM_MESSAGES.pending(record.arn))
    return {Certificate: record.certificateBody, ...(record.certificateChain === undefined ? {} : {CertificateChain: record.certificateChain})}
  }

  listCertificates(ctx: RequestContext, input: ListCertificatesInput): {CertificateSummaryList: Record<string, unknown>[]; NextToken?: string} {
    const region = this.store.region(ctx.region)
    const now = this.now()
    const statuses = input.CertificateStatuses === undefined || input.CertificateStatuses.length === 0 ? undefined : new Set(input.CertificateStatuses)
    const keyTypes = new Set(input.Includes?.keyTypes ?? DEFAULT_KEY_TYPES)
    const inUse = usedArns(region)
    let matching = (region.acmCertificates ?? []).filter((record) =>
      (statuses === undefined || statuses.has(currentStatus(record, now))) && keyTypes.has(record.keyAlgorithm) &&
      includesAll(input.Includes?.keyUsage, record.keyUsages) && includesAll(input.Includes?.extendedKeyUsage, record.extendedKeyUsages, true))
    if (input.SortOrder === 'DESCENDING') matching = matching.reverse()
    let start = 0
    if (input.NextToken !== undefined) {
      const arn = Buffer.from(input.NextToken, 'base64url').toString('utf8')
      start = matching.findIndex((record) => record.arn === arn)
      if (start < 0) throw new InvalidArgsException(ACM_MESSAGES.nextToken)
    }
    const limit = input.MaxItems ?? DEFAULT_MAX_ITEMS
    const next = matching[start + limit]
    return {
      CertificateSummaryList: matching.slice(start, start + limit).map((record) => certificateSummary(record, inUse.has(record.arn), now)),
      ...(next === undefined ? {} : {NextToken: Buffer.from(next.arn, 'utf8').toString('base64url')}),
    }
  }

  deleteCertificate(ctx: RequestContext, input: ArnInput): Output {
    const arn = input.CertificateArn
    this.find(ctx, arn)
    this.store.updateRegion(ctx.region, (draft) => {
      const region = baseOf(draft)
      if (usedArns(region).has(arn)) throw new ResourceInUseException(ACM_MESSAGES.inUse(arn, this.store.state.accountId))
      draft.acmCertificates = (region.acmCertificates ?? []).filter((record) => record.arn !== arn)
    })
    return {}
  }

  addTagsToCertificate(ctx: RequestContext, input: TagsInput): Output {
    const added = tagRecords(input.Tags)
    return this.mutate(ctx, input.CertificateArn, (record) => {
      // A key already there takes the new value in place; new keys follow.
      const current = baseOf(record).tags
      const tags = [...current.map((tag) => added.find((other) => other.key === tag.key) ?? tag), ...added.filter((tag) => !current.some((other) => other.key === tag.key))]
      if (tags.length > MAX_TAGS) throw new TooManyTagsException(ACM_MESSAGES.tooManyTags(MAX_TAGS))
      return {...baseOf(record), tags}
    }, () => ({}))
  }

  removeTagsFromCertificate(ctx: RequestContext, input: TagsInput): Output {
    const removed = tagRecords(input.Tags)
    // A tag given with a value is removed only when the value matches too (AWS's rule).
    const matches = (tag: TagRecord) => removed.some((other) => other.key === tag.key && (other.value === undefined || other.value === (tag.value ?? '')))
    return this.mutate(ctx, input.CertificateArn, (record) => ({...baseOf(record), tags: baseOf(record).tags.filter((tag) => !matches(tag))}), () => ({}))
  }

  listTagsForCertificate(ctx: RequestContext, input: ArnInput): {Tags: AcmTag[]} {
    return {Tags: tagsOut(this.find(ctx, input.CertificateArn).tags)}
  }

  /** The record `arn` names in the request's region, or ACM's error. */
  private find(ctx: RequestContext, arn: string): AcmCertificateRecord {
    const match = ARN.exec(arn)
    if (match === null) throw new InvalidArnException(ACM_MESSAGES.badArn(arn))
    const record = match[1] === ctx.region ? this.store.region(ctx.region).acmCertificates?.find((candidate) => candidate.arn === arn) : undefined
    if (record === undefined) throw new ResourceNotFoundException(ACM_MESSAGES.notFound(arn))
    return record
  }

  /** Replaces the record `arn` names with what `change` makes of it (one write). */
  private mutate<T>(ctx: RequestContext, arn: string, change: (record: Draft<AcmCertificateRecord>) => AcmCertificateRecord, answer: () => T): T {
    this.find(ctx, arn)
    this.store.updateRegion(ctx.region, (draft) => {
      const index = (baseOf(draft).acmCertificates ?? []).findIndex((record) => record.arn === arn)
      const records = draft.acmCertificates
      const record = records?.[index]
      if (records === undefined || record === undefined) throw new ResourceNotFoundException(ACM_MESSAGES.notFound(arn))
      records[index] = change(record) as Draft<AcmCertificateRecord>
    })
    return answer()
  }

  private add(ctx: RequestContext, record: AcmCertificateRecord): void {
    this.store.updateRegion(ctx.region, (draft) => {
      if ((baseOf(draft).acmCertificates ?? []).length >= MAX_CERTIFICATES) throw new LimitExceededException(ACM_MESSAGES.tooManyCertificates(MAX_CERTIFICATES))
      ;(draft.acmCertificates ??= []).push(record as Draft<AcmCertificateRecord>)
    })
  }

  private checkQuota(ctx: RequestContext): void {
    if ((this.store.region(ctx.region).acmCertificates ?? []).length >= MAX_CERTIFICATES) {
      throw new LimitExceededException(ACM_MESSAGES.tooManyCertificates(MAX_CERTIFICATES))
    }
  }

  private newArn(ctx: RequestContext): string {
    return `arn:aws:acm:${ctx.region}:${this.store.state.accountId}:certificate/${randomUUID()}`
  }
}

/** The certificate ARNs the region's listeners present. */
function usedArns(region: RegionState): Set<string> {
  const arns = new Set<string>()
  for (const lb of region.loadBalancers) for (const listener of lb.listeners) if (listener.sslCertificateId !== undefined) arns.add(listener.sslCertificateId)
  return arns
}

/** Every wanted usage is among the certificate's (`ANY` matches all; `NONE`, with `allowNone`, a certificate without any). */
function includesAll(wanted: readonly string[] | undefined, has: readonly string[] | undefined, allowNone = false): boolean {
  if (wanted === undefined || wanted.length === 0 || wanted.includes('ANY')) return true
  if (allowNone && wanted.includes('NONE') && (has ?? []).length === 0) return true
  return wanted.every((usage) => (has ?? []).includes(usage))
}
