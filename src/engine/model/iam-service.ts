import {randomInt} from 'node:crypto'
import type {
  DeleteServerCertificateRequest,
  GetServerCertificateRequest,
  GetServerCertificateResponse,
  ListServerCertificatesRequest,
  ListServerCertificatesResponse,
  ListServerCertificateTagsRequest,
  ListServerCertificateTagsResponse,
  ServerCertificateMetadata,
  Tag,
  TagServerCertificateRequest,
  UntagServerCertificateRequest,
  UpdateServerCertificateRequest,
  UploadServerCertificateRequest,
  UploadServerCertificateResponse,
} from '@aws-sdk/client-iam'
import {validateCertificateUpload} from './certificates.js'
import {DeleteConflict, EntityAlreadyExists, InvalidInput, LimitExceeded, NoSuchEntity} from './errors.js'
import {baseOf, type Draft, type Store} from './store.js'
import type {CertificateLookup, EngineState, RequestContext, ServerCertificateRecord, TagRecord} from './types.js'

/**
 * IAM server certificates (API 2010-05-08): the certificates HTTPS/SSL listeners present. IAM is
 * global, so the records live in `state.iam`, and a certificate may be used by listeners in any
 * region. Certificates are parsed and checked on upload (see certificates.ts); the private key is
 * kept for the data plane but never returned.
 */

export interface IamServiceDeps {
  readonly now?: () => Date
  /** IAM's default quota of server certificates per account. */
  readonly maxServerCertificates?: number
}

const DEFAULT_MAX_SERVER_CERTIFICATES = 20
const MAX_TAGS = 50
const DEFAULT_MAX_ITEMS = 100
const ID_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789'

type Output = Record<string, never>

export const IAM_MESSAGES = {
  notFound: (name: string) => `The Server Certificate with name ${name} cannot be found.`,
  exists: (name: string) => `The Server Certificate with name ${name} already exists.`,
  quota: (limit: number) => `Cannot exceed quota for ServerCertificatesPerAccount: ${limit}.`,
  tagQuota: `Cannot exceed quota for TagsPerServerCertificate: ${MAX_TAGS}.`,
  duplicateTags: 'Duplicate tag keys found. Please note that Tag keys are case insensitive.',
  inUse: (id: string, loadBalancerArn: string) =>
    `Certificate: ${id} is currently in use by ${loadBalancerArn}. Please remove it first before deleting it from IAM.`,
} as const

export function serverCertificateArn(accountId: string, path: string, name: string): string {
  return `arn:aws:iam::${accountId}:server-certificate${path}${name}`
}

function newCertificateId(taken: ReadonlySet<string>): string {
  for (;;) {
    let id = 'ASCA'
    for (let index = 0; index < 17; index++) id += ID_ALPHABET.charAt(randomInt(ID_ALPHABET.length))
    if (!taken.has(id)) return id
  }
}

/** IAM entity names are unique regardless of case. */
function sameName(a: string, b: string): boolean {
  return a.toLowerCase() === b.toLowerCase()
}

function metadata(record: ServerCertificateRecord | Draft<ServerCertificateRecord>): ServerCertificateMetadata {
  return {
    Path: record.path,
    ServerCertificateName: record.name,
    ServerCertificateId: record.id,
    Arn: record.arn,
    UploadDate: new Date(record.uploadDate),
    Expiration: new Date(record.expiration),
  }
}

/** Tags as IAM returns them: sorted by key. */
function sortedTags(tags: readonly TagRecord[]): Tag[] {
  return [...tags]
    .sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0))
    .map((tag) => ({Key: tag.key, Value: tag.value ?? ''}))
}

function tagRecords(tags: readonly Tag[] | undefined): TagRecord[] {
  const records: TagRecord[] = []
  for (const tag of tags ?? []) {
    const key = tag.Key ?? ''
    if (records.some((record) => sameName(record.key, key))) throw new InvalidInput(IAM_MESSAGES.duplicateTags)
    records.push({key, value: tag.Value ?? ''})
  }
  return records
}

