/** IAM server certificates and the local stand-in instances, as the console uses them. */
import {call, engineJson, region} from './api.js'
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

export type CertificateVerdict = {valid: true} | {valid: false; error: {code: string; message: string}}

/**
 * IAM's upload checks (key fits the certificate, chain in order, valid now) without uploading: the
 * engine's own rules through its side-effect-free admin route, which answers 200 with the verdict.
 */
export async function checkServerCertificate(input: Omit<UploadInput, 'name' | 'path'>): Promise<CertificateVerdict> {
  return engineJson<CertificateVerdict>('/__elb-local/certificates/check', {
    certificateBody: input.body, privateKey: input.privateKey, ...(input.chain === undefined ? {} : {certificateChain: input.chain}),
  })
}

export async function updateServerCertificate(name: string, newName: string, newPath?: string): Promise<void> {
  await call('iam', 'UpdateServerCertificate', {ServerCertificateName: name, NewServerCertificateName: newName === name ? undefined : newName, NewPath: newPath})
}

export async function deleteServerCertificate(name: string): Promise<void> {
  await call('iam', 'DeleteServerCertificate', {ServerCertificateName: name})
}

export interface LocalInstance {
  readonly instanceId: string
  readonly privateIp: string
  readonly availabilityZone: string
  readonly state: string
  readonly launchTime: string
  readonly serve: readonly {protocol: string; port: number}[]
}

/** The local EC2 stand-in, through the engine's admin API (there is no EC2 Query API yet). */
export async function describeInstances(): Promise<LocalInstance[]> {
  return (await engineJson<{instances: LocalInstance[]}>(`/__elb-local/instances?region=${encodeURIComponent(region())}`)).instances
}

export async function runInstances(input: {count: number; availabilityZone?: string; serve?: {protocol: string; port: number}[]}): Promise<LocalInstance[]> {
  return (await engineJson<{instances: LocalInstance[]}>('/__elb-local/instances/run', {region: region(), ...input})).instances
}

export async function changeInstances(verb: 'stop' | 'start' | 'terminate', instanceIds: readonly string[]): Promise<void> {
  await engineJson(`/__elb-local/instances/${verb}`, {region: region(), instanceIds})
}

/** The PEM certificate the engine placed for instances (what their HTTPS/SSL back ends present). */
export async function instanceCertificate(): Promise<string | undefined> {
  const response = await fetch('/__elb-local/instance-certificate', {credentials: 'same-origin'})
  return response.ok ? (await response.json() as {certificate?: string}).certificate : undefined
}
