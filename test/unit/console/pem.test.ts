import {misplacedPem, pemKind} from '../../../src/console/wizard/pem.js'
import {makePki, type Pki} from '../../engine/iam/pki.js'

/** The wizard's PEM triage (src/console/wizard/pem.ts) on real openssl output. */

let pki: Pki

beforeAll(() => {
  pki = makePki()
})

const pkcs1 = (pem: string) => pem.replace(/PRIVATE KEY-----/g, 'RSA PRIVATE KEY-----')

test('kinds, from the armour lines', () => {
  expect([
    pemKind(''), pemKind(' \n'), pemKind('MIIB...'), pemKind(pki.leafCert), pemKind(pki.chain), pemKind(pki.leafKey),
    pemKind(pki.ecKey), pemKind(pkcs1(pki.leafKey)), pemKind(pki.encryptedLeafKey), pemKind(pki.leafKey + pki.otherKey),
    pemKind(pki.leafKey + pki.leafCert), pemKind('-----BEGIN PUBLIC KEY-----\nMIIB\n-----END PUBLIC KEY-----'),
    pemKind('-----BEGIN RSA PRIVATE KEY-----\nProc-Type: 4,ENCRYPTED\nDEK-Info: AES-128-CBC,00\n\nMIIB\n-----END RSA PRIVATE KEY-----'),
    pemKind('-----BEGIN DH PARAMETERS-----\nMIIB\n-----END DH PARAMETERS-----'),
  ]).toEqual([
    'empty', 'empty', 'not-pem', 'certificate', 'chain', 'private-key',
    'private-key', 'private-key', 'encrypted-key', 'private-keys',
    'mixed', 'public-key',
    'encrypted-key',
    'other',
  ])
})

test('each box accepts its own kind, and an empty optional chain', () => {
  expect([
    misplacedPem('Private Key', pki.leafKey), misplacedPem('Private Key', pki.ecKey), misplacedPem('Public Key Certificate', pki.leafCert),
    misplacedPem('Certificate Chain', pki.chain), misplacedPem('Certificate Chain', pki.intermediateCert), misplacedPem('Certificate Chain', ''),
    misplacedPem('Certificate body', pki.selfSignedCert), misplacedPem('Certificate body', '-----BEGIN PUBLIC KEY-----\nMIIB\n-----END PUBLIC KEY-----'),
  ]).toEqual(Array(8).fill(undefined))
})

test('a misplaced kind is named with where it goes', () => {
  expect(misplacedPem('Private Key', pki.leafCert)).toBe('This is a certificate, not a private key; paste it under Public Key Certificate.')
  expect(misplacedPem('Public Key Certificate', pki.leafKey)).toBe('This is a private key; paste it under Private Key.')
  expect(misplacedPem('Certificate Chain', pkcs1(pki.leafKey))).toBe('This is a private key; paste it under Private Key.')
  expect(misplacedPem('Public Key Certificate', '-----BEGIN PUBLIC KEY-----\nMIIB\n-----END PUBLIC KEY-----'))
    .toBe('This is a public key, not a certificate; paste the certificate (-----BEGIN CERTIFICATE-----) your CA issued.')
  expect(misplacedPem('Private Key', pki.leafKey + pki.otherKey)).toBe('This holds more than one private key; paste only the one that belongs to the certificate, under Private Key.')
  expect(misplacedPem('Public Key Certificate', pki.leafKey + pki.leafCert))
    .toBe('This holds more than one kind of PEM block: paste the private key, the certificate and the chain each in its own box.')
})

test('a megabyte of near-armour is triaged in linear time', () => {
  const hostile = '-----BEGIN '.repeat(100_000) + 'A'.repeat(1_000_000)
  const started = performance.now()
  expect(pemKind(hostile)).toBe('not-pem')
  expect(performance.now() - started).toBeLessThan(1_000)
})
