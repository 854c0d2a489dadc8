/**
 * The engine's own certificate authority, which issues RequestCertificate's certificates at once
 * (there is no domain to validate on one machine). Its key and self-signed root are made once, in
 * `<home>/acm-ca/` (key mode 0600), and kept across restarts, so a client that trusts the root
 * (`elb-local ca --export`, `GET /__elb-local/ca`) trusts every certificate the engine issues.
 *
 * Certificates are built with @peculiar/asn1-x509 (the X.509 structures, DER) and signed with
 * node:crypto; key pairs are generated in the thread pool, so no request holds the event loop.
 */
import {createHash, createPrivateKey, generateKeyPair, randomBytes, sign, X509Certificate, type KeyObject} from 'node:crypto'
import {existsSync, mkdirSync, readFileSync, renameSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'
import {promisify} from 'node:util'
import {AsnConvert, OctetString} from '@peculiar/asn1-schema'
import {
  AlgorithmIdentifier, AttributeTypeAndValue, AttributeValue, AuthorityKeyIdentifier, BasicConstraints, Certificate,
  ExtendedKeyUsage, Extension, Extensions, GeneralName, KeyIdentifier, KeyUsage, KeyUsageFlags, Name,
  RelativeDistinguishedName, SubjectAlternativeName, SubjectKeyIdentifier, SubjectPublicKeyInfo, TBSCertificate,
  Validity, Version, id_ce_authorityKeyIdentifier, id_ce_basicConstraints, id_ce_extKeyUsage, id_ce_keyUsage,
  id_ce_subjectAltName, id_ce_subjectKeyIdentifier, id_kp_clientAuth, id_kp_serverAuth,
} from '@peculiar/asn1-x509'

const generate = promisify(generateKeyPair)

export const CA_DIRECTORY = 'acm-ca'
export const CA_CERTIFICATE_FILE = 'ca-cert.pem'
const CA_KEY_FILE = 'ca-key.pem'
const CA_SUBJECT = 'elb-local Local CA'
const CA_YEARS = 10
/** ACM's public certificates are valid 395 days (13 months). */
const ISSUED_DAYS = 395
const DAY_MS = 86_400_000

const OID_COMMON_NAME = '2.5.4.3'
const OID_ORGANIZATION = '2.5.4.10'
const SHA256_WITH_RSA = '1.2.840.113549.1.1.11'
const SHA256_WITH_ECDSA = '1.2.840.10045.4.3.2'

/** The key algorithms RequestCertificate may ask for, as node:crypto makes them. */
export const REQUESTABLE_KEYS: Readonly<Record<string, {type: 'rsa'; modulusLength: number} | {type: 'ec'; namedCurve: string}>> = {
  RSA_2048: {type: 'rsa', modulusLength: 2048},
  EC_prime256v1: {type: 'ec', namedCurve: 'prime256v1'},
  EC_secp384r1: {type: 'ec', namedCurve: 'secp384r1'},
}

export interface IssuedCertificate {
  readonly certificate: string
  readonly privateKey: string
  /** The root that signed it, PEM (what GetCertificate returns as the chain). */
  readonly chain: string
}

interface CaMaterial {
  readonly key: KeyObject
  readonly certificate: X509Certificate
  readonly pem: string
}

function name(commonName: string, organization?: string): Name {
  const attribute = (type: string, value: string) =>
    new RelativeDistinguishedName([new AttributeTypeAndValue({type, value: new AttributeValue({utf8String: value})})])
  return new Name([...(organization === undefined ? [] : [attribute(OID_ORGANIZATION, organization)]), attribute(OID_COMMON_NAME, commonName)])
}

function extension(extnID: string, critical: boolean, value: unknown): Extension {
  return new Extension({extnID, critical, extnValue: new OctetString(AsnConvert.serialize(value))})
}

function keyIdentifier(spki: ArrayBuffer): ArrayBuffer {
  const digest = createHash('sha1').update(new Uint8Array(spki)).digest()
  return digest.buffer.slice(digest.byteOffset, digest.byteOffset + digest.byteLength)
}

/** A positive 16-byte serial number. */
function serialNumber(): ArrayBuffer {
  const bytes = randomBytes(16)
  bytes[0] = (bytes[0] ?? 0) & 0x7f | 0x01
  return bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + 16)
}

