/**
 * What a pasted PEM text is, read from its armour lines alone (`-----BEGIN <LABEL>-----`), so the
 * certificate step can say at once "this is a private key; paste it under Private Key" instead of
 * IAM's "Unable to parse…" at Create. Whether the blocks parse, the key fits the certificate and the
 * chain is in order is the engine's check (iam.ts checkServerCertificate): one set of rules.
 */

export type PemKind = 'empty' | 'not-pem' | 'certificate' | 'chain' | 'private-key' | 'private-keys' | 'encrypted-key' | 'public-key' | 'csr' | 'mixed' | 'other'

/** The wizard's PEM fields, by the label the user sees. */
export type PemField = 'Private Key' | 'Public Key Certificate' | 'Certificate Chain' | 'Certificate body'

// Linear: one pass over the text, labels bounded to 64 characters.
const BEGIN = /-----BEGIN ([A-Z0-9 ]{1,64})-----/g

function labels(text: string): string[] {
  return [...text.matchAll(BEGIN)].map((match) => match[1] ?? '')
}

function kindOfLabel(label: string): Exclude<PemKind, 'empty' | 'not-pem' | 'chain' | 'private-keys' | 'mixed'> {
  if (label === 'CERTIFICATE' || label === 'X509 CERTIFICATE' || label === 'TRUSTED CERTIFICATE') return 'certificate'
  if (label === 'ENCRYPTED PRIVATE KEY') return 'encrypted-key'
  if (label === 'PRIVATE KEY' || label === 'RSA PRIVATE KEY' || label === 'EC PRIVATE KEY') return 'private-key'
  if (label === 'PUBLIC KEY' || label === 'RSA PUBLIC KEY') return 'public-key'
  if (label === 'CERTIFICATE REQUEST' || label === 'NEW CERTIFICATE REQUEST') return 'csr'
  return 'other'
}

export function pemKind(text: string): PemKind {
  if (text.trim() === '') return 'empty'
  const kinds = labels(text).map(kindOfLabel)
  // A legacy-encrypted PKCS#1 key keeps its plain label and says so in a header.
  if (kinds.includes('private-key') && /Proc-Type:\s*4,ENCRYPTED/.test(text)) kinds.splice(kinds.indexOf('private-key'), 1, 'encrypted-key')
  const distinct = new Set(kinds)
  if (distinct.size === 0) return 'not-pem'
  if (distinct.size > 1) return 'mixed'
  const [only] = distinct
  if (only === 'certificate' && kinds.length > 1) return 'chain'
  if (only === 'private-key' && kinds.length > 1) return 'private-keys'
  return only ?? 'other'
}

const NOT_PEM = 'This is not PEM text: paste everything from the -----BEGIN line to the -----END line.'

/** Why `text` does not belong in `field`, naming what it is and where it goes; undefined when it does. */
export function misplacedPem(field: PemField, text: string): string | undefined {
  const kind = pemKind(text)
  if (kind === 'empty') return undefined
  if (kind === 'not-pem') return NOT_PEM
  if (kind === 'mixed') return 'This holds more than one kind of PEM block: paste the private key, the certificate and the chain each in its own box.'
  if (kind === 'private-keys') return 'This holds more than one private key; paste only the one that belongs to the certificate, under Private Key.'
  if (kind === 'encrypted-key') return 'This private key is encrypted; IAM needs it unencrypted (openssl pkey -in key.pem -out plain-key.pem).'
  // A back-end's public key does as well as its certificate (AWS documents either for PublicKey).
  if (kind === 'public-key' && field === 'Certificate body') return undefined
  if (kind === 'public-key') return 'This is a public key, not a certificate; paste the certificate (-----BEGIN CERTIFICATE-----) your CA issued.'
  if (kind === 'csr') return 'This is a certificate signing request; paste the certificate your CA issued for it instead.'
  if (kind === 'other') return 'This PEM block is neither a certificate nor a private key.'
  if (field === 'Private Key') {
    if (kind === 'certificate') return 'This is a certificate, not a private key; paste it under Public Key Certificate.'
    if (kind === 'chain') return 'This is a certificate chain, not a private key; paste it under Certificate Chain.'
    return undefined
  }
  if (kind === 'private-key') {
    return field === 'Certificate body'
      ? 'This is a private key; paste the back-end server\'s certificate here (never its private key).'
      : 'This is a private key; paste it under Private Key.'
  }
  if (field === 'Public Key Certificate' && kind === 'chain') {
    return 'This is a certificate chain; paste only the server certificate here and the certificates that signed it under Certificate Chain.'
  }
  if (field === 'Certificate body' && kind === 'chain') return 'This is a certificate chain; paste one certificate here (add another Backend Certificate for each).'
  return undefined
}
