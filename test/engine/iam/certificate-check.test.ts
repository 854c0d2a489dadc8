import {ListServerCertificatesCommand, UploadServerCertificateCommand, type IAMServiceException} from '@aws-sdk/client-iam'
import {startTestEngine, type TestEngine} from '../../helpers/engine.js'
import {makePki, type Pki} from './pki.js'

/**
 * `POST /__elb-local/certificates/check` (the console's certificate step): for every upload it says
 * what UploadServerCertificate says — same code, same message — and stores nothing.
 */

let pki: Pki
let t: TestEngine

beforeAll(async () => {
  pki = makePki()
  t = await startTestEngine()
}, 60_000)

afterAll(async () => {
  await (t as TestEngine | undefined)?.close()
})

interface Fields {
  readonly certificateBody: unknown
  readonly privateKey: unknown
  readonly certificateChain?: unknown
}

async function check(fields: Fields): Promise<{status: number; body: unknown}> {
  const response = await fetch(`${t.endpoint}/__elb-local/certificates/check`, {
    method: 'POST', headers: {'Content-Type': 'application/json'}, body: JSON.stringify(fields),
  })
  return {status: response.status, body: await response.json()}
}

async function uploadError(name: string, fields: {certificateBody: string; privateKey: string; certificateChain?: string}): Promise<{code: string; message: string}> {
  try {
    await t.iam.send(new UploadServerCertificateCommand({
      ServerCertificateName: name, CertificateBody: fields.certificateBody, PrivateKey: fields.privateKey, CertificateChain: fields.certificateChain,
    }))
  } catch (error) {
    // The SDK names the class <Code>Exception; the wire code is the name without it.
    return {code: (error as IAMServiceException).name.replace(/Exception$/, ''), message: (error as IAMServiceException).message}
  }
  throw new Error(`${name} was uploaded`)
}

const certificateNames = async () => ((await t.iam.send(new ListServerCertificatesCommand({}))).ServerCertificateMetadataList ?? []).map((m) => m.ServerCertificateName)

test('each rejected upload: the check answers 200 with the code and message UploadServerCertificate gives', async () => {
  const cases: [string, {certificateBody: string; privateKey: string; certificateChain?: string}][] = [
    ['mismatch', {certificateBody: pki.leafCert, privateKey: pki.otherKey, certificateChain: pki.chain}],
    ['swapped', {certificateBody: pki.leafKey, privateKey: pki.leafCert}],
    ['rootFirst', {certificateBody: pki.leafCert, privateKey: pki.leafKey, certificateChain: pki.rootCert + pki.intermediateCert}],
    ['encrypted', {certificateBody: pki.leafCert, privateKey: pki.encryptedLeafKey}],
    ['garbageChain', {certificateBody: pki.leafCert, privateKey: pki.leafKey, certificateChain: 'not a chain'}],
  ]
  for (const [name, fields] of cases) {
    const expected = await uploadError(name, fields)
    expect({name, ...(await check(fields))}).toEqual({name, status: 200, body: {valid: false, error: expected}})
  }
  expect(await certificateNames()).toEqual([])
}, 60_000)

test('a good upload: valid, with its dates; nothing stored by the check', async () => {
  const {status, body} = await check({certificateBody: pki.leafCert, privateKey: pki.leafKey, certificateChain: pki.chain})
  expect(status).toBe(200)
  const verdict = body as {valid: boolean; notBefore: string; notAfter: string}
  expect(verdict.valid).toBe(true)
  expect([verdict.notBefore, verdict.notAfter].map((date) => /^\d{4}-\d\d-\d\dT/.test(date))).toEqual([true, true])
  const ec = await check({certificateBody: pki.ecCert, privateKey: pki.ecKey, certificateChain: ' \n'})
  expect([ec.status, (ec.body as {valid: boolean}).valid]).toEqual([200, true])
  expect(await certificateNames()).toEqual([])
})

test('fields that are not strings: 400 InvalidParameterValue', async () => {
  const expected = {status: 400, body: {error: {code: 'InvalidParameterValue', message: 'certificateBody and privateKey must be strings, and certificateChain a string if given.'}}}
  expect(await check({certificateBody: pki.leafCert, privateKey: 42})).toEqual(expected)
  expect(await check({certificateBody: null, privateKey: pki.leafKey})).toEqual(expected)
  expect(await check({certificateBody: pki.leafCert, privateKey: pki.leafKey, certificateChain: ['x']})).toEqual(expected)
})