function signatureAlgorithm(key: KeyObject): AlgorithmIdentifier {
  // RSA's AlgorithmIdentifier carries an explicit NULL; ECDSA's none (RFC 4055, RFC 5758).
  return key.asymmetricKeyType === 'rsa'
    ? new AlgorithmIdentifier({algorithm: SHA256_WITH_RSA, parameters: new Uint8Array([5, 0]).buffer})
    : new AlgorithmIdentifier({algorithm: SHA256_WITH_ECDSA})
}

interface CertificateFields {
  readonly subject: Name
  readonly issuer: Name
  readonly publicKey: KeyObject
  readonly issuerKey: KeyObject
  readonly issuerSpki: ArrayBuffer
  readonly notBefore: Date
  readonly notAfter: Date
  readonly extensions: readonly Extension[]
}

function buildCertificate(fields: CertificateFields): string {
  const spkiDer = fields.publicKey.export({type: 'spki', format: 'der'})
  const spki = spkiDer.buffer.slice(spkiDer.byteOffset, spkiDer.byteOffset + spkiDer.byteLength)
  const algorithm = signatureAlgorithm(fields.issuerKey)
  const tbs = new TBSCertificate({
    version: Version.v3,
    serialNumber: serialNumber(),
    signature: algorithm,
    issuer: fields.issuer,
    validity: new Validity({notBefore: fields.notBefore, notAfter: fields.notAfter}),
    subject: fields.subject,
    subjectPublicKeyInfo: AsnConvert.parse(spki, SubjectPublicKeyInfo),
    extensions: new Extensions([
      extension(id_ce_subjectKeyIdentifier, false, new SubjectKeyIdentifier(keyIdentifier(spki))),
      extension(id_ce_authorityKeyIdentifier, false, new AuthorityKeyIdentifier({keyIdentifier: new KeyIdentifier(keyIdentifier(fields.issuerSpki))})),
      ...fields.extensions,
    ]),
  })
  const tbsDer = new Uint8Array(AsnConvert.serialize(tbs))
  const signature = sign('sha256', tbsDer, fields.issuerKey)
  const certificate = new Certificate({
    tbsCertificate: tbs,
    signatureAlgorithm: algorithm,
    signatureValue: signature.buffer.slice(signature.byteOffset, signature.byteOffset + signature.byteLength),
  })
  const der = Buffer.from(AsnConvert.serialize(certificate))
  return `-----BEGIN CERTIFICATE-----\n${der.toString('base64').replace(/.{64}/g, '$&\n').replace(/\n?$/, '\n')}-----END CERTIFICATE-----\n`
}

function spkiOf(key: KeyObject): ArrayBuffer {
  const der = key.export({type: 'spki', format: 'der'})
  return der.buffer.slice(der.byteOffset, der.byteOffset + der.byteLength)
}

export class LocalCertificateAuthority {
  private material: Promise<CaMaterial> | undefined
  /** Issues run one at a time: a flood of requests queues here instead of filling the thread pool with key generations. */
  private queue: Promise<unknown> = Promise.resolve()

  constructor(private readonly home: string, private readonly now: () => Date = () => new Date()) {}

  /** Where the root certificate lies (it exists once `root()` or `issue()` has run). */
  get certificateFile(): string {
    return join(this.home, CA_DIRECTORY, CA_CERTIFICATE_FILE)
  }

  /** The root certificate, PEM; made on first use. */
  async root(): Promise<string> {
    return (await this.load()).pem
  }

  /** A certificate for `domains` (the first is the subject's CN) with a new key of `keyAlgorithm`. */
  issue(domains: readonly string[], keyAlgorithm: string): Promise<IssuedCertificate> {
    const issued = this.queue.then(() => this.issueNow(domains, keyAlgorithm))
    this.queue = issued.catch(() => undefined)
    return issued
  }

