/**
 * What ACM reads from a certificate (DescribeCertificate's names, serial, key and signature
 * algorithms, validity) and what it checks on ImportCertificate: one PEM certificate valid now, an
 * unencrypted RSA/EC private key of a size ACM supports that belongs to it, and a chain that
 * verifies it (or, without a chain, a certificate that verifies itself if it claims to).
 */
import {createPrivateKey, X509Certificate, type KeyObject} from 'node:crypto'
import {AsnConvert} from '@peculiar/asn1-schema'
import {Certificate, ExtendedKeyUsage, KeyUsage, type Extension, id_ce_extKeyUsage, id_ce_keyUsage} from '@peculiar/asn1-x509'
import type {AcmCertificateRecord} from '../model/network-types.js'
import {isIssuedBy, parseCertificate, splitPemCertificates} from '../model/certificates.js'
import {ACM_MESSAGES, ValidationException} from './errors.js'

/** The record fields an X.509 certificate gives (AcmCertificateRecord's). */
export type CertificateInfo = Pick<AcmCertificateRecord,
  'domainName' | 'subjectAlternativeNames' | 'serial' | 'subject' | 'issuer' | 'keyAlgorithm' | 'signatureAlgorithm' | 'notBefore' | 'notAfter'
> & {readonly keyUsages: readonly string[]; readonly extendedKeyUsages: readonly string[]}

/** Signature algorithm OIDs → ACM's names (`SHA256WITHRSA`). */
const SIGNATURE_ALGORITHMS: Readonly<Record<string, string>> = {
  '1.2.840.113549.1.1.4': 'MD5WITHRSA',
  '1.2.840.113549.1.1.5': 'SHA1WITHRSA',
  '1.2.840.113549.1.1.11': 'SHA256WITHRSA',
  '1.2.840.113549.1.1.12': 'SHA384WITHRSA',
  '1.2.840.113549.1.1.13': 'SHA512WITHRSA',
  '1.2.840.113549.1.1.10': 'SHA256WITHRSASSAPSS',
  '1.2.840.10045.4.1': 'SHA1WITHECDSA',
  '1.2.840.10045.4.3.2': 'SHA256WITHECDSA',
  '1.2.840.10045.4.3.3': 'SHA384WITHECDSA',
  '1.2.840.10045.4.3.4': 'SHA512WITHECDSA',
}

/** Extended key usage OIDs → ACM's names; any other is CUSTOM. */
const EXTENDED_KEY_USAGES: Readonly<Record<string, string>> = {
  '1.3.6.1.5.5.7.3.1': 'TLS_WEB_SERVER_AUTHENTICATION',
  '1.3.6.1.5.5.7.3.2': 'TLS_WEB_CLIENT_AUTHENTICATION',
  '1.3.6.1.5.5.7.3.3': 'CODE_SIGNING',
  '1.3.6.1.5.5.7.3.4': 'EMAIL_PROTECTION',
  '1.3.6.1.5.5.7.3.5': 'IPSEC_END_SYSTEM',
  '1.3.6.1.5.5.7.3.6': 'IPSEC_TUNNEL',
  '1.3.6.1.5.5.7.3.7': 'IPSEC_USER',
  '1.3.6.1.5.5.7.3.8': 'TIME_STAMPING',
  '1.3.6.1.5.5.7.3.9': 'OCSP_SIGNING',
  '2.5.29.37.0': 'ANY',
}

/** X.509 key usage bit names → ACM's. */
const KEY_USAGES: Readonly<Record<string, string>> = {
  digitalSignature: 'DIGITAL_SIGNATURE', nonRepudiation: 'NON_REPUDIATION', keyEncipherment: 'KEY_ENCIPHERMENT',
  dataEncipherment: 'DATA_ENCIPHERMENT', keyAgreement: 'KEY_AGREEMENT', keyCertSign: 'CERTIFICATE_SIGNING',
  crlSign: 'CRL_SIGNING', encipherOnly: 'ENCIPHER_ONLY', decipherOnly: 'DECIPHER_ONLY',
}

/** The key usages and extended key usages a certificate's extensions name, in ACM's words. */
function usagesOf(parsed: Certificate): {keyUsages: string[]; extendedKeyUsages: string[]} {
  const keyUsages: string[] = []
  const extendedKeyUsages: string[] = []
  const extensions: readonly Extension[] = parsed.tbsCertificate.extensions ?? []
  for (const extension of extensions) {
    if (extension.extnID === id_ce_keyUsage) {
      for (const bit of AsnConvert.parse(extension.extnValue, KeyUsage).toJSON()) keyUsages.push(KEY_USAGES[bit] ?? 'CUSTOM')
    } else if (extension.extnID === id_ce_extKeyUsage) {
      for (const oid of AsnConvert.parse(extension.extnValue, ExtendedKeyUsage)) extendedKeyUsages.push(EXTENDED_KEY_USAGES[oid] ?? 'CUSTOM')
    }
  }
  return {keyUsages, extendedKeyUsages}
}

const RSA_SIZES = new Set([1024, 2048, 3072, 4096])
const EC_CURVES: Readonly<Record<string, string>> = {prime256v1: 'EC_prime256v1', secp384r1: 'EC_secp384r1', secp521r1: 'EC_secp521r1'}

