/** IAM server certificates, as the console uses them. */
import type {CertificateVerdict} from '../engine/admin/types.js'
import {adminCall, call} from './api.js'
import {children, text} from './xml.js'

export interface ServerCertificate {
  readonly name: string
  readonly path: string
  readonly arn: string
  readonly id: string
  readonly uploadDate: string
  readonly expiration: string
}

export async function listServerCertificates(): Promise<ServerCertificate[]> {
  const all: ServerCertificate[] = []
  let marker: string | undefined
  do {
    const result = await call('iam', 'ListServerCertificates', {Marker: marker})
    all.push(...children(result, 'ServerCertificateMetadataList').map((metadata) => ({
      name: text(metadata, 'ServerCertificateName'),
      path: text(metadata, 'Path'),
      arn: text(metadata, 'Arn'),
      id: text(metadata, 'ServerCertificateId'),
      uploadDate: text(metadata, 'UploadDate'),
      expiration: text(metadata, 'Expiration'),
    })))
    marker = text(result, 'IsTruncated') === 'true' ? text(result, 'Marker') : undefined
  } while (marker !== undefined)
  return all
}

export interface UploadInput {
  readonly name: string
  readonly path?: string
  readonly privateKey: string
  readonly body: string
  readonly chain?: string
}

/** Resolves to the new certificate's ARN. */
export async function uploadServerCertificate(input: UploadInput): Promise<string> {
  const result = await call('iam', 'UploadServerCertificate', {
    ServerCertificateName: input.name,
    Path: input.path === '' ? undefined : input.path,
    PrivateKey: input.privateKey,
    CertificateBody: input.body,
    CertificateChain: input.chain === undefined || input.chain.trim() === '' ? undefined : input.chain,
  })
  return text(result, 'ServerCertificateMetadata/Arn')
}

/**
 * IAM's upload checks (key fits the certificate, chain in order, valid now) without uploading: the
 * engine's own rules through its side-effect-free admin route, which answers 200 with the verdict.
 */
export async function checkServerCertificate(input: Omit<UploadInput, 'name' | 'path'>): Promise<CertificateVerdict> {
  return adminCall('checkCertificate', {
    certificateBody: input.body, privateKey: input.privateKey, ...(input.chain === undefined ? {} : {certificateChain: input.chain}),
  })
}

export async function updateServerCertificate(name: string, newName: string, newPath?: string): Promise<void> {
  await call('iam', 'UpdateServerCertificate', {ServerCertificateName: name, NewServerCertificateName: newName === name ? undefined : newName, NewPath: newPath})
}

export async function deleteServerCertificate(name: string): Promise<void> {
  await call('iam', 'DeleteServerCertificate', {ServerCertificateName: name})
}