  private async issueNow(domains: readonly string[], keyAlgorithm: string): Promise<IssuedCertificate> {
    const ca = await this.load()
    const spec = REQUESTABLE_KEYS[keyAlgorithm] ?? REQUESTABLE_KEYS.RSA_2048
    const pair = spec?.type === 'ec'
      ? await generate('ec', {namedCurve: spec.namedCurve})
      : await generate('rsa', {modulusLength: spec?.modulusLength ?? 2048})
    const notBefore = new Date(Math.floor(this.now().getTime() / 1000) * 1000 - 60_000)
    const certificate = buildCertificate({
      subject: name(domains[0] ?? ''),
      issuer: name(CA_SUBJECT, 'elb-local'),
      publicKey: pair.publicKey,
      issuerKey: ca.key,
      issuerSpki: spkiOf(ca.certificate.publicKey),
      notBefore,
      notAfter: new Date(notBefore.getTime() + ISSUED_DAYS * DAY_MS),
      extensions: [
        extension(id_ce_basicConstraints, true, new BasicConstraints({cA: false})),
        extension(id_ce_keyUsage, true, new KeyUsage(KeyUsageFlags.digitalSignature | KeyUsageFlags.keyEncipherment)),
        extension(id_ce_extKeyUsage, false, new ExtendedKeyUsage([id_kp_serverAuth, id_kp_clientAuth])),
        extension(id_ce_subjectAltName, false, new SubjectAlternativeName(domains.map((dNSName) => new GeneralName({dNSName})))),
      ],
    })
    return {certificate, privateKey: pair.privateKey.export({type: 'pkcs8', format: 'pem'}).toString(), chain: ca.pem}
  }

  private load(): Promise<CaMaterial> {
    this.material ??= this.loadOrCreate()
    this.material.catch(() => { this.material = undefined })
    return this.material
  }

  private async loadOrCreate(): Promise<CaMaterial> {
    const dir = join(this.home, CA_DIRECTORY)
    const keyFile = join(dir, CA_KEY_FILE)
    const certificateFile = join(dir, CA_CERTIFICATE_FILE)
    if (!existsSync(keyFile) || !existsSync(certificateFile)) {
      mkdirSync(dir, {recursive: true, mode: 0o755})
      const pair = await generate('ec', {namedCurve: 'prime256v1'})
      const notBefore = new Date(Math.floor(this.now().getTime() / 1000) * 1000 - 60_000)
      const subject = name(CA_SUBJECT, 'elb-local')
      const pem = buildCertificate({
        subject, issuer: subject, publicKey: pair.publicKey, issuerKey: pair.privateKey, issuerSpki: spkiOf(pair.publicKey),
        notBefore, notAfter: new Date(notBefore.getTime() + CA_YEARS * 365 * DAY_MS),
        extensions: [
          extension(id_ce_basicConstraints, true, new BasicConstraints({cA: true})),
          extension(id_ce_keyUsage, true, new KeyUsage(KeyUsageFlags.keyCertSign | KeyUsageFlags.cRLSign | KeyUsageFlags.digitalSignature)),
        ],
      })
      // Key first, then the certificate: a root on disk always has its key next to it.
      writeFileSync(`${keyFile}.${process.pid}.tmp`, pair.privateKey.export({type: 'pkcs8', format: 'pem'}), {mode: 0o600})
      renameSync(`${keyFile}.${process.pid}.tmp`, keyFile)
      writeFileSync(`${certificateFile}.${process.pid}.tmp`, pem, {mode: 0o644})
      renameSync(`${certificateFile}.${process.pid}.tmp`, certificateFile)
    }
    const pem = readFileSync(certificateFile, 'utf8')
    return {key: createPrivateKey(readFileSync(keyFile, 'utf8')), certificate: new X509Certificate(pem), pem}
  }
}