/** One page of `items` after the opaque `marker`; the marker encodes where the next page starts. */
function page<T>(items: readonly T[], keyOf: (item: T) => string, marker: string | undefined, maxItems: number | undefined):
  {items: T[]; isTruncated: boolean; nextMarker?: string} {
  const startKey = marker === undefined ? undefined : Buffer.from(marker, 'base64url').toString('utf8')
  const start = startKey === undefined ? 0 : items.findIndex((item) => keyOf(item) >= startKey)
  const remaining = start < 0 ? [] : items.slice(start)
  const limit = maxItems ?? DEFAULT_MAX_ITEMS
  const pageItems = remaining.slice(0, limit)
  const next = remaining[limit]
  if (next === undefined) return {items: pageItems, isTruncated: false}
  return {items: pageItems, isTruncated: true, nextMarker: Buffer.from(keyOf(next), 'utf8').toString('base64url')}
}

export class IamService implements CertificateLookup {
  private readonly now: () => Date
  private readonly maxServerCertificates: number

  constructor(private readonly store: Store, deps: IamServiceDeps = {}) {
    this.now = deps.now ?? (() => new Date())
    this.maxServerCertificates = deps.maxServerCertificates ?? DEFAULT_MAX_SERVER_CERTIFICATES
  }

  serverCertificateByArn(arn: string): ServerCertificateRecord | undefined {
    return this.store.state.iam.serverCertificates.find((record) => record.arn === arn)
  }

  serverCertificateByName(name: string): ServerCertificateRecord | undefined {
    return this.store.state.iam.serverCertificates.find((record) => sameName(record.name, name))
  }

  uploadServerCertificate(_ctx: RequestContext, input: UploadServerCertificateRequest): UploadServerCertificateResponse {
    const name = input.ServerCertificateName ?? ''
    const path = input.Path ?? '/'
    const tags = tagRecords(input.Tags)
    const upload = {
      certificateBody: (input.CertificateBody ?? '').trim(),
      privateKey: (input.PrivateKey ?? '').trim(),
      ...(input.CertificateChain === undefined ? {} : {certificateChain: input.CertificateChain.trim()}),
    }
    const now = this.now()
    return this.store.update((state) => {
      const certificates = state.iam.serverCertificates
      if (certificates.some((record) => sameName(record.name, name))) throw new EntityAlreadyExists(IAM_MESSAGES.exists(name))
      if (certificates.length >= this.maxServerCertificates) throw new LimitExceeded(IAM_MESSAGES.quota(this.maxServerCertificates))
      const validity = validateCertificateUpload(upload, now)
      const record: Draft<ServerCertificateRecord> = {
        name,
        id: newCertificateId(new Set(certificates.map((certificate) => certificate.id))),
        path,
        arn: serverCertificateArn(state.accountId, path, name),
        ...upload,
        uploadDate: now.toISOString(),
        expiration: validity.notAfter.toISOString(),
        tags,
      }
      certificates.push(record)
      return {
        ServerCertificateMetadata: metadata(record),
        ...(tags.length === 0 ? {} : {Tags: sortedTags(tags)}),
      }
    })
  }

  getServerCertificate(_ctx: RequestContext, input: GetServerCertificateRequest): GetServerCertificateResponse {
    const record = this.existing(input.ServerCertificateName)
    return {
      ServerCertificate: {
        ServerCertificateMetadata: metadata(record),
        CertificateBody: record.certificateBody,
        ...(record.certificateChain === undefined ? {} : {CertificateChain: record.certificateChain}),
        ...(record.tags.length === 0 ? {} : {Tags: sortedTags(record.tags)}),
      },
    }
  }

  listServerCertificates(_ctx: RequestContext, input: ListServerCertificatesRequest): ListServerCertificatesResponse {
    const prefix = input.PathPrefix ?? '/'
    const matching = this.store.state.iam.serverCertificates
      .filter((record) => record.path.startsWith(prefix))
      .sort((a, b) => compareKeys(a.name.toLowerCase(), b.name.toLowerCase()))
    const result = page(matching, (record) => record.name.toLowerCase(), input.Marker, input.MaxItems)
    return {
      ServerCertificateMetadataList: result.items.map(metadata),
      IsTruncated: result.isTruncated,
      ...(result.nextMarker === undefined ? {} : {Marker: result.nextMarker}),
    }
  }

