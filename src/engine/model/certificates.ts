import {createPrivateKey, X509Certificate, type KeyObject} from 'node:crypto'
import {KeyPairMismatch, MalformedCertificate} from './errors.js'

/**
 * What IAM checks when a server certificate is uploaded: the body is one PEM X.509 certificate valid
 * now, the private key is an unencrypted PEM RSA/EC key that belongs to it, and the optional chain
 * lists the issuers in order (each certificate signed by the next, the root, if present, last).
 */

const PEM_CERTIFICATE = /-----BEGIN CERTIFICATE-----[\s\S]*?-----END CERTIFICATE-----/g

export const MESSAGES = {
  body: 'Unable to parse certificate. Please ensure the certificate is in PEM format.',
  chainParse: 'Unable to parse certificate chain. Please ensure the certificate chain is in PEM format.',
  chainOrder: (index: number) =>
    'Unable to validate certificate chain. The certificate chain must start with the immediate signing certificate, ' +
    `followed by any intermediaries in order. The index within the chain of the invalid certificate is: ${index}`,
  expired: (notAfter: Date) => `Certificate is not valid: it expired on ${notAfter.toISOString()}.`,
  notYetValid: (notBefore: Date) => `Certificate is not valid: it is not valid before ${notBefore.toISOString()}.`,
  privateKey: 'Unable to parse private key. Please ensure the private key is an unencrypted PEM-encoded RSA or EC key.',
  keyAlgorithm: (type: string) => `Unsupported private key algorithm ${type}: only RSA and EC keys are supported.`,
  rsaSize: (bits: number) => `Unsupported RSA key size ${bits}: RSA keys must be 1024 to 4096 bits.`,
  mismatch: 'The request was rejected because the public key certificate and the private key do not match.',
} as const

/** The PEM certificate blocks of `text`, or undefined when anything but blocks and whitespace is there. */
export function splitPemCertificates(text: string): string[] | undefined {
  const blocks = text.match(PEM_CERTIFICATE) ?? []
  const rest = text.replace(PEM_CERTIFICATE, '')
  return rest.trim() === '' ? blocks : undefined
}

/** One PEM certificate, or undefined when it does not parse. */
export function parseCertificate(pem: string): X509Certificate | undefined {
  try {
    return new X509Certificate(pem)
  } catch {
    return undefined
  }
}

function parseBody(body: string): X509Certificate {
  const blocks = splitPemCertificates(body)
  const certificate = blocks?.length === 1 && blocks[0] !== undefined ? parseCertificate(blocks[0]) : undefined
  if (certificate === undefined) throw new MalformedCertificate(MESSAGES.body)
  return certificate
}

function parseChain(chain: string): X509Certificate[] {
  const blocks = splitPemCertificates(chain)
  if (blocks === undefined || blocks.length === 0) throw new MalformedCertificate(MESSAGES.chainParse)
  return blocks.map((block) => {
    const certificate = parseCertificate(block)
    if (certificate === undefined) throw new MalformedCertificate(MESSAGES.chainParse)
    return certificate
  })
}

function parsePrivateKey(pem: string): KeyObject {
  if (!pem.includes('-----BEGIN')) throw new MalformedCertificate(MESSAGES.privateKey)
  let key: KeyObject
  try {
    // An encrypted key fails here too: IAM wants it unencrypted.
    key = createPrivateKey({key: pem, format: 'pem'})
  } catch {
    throw new MalformedCertificate(MESSAGES.privateKey)
  }
  const type = key.asymmetricKeyType ?? 'unknown'
  if (type !== 'rsa' && type !== 'ec') throw new MalformedCertificate(MESSAGES.keyAlgorithm(type))
  const bits = key.asymmetricKeyDetails?.modulusLength
  if (type === 'rsa' && bits !== undefined && (bits < 1024 || bits > 4096)) {
    throw new MalformedCertificate(MESSAGES.rsaSize(bits))
  }
  return key
}

/** True when `issuer` names and signed `subject`. */
export function isIssuedBy(subject: X509Certificate, issuer: X509Certificate): boolean {
  try {
    return subject.checkIssued(issuer) && subject.verify(issuer.publicKey)
  } catch {
    return false
  }
}

export interface ValidatedCertificate {
  readonly notBefore: Date
  readonly notAfter: Date
}

export interface CertificateUpload {
  readonly certificateBody: string
  readonly privateKey: string
  readonly certificateChain?: string
}

/** Checks an upload as IAM does; throws MalformedCertificate or KeyPairMismatch. */
export function validateCertificateUpload(upload: CertificateUpload, now: Date): ValidatedCertificate {
  const leaf = parseBody(upload.certificateBody)
  const notBefore = new Date(leaf.validFrom)
  const notAfter = new Date(leaf.validTo)
  if (now.getTime() > notAfter.getTime()) throw new MalformedCertificate(MESSAGES.expired(notAfter))
  if (now.getTime() < notBefore.getTime()) throw new MalformedCertificate(MESSAGES.notYetValid(notBefore))
  const key = parsePrivateKey(upload.privateKey)
  if (!leaf.checkPrivateKey(key)) throw new KeyPairMismatch(MESSAGES.mismatch)
  if (upload.certificateChain !== undefined) {
    const chain = parseChain(upload.certificateChain)
    // AWS reports -1 when the leaf is not signed by the first chain entry, else the chain index.
    let subject = leaf
    for (const [index, issuer] of chain.entries()) {
      if (!isIssuedBy(subject, issuer)) throw new MalformedCertificate(MESSAGES.chainOrder(index - 1))
      subject = issuer
    }
  }
  return {notBefore, notAfter}
}