/** ACM's KeyAlgorithm name for a key (`RSA_2048`, `EC_prime256v1`), or why ACM refuses it. */
export function keyAlgorithmOf(key: KeyObject): {name: string} | {problem: string} {
  const details = key.asymmetricKeyDetails ?? {}
  if (key.asymmetricKeyType === 'rsa') {
    const bits = details.modulusLength ?? 0
    return RSA_SIZES.has(bits) ? {name: `RSA_${bits}`} : {problem: `an RSA key of ${bits} bits`}
  }
  if (key.asymmetricKeyType === 'ec') {
    const curve = details.namedCurve ?? 'unknown'
    const name = EC_CURVES[curve]
    return name === undefined ? {problem: `an EC key on curve ${curve}`} : {name}
  }
  return {problem: `a ${key.asymmetricKeyType ?? 'unknown'} key`}
}

/** `CN=a,O=b` from Node's one-attribute-per-line form. */
function distinguishedName(text: string): string {
  return text.split('\n').filter((line) => line !== '').join(',')
}

/** `0a:1b:…`, as ACM shows serial numbers. */
function serialOf(hex: string): string {
  const even = hex.length % 2 === 0 ? hex : `0${hex}`
  return even.toLowerCase().match(/../g)?.join(':') ?? ''
}

/** The DNS names of a subjectAltName extension (`DNS:a.example.com, DNS:b.example.com`). */
function dnsNames(subjectAltName: string | undefined): string[] {
  return (subjectAltName ?? '').split(', ').filter((entry) => entry.startsWith('DNS:')).map((entry) => entry.slice(4))
}

export function certificateInfo(certificate: X509Certificate): CertificateInfo {
  const commonName = /(?:^|\n)CN=([^\n]*)/.exec(certificate.subject)?.[1]
  const names = dnsNames(certificate.subjectAltName)
  const key = keyAlgorithmOf(certificate.publicKey)
  const parsed = AsnConvert.parse(certificate.raw, Certificate)
  const signatureOid = parsed.signatureAlgorithm.algorithm
  return {
    domainName: commonName ?? names[0] ?? '',
    subjectAlternativeNames: names.length > 0 ? names : commonName === undefined ? [] : [commonName],
    serial: serialOf(certificate.serialNumber),
    subject: distinguishedName(certificate.subject),
    issuer: distinguishedName(certificate.issuer),
    keyAlgorithm: 'name' in key ? key.name : 'UNKNOWN',
    signatureAlgorithm: SIGNATURE_ALGORITHMS[signatureOid] ?? signatureOid,
    notBefore: new Date(certificate.validFrom).toISOString(),
    notAfter: new Date(certificate.validTo).toISOString(),
    ...usagesOf(parsed),
  }
}

function parsePrivateKey(pem: string): KeyObject {
  if (!pem.includes('-----BEGIN')) throw new ValidationException(ACM_MESSAGES.keyParse)
  try {
    // An encrypted key fails here too: ACM wants it unencrypted.
    return createPrivateKey({key: pem, format: 'pem'})
  } catch {
    throw new ValidationException(ACM_MESSAGES.keyParse)
  }
}

export interface CertificateImport {
  readonly certificate: string
  readonly privateKey: string
  readonly certificateChain?: string
}

/** Checks an import as ACM does (throws ValidationException) and reads the certificate. */
export function validateImport(upload: CertificateImport, now: Date): CertificateInfo {
  const blocks = splitPemCertificates(upload.certificate)
  if (blocks !== undefined && blocks.length > 1) throw new ValidationException(ACM_MESSAGES.moreThanOne)
  const leaf = blocks?.[0] === undefined ? undefined : parseCertificate(blocks[0])
  if (leaf === undefined) throw new ValidationException(ACM_MESSAGES.certificateParse)
  const key = parsePrivateKey(upload.privateKey)
  const algorithm = keyAlgorithmOf(key)
  if ('problem' in algorithm) throw new ValidationException(ACM_MESSAGES.keyUnsupported(algorithm.problem))
  if (!leaf.checkPrivateKey(key)) throw new ValidationException(ACM_MESSAGES.keyMismatch)
  const notBefore = new Date(leaf.validFrom)
  const notAfter = new Date(leaf.validTo)
  if (now < notBefore) throw new ValidationException(ACM_MESSAGES.notYetValid(notBefore))
  if (now > notAfter) throw new ValidationException(ACM_MESSAGES.expired(notAfter))
  if (upload.certificateChain === undefined) {
    // A certificate naming itself as issuer must be signed by its own key.
    if (leaf.subject === leaf.issuer && !isIssuedBy(leaf, leaf)) throw new ValidationException(ACM_MESSAGES.notSelfSigned)
  } else {
    const chain = (splitPemCertificates(upload.certificateChain) ?? []).map(parseCertificate)
    if (chain.length === 0 || chain.some((entry) => entry === undefined)) throw new ValidationException(ACM_MESSAGES.chainParse)
    let subject = leaf
    for (const issuer of chain as X509Certificate[]) {
      if (!isIssuedBy(subject, issuer)) throw new ValidationException(ACM_MESSAGES.chainInvalid)
      subject = issuer
    }
  }
  return certificateInfo(leaf)
}