  updateServerCertificate(_ctx: RequestContext, input: UpdateServerCertificateRequest): Output {
    const name = input.ServerCertificateName ?? ''
    this.store.update((state) => {
      const record = findIn(state, name)
      const newName = input.NewServerCertificateName ?? record.name
      const newPath = input.NewPath ?? record.path
      const clash = state.iam.serverCertificates.find((other) => other !== record && sameName(other.name, newName))
      if (clash !== undefined) throw new EntityAlreadyExists(IAM_MESSAGES.exists(newName))
      const oldArn = record.arn
      record.name = newName
      record.path = newPath
      record.arn = serverCertificateArn(state.accountId, newPath, newName)
      // Listeners hold the certificate by ARN: keep them bound to the same certificate (by id),
      // so DescribeLoadBalancers shows the new ARN and the data plane keeps serving it.
      for (const region of Object.values(state.regions)) {
        for (const loadBalancer of region.loadBalancers) {
          for (const listener of loadBalancer.listeners) {
            if (listener.sslCertificateId === oldArn) listener.sslCertificateId = record.arn
          }
        }
      }
    })
    return {}
  }

  deleteServerCertificate(_ctx: RequestContext, input: DeleteServerCertificateRequest): Output {
    const name = input.ServerCertificateName ?? ''
    this.store.update((state) => {
      const record = findIn(state, name)
      for (const [regionName, region] of Object.entries(baseOf(state).regions)) {
        const user = region.loadBalancers.find((loadBalancer) =>
          loadBalancer.listeners.some((listener) => listener.sslCertificateId === record.arn))
        if (user !== undefined) {
          const loadBalancerArn = `arn:aws:elasticloadbalancing:${regionName}:${state.accountId}:loadbalancer/${user.name}`
          throw new DeleteConflict(IAM_MESSAGES.inUse(record.id, loadBalancerArn))
        }
      }
      state.iam.serverCertificates = state.iam.serverCertificates.filter((certificate) => certificate !== record)
    })
    return {}
  }

  tagServerCertificate(_ctx: RequestContext, input: TagServerCertificateRequest): Output {
    const name = input.ServerCertificateName ?? ''
    const added = tagRecords(input.Tags)
    this.store.update((state) => {
      const record = findIn(state, name)
      const tags = record.tags.filter((tag) => !added.some((addition) => sameName(addition.key, tag.key)))
      tags.push(...added)
      if (tags.length > MAX_TAGS) throw new LimitExceeded(IAM_MESSAGES.tagQuota)
      record.tags = tags
    })
    return {}
  }

  untagServerCertificate(_ctx: RequestContext, input: UntagServerCertificateRequest): Output {
    const name = input.ServerCertificateName ?? ''
    const keys = input.TagKeys ?? []
    this.store.update((state) => {
      const record = findIn(state, name)
      record.tags = record.tags.filter((tag) => !keys.some((key) => sameName(key, tag.key)))
    })
    return {}
  }

  listServerCertificateTags(_ctx: RequestContext, input: ListServerCertificateTagsRequest): ListServerCertificateTagsResponse {
    const record = this.existing(input.ServerCertificateName)
    const tags = sortedTags(record.tags)
    const result = page(tags, (tag) => tag.Key ?? '', input.Marker, input.MaxItems)
    return {
      Tags: result.items,
      IsTruncated: result.isTruncated,
      ...(result.nextMarker === undefined ? {} : {Marker: result.nextMarker}),
    }
  }

  private existing(name: string | undefined): ServerCertificateRecord {
    const record = this.serverCertificateByName(name ?? '')
    if (record === undefined) throw new NoSuchEntity(IAM_MESSAGES.notFound(name ?? ''))
    return record
  }
}

function compareKeys(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0
}

function findIn(state: Draft<EngineState>, name: string): Draft<ServerCertificateRecord> {
  const record = state.iam.serverCertificates.find((certificate) => sameName(certificate.name, name))
  if (record === undefined) throw new NoSuchEntity(IAM_MESSAGES.notFound(name))
  return record
}
