import {MESSAGES, splitPemCertificates, validateCertificateUpload} from '../../../../src/engine/model/certificates.js'
import {ServiceError} from '../../../../src/engine/model/errors.js'
import {makePki, type Pki} from '../../../engine/iam/pki.js'

let pki: Pki
beforeAll(() => {
  pki = makePki()
})

function refusal(run: () => unknown): ServiceError {
  try {
    run()
  } catch (error) {
    if (error instanceof ServiceError) return error
    throw error
  }
  throw new Error('accepted')
}

describe('splitPemCertificates', () => {
  it('returns the blocks, or undefined when anything else is in the text', () => {
    expect(splitPemCertificates(pki.chain)).toHaveLength(2)
    expect(splitPemCertificates(`\n${pki.rootCert}\n\n`)).toHaveLength(1)
    expect(splitPemCertificates(`junk\n${pki.rootCert}`)).toBeUndefined()
    expect(splitPemCertificates('')).toEqual([])
  })
})

describe('validateCertificateUpload', () => {
  const now = () => new Date()

  it('accepts a matching pair with its chain and reports notAfter', () => {
    const result = validateCertificateUpload({certificateBody: pki.leafCert, privateKey: pki.leafKey, certificateChain: pki.chain}, now())
    expect(result.notAfter.getTime()).toBeGreaterThan(Date.now() + 29 * 86_400_000)
    expect(result.notBefore.getTime()).toBeLessThanOrEqual(Date.now())
  })

  it('refuses keys that do not match, with the model text', () => {
    const error = refusal(() => validateCertificateUpload({certificateBody: pki.leafCert, privateKey: pki.otherKey}, now()))
    expect([error.code, error.message]).toEqual(['KeyPairMismatch', MESSAGES.mismatch])
  })

  it('refuses certificates outside their validity period', () => {
    const late = refusal(() => validateCertificateUpload({certificateBody: pki.selfSignedCert, privateKey: pki.selfSignedKey},
      new Date(Date.now() + 31 * 86_400_000)))
    expect(late.code).toBe('MalformedCertificate')
    expect(late.message).toMatch(/^Certificate is not valid: it expired on \d{4}-/)
    const early = refusal(() => validateCertificateUpload({certificateBody: pki.selfSignedCert, privateKey: pki.selfSignedKey},
      new Date(Date.now() - 86_400_000)))
    expect(early.message).toMatch(/^Certificate is not valid: it is not valid before /)
  })

  it('reports the chain index that breaks the order', () => {
    const reversed = refusal(() => validateCertificateUpload({certificateBody: pki.leafCert, privateKey: pki.leafKey,
      certificateChain: pki.rootCert + pki.intermediateCert}, now()))
    expect(reversed.message).toBe(MESSAGES.chainOrder(-1))
    const wrongRoot = refusal(() => validateCertificateUpload({certificateBody: pki.leafCert, privateKey: pki.leafKey,
      certificateChain: pki.intermediateCert + pki.selfSignedCert}, now()))
    expect(wrongRoot.message).toBe(MESSAGES.chainOrder(0))
    const leafTwice = refusal(() => validateCertificateUpload({certificateBody: pki.leafCert, privateKey: pki.leafKey,
      certificateChain: pki.intermediateCert + pki.rootCert + pki.leafCert}, now()))
    expect(leafTwice.message).toBe(MESSAGES.chainOrder(1))
  })

  it('refuses unparsable bodies, keys and chains as MalformedCertificate', () => {
    const cases = [
      {certificateBody: '', privateKey: pki.leafKey},
      {certificateBody: pki.leafKey, privateKey: pki.leafKey},
      {certificateBody: pki.leafCert, privateKey: pki.encryptedLeafKey},
      {certificateBody: pki.leafCert, privateKey: pki.leafCert},
      {certificateBody: pki.leafCert, privateKey: pki.leafKey, certificateChain: 'nothing here'},
      {certificateBody: pki.leafCert, privateKey: pki.leafKey, certificateChain: '-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----'},
    ]
    for (const upload of cases) expect(refusal(() => validateCertificateUpload(upload, now())).code).toBe('MalformedCertificate')
  })
})
