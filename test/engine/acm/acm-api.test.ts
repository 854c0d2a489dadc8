/**
 * Issue 18: ACM over AWS JSON 1.1 with the real @aws-sdk/client-acm and aws-cli — import (and
 * re-import), describe, list (filters, paging), get, tags, delete, AWS's error codes — and HTTPS
 * listeners presenting ACM certificates over real TLS (openssl s_client), ResourceInUseException
 * while a listener uses one, and RequestCertificate issued by the engine's local CA, verified
 * against the root `elb-local`'s admin route exports.
 */
import {afterAll, beforeAll, describe, expect, test} from '@jest/globals'
import {
  ACMClient, AddTagsToCertificateCommand, DeleteCertificateCommand, DescribeCertificateCommand, GetCertificateCommand,
  ImportCertificateCommand, ListCertificatesCommand, ListTagsForCertificateCommand, RemoveTagsFromCertificateCommand,
  RequestCertificateCommand,
} from '@aws-sdk/client-acm'
import {
  CreateLoadBalancerCommand, CreateLoadBalancerListenersCommand, DeleteLoadBalancerCommand, SetLoadBalancerListenerSSLCertificateCommand,
} from '@aws-sdk/client-elastic-load-balancing'
import {X509Certificate} from 'node:crypto'
import {statSync, writeFileSync, mkdtempSync, rmSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {connect} from 'node:tls'
import {startTestEngine, TEST_CREDENTIALS, type TestEngine} from '../../helpers/engine.js'
import {elbLocal, ensureBuilt, isInstalled, runProcess} from '../../helpers/processes.js'
import {printedError} from '../../helpers/aws-cli.js'
import {makePki, type Pki} from '../iam/pki.js'

let t: TestEngine
let acm: ACMClient
let pki: Pki
let work: string
const offset = 32_000 + 100 * Math.floor(Math.random() * 200)
const text = (value: string) => new TextEncoder().encode(value)

beforeAll(async () => {
  t = await startTestEngine({portOffset: offset})
  acm = new ACMClient({endpoint: t.endpoint, region: t.region, credentials: TEST_CREDENTIALS, maxAttempts: 1})
  pki = makePki()
  work = mkdtempSync(join(tmpdir(), 'acm-test-'))
}, 60_000)

afterAll(async () => {
  acm.destroy()
  await t.close()
  rmSync(work, {recursive: true, force: true})
})

async function importLeaf(): Promise<string> {
  const out = await acm.send(new ImportCertificateCommand({
    Certificate: text(pki.leafCert), PrivateKey: text(pki.leafKey), CertificateChain: text(pki.chain), Tags: [{Key: 'team', Value: 'web'}],
  }))
  return out.CertificateArn ?? ''
}

async function errorOf(promise: Promise<unknown>): Promise<{name: string; message: string; status: number | undefined}> {
  try {
    await promise
  } catch (error) {
    const failure = error as {name: string; message: string; $metadata?: {httpStatusCode?: number}}
    return {name: failure.name, message: failure.message, status: failure.$metadata?.httpStatusCode}
  }
  throw new Error('expected the call to fail')
}

/** The certificate a TLS listener presents, read by `openssl s_client`. */
async function presented(address: string, port: number, servername = 'www.example.com'): Promise<X509Certificate> {
  const run = await runProcess('openssl', ['s_client', '-connect', `${address}:${port}`, '-servername', servername], {timeoutMs: 15_000})
  const pem = /-----BEGIN CERTIFICATE-----[\s\S]*?-----END CERTIFICATE-----/.exec(run.stdout)?.[0]
  if (pem === undefined) throw new Error(`openssl s_client showed no certificate: ${run.stdout}${run.stderr}`)
  return new X509Certificate(pem)
}

async function httpsListener(name: string, certificateArn: string): Promise<string> {
  await t.elb.send(new CreateLoadBalancerCommand({
    LoadBalancerName: name, AvailabilityZones: ['us-east-1a'],
    Listeners: [{Protocol: 'HTTPS', LoadBalancerPort: 443, InstanceProtocol: 'HTTP', InstancePort: 8080, SSLCertificateId: certificateArn}],
  }))
  return (await t.admin.status()).loadBalancers.find((lb) => lb.name === name)?.address ?? ''
}

describe('ACM API with @aws-sdk/client-acm', () => {
  test('import, describe, list, get and tags answer in AWS shapes', async () => {
    const arn = await importLeaf()
    expect(arn).toMatch(/^arn:aws:acm:us-east-1:123456789012:certificate\/[0-9a-f-]{36}$/)
    const leaf = new X509Certificate(pki.leafCert)
    const {Certificate: detail} = await acm.send(new DescribeCertificateCommand({CertificateArn: arn}))
    expect(detail).toMatchObject({
      CertificateArn: arn, DomainName: 'www.example.com', SubjectAlternativeNames: ['www.example.com'],
      Serial: leaf.serialNumber.toLowerCase().match(/../g)?.join(':'), Subject: 'CN=www.example.com', Issuer: 'CN=Test Intermediate CA',
      KeyAlgorithm: 'RSA_2048', SignatureAlgorithm: 'SHA256WITHRSA', Type: 'IMPORTED', Status: 'ISSUED', InUseBy: [],
      RenewalEligibility: 'INELIGIBLE', NotAfter: new Date(leaf.validTo), NotBefore: new Date(leaf.validFrom),
    })
    expect(detail?.ImportedAt).toBeInstanceOf(Date)
    expect(detail?.CreatedAt).toBeInstanceOf(Date)

    const got = await acm.send(new GetCertificateCommand({CertificateArn: arn}))
    expect([got.Certificate, got.CertificateChain]).toEqual([pki.leafCert.trim(), pki.chain.trim()])

    const listed = await acm.send(new ListCertificatesCommand({}))
    expect(listed.CertificateSummaryList?.find((summary) => summary.CertificateArn === arn))
      .toMatchObject({DomainName: 'www.example.com', Type: 'IMPORTED', Status: 'ISSUED', KeyAlgorithm: 'RSA_2048', InUse: false})
    // Without a keyTypes filter ACM lists RSA_1024/RSA_2048 only; the EC certificate shows when asked for.
    const ec = await acm.send(new ImportCertificateCommand({Certificate: text(pki.ecCert), PrivateKey: text(pki.ecKey)}))
    const defaults = await acm.send(new ListCertificatesCommand({}))
    expect(defaults.CertificateSummaryList?.map((summary) => summary.CertificateArn)).not.toContain(ec.CertificateArn)
    const ecOnly = await acm.send(new ListCertificatesCommand({Includes: {keyTypes: ['EC_prime256v1']}}))
    expect(ecOnly.CertificateSummaryList?.map((summary) => [summary.CertificateArn, summary.KeyAlgorithm])).toEqual([[ec.CertificateArn, 'EC_prime256v1']])

    await acm.send(new AddTagsToCertificateCommand({CertificateArn: arn, Tags: [{Key: 'env', Value: 'test'}, {Key: 'team', Value: 'ops'}]}))
    expect((await acm.send(new ListTagsForCertificateCommand({CertificateArn: arn}))).Tags).toEqual([{Key: 'team', Value: 'ops'}, {Key: 'env', Value: 'test'}])
    await acm.send(new RemoveTagsFromCertificateCommand({CertificateArn: arn, Tags: [{Key: 'team', Value: 'web'}, {Key: 'env'}]}))
    expect((await acm.send(new ListTagsForCertificateCommand({CertificateArn: arn}))).Tags).toEqual([{Key: 'team', Value: 'ops'}])
  }, 60_000)

  test('ListCertificates pages with MaxItems and NextToken, in creation order', async () => {
    await importLeaf()
    const all = (await acm.send(new ListCertificatesCommand({}))).CertificateSummaryList?.map((summary) => summary.CertificateArn) ?? []
    expect(all.length).toBeGreaterThanOrEqual(2)
    const seen: string[] = []
    let token: string | undefined
    do {
      const page = await acm.send(new ListCertificatesCommand({MaxItems: 1, ...(token === undefined ? {} : {NextToken: token})}))
      expect(page.CertificateSummaryList).toHaveLength(1)
      seen.push(page.CertificateSummaryList?.[0]?.CertificateArn ?? '')
      token = page.NextToken
    } while (token !== undefined)
    expect(seen).toEqual(all)
    expect(await errorOf(acm.send(new ListCertificatesCommand({NextToken: 'bm9uZQ'})))).toMatchObject({name: 'InvalidArgsException', status: 400})
  }, 60_000)

  test('hostile imports and unknown ARNs get ACM\'s error codes, and change nothing', async () => {
    const before = (await acm.send(new ListCertificatesCommand({Includes: {keyTypes: ['RSA_2048', 'EC_prime256v1']}}))).CertificateSummaryList?.length
    const cases: [Promise<unknown>, string, RegExp][] = [
      [acm.send(new ImportCertificateCommand({Certificate: text('not a certificate'), PrivateKey: text(pki.leafKey)})), 'ValidationException', /not PEM-encoded/],
      [acm.send(new ImportCertificateCommand({Certificate: text(pki.leafCert + pki.selfSignedCert), PrivateKey: text(pki.leafKey)})), 'ValidationException', /more than one certificate/],
      [acm.send(new ImportCertificateCommand({Certificate: text(pki.leafCert), PrivateKey: text(pki.otherKey)})), 'ValidationException', /does not match/],
      [acm.send(new ImportCertificateCommand({Certificate: text(pki.leafCert), PrivateKey: text(pki.encryptedLeafKey)})), 'ValidationException', /private key/],
      [acm.send(new ImportCertificateCommand({Certificate: text(pki.leafCert), PrivateKey: text(pki.leafKey), CertificateChain: text(pki.rootCert)})), 'ValidationException', /certificate chain/],
      [acm.send(new ImportCertificateCommand({Certificate: text(pki.leafCert), PrivateKey: text(pki.leafKey), Tags: [{Key: 'aws:x', Value: 'y'}]})), 'InvalidTagException', /aws:/],
      [acm.send(new DescribeCertificateCommand({CertificateArn: 'arn:aws:acm:us-east-1:123456789012:certificate/00000000-0000-0000-0000-000000000000'})), 'ResourceNotFoundException', /Could not find certificate arn:aws:acm:us-east-1:123456789012:certificate\/0{8}-/],
      [acm.send(new DescribeCertificateCommand({CertificateArn: 'not-an-arn-at-all-really'})), 'ValidationException', /failed to satisfy constraint/],
      [acm.send(new GetCertificateCommand({CertificateArn: 'arn:aws:acm:us-east-1:123456789012:widget/abc'})), 'InvalidArnException', /not a valid ARN/],
    ]
    for (const [call, name, message] of cases) {
      const failure = await errorOf(call)
      expect([failure.name, failure.status]).toEqual([name, 400])
      expect(failure.message).toMatch(message)
    }
    const arn = await importLeaf()
    expect(await errorOf(acm.send(new ImportCertificateCommand({CertificateArn: arn, Certificate: text(pki.leafCert), PrivateKey: text(pki.leafKey), Tags: [{Key: 'a', Value: 'b'}]}))))
      .toMatchObject({name: 'InvalidParameterException', status: 400})
    const after = (await acm.send(new ListCertificatesCommand({Includes: {keyTypes: ['RSA_2048', 'EC_prime256v1']}}))).CertificateSummaryList?.length
    expect(after).toBe((before ?? 0) + 1)
  }, 60_000)

  test('hostile JSON bodies: wrong types, text that is not base64, oversized blobs, unknown operations', async () => {
    const call = async (operation: string, body: string) => {
      const answer = await fetch(t.endpoint, {
        method: 'POST', body,
        headers: {'Content-Type': 'application/x-amz-json-1.1', 'X-Amz-Target': `CertificateManager.${operation}`},
      })
      return {status: answer.status, type: answer.headers.get('x-amzn-errortype'), body: await answer.json() as {__type: string; message: string}}
    }
    const key = Buffer.from(pki.leafKey).toString('base64')
    expect(await call('ImportCertificate', JSON.stringify({Certificate: 42, PrivateKey: key}))).toMatchObject({
      status: 400, type: 'SerializationException', body: {__type: 'SerializationException', message: "Expected a string at 'certificate'"},
    })
    expect((await call('ImportCertificate', JSON.stringify({Certificate: '-----BEGIN CERTIFICATE-----', PrivateKey: key}))).body.__type).toBe('SerializationException')
    const huge = await call('ImportCertificate', JSON.stringify({Certificate: Buffer.from(pki.leafCert).toString('base64'), PrivateKey: Buffer.alloc(6000, 65).toString('base64')}))
    expect(huge).toMatchObject({status: 400, type: 'ValidationException'})
    expect(huge.body.message).toBe("1 validation error detected: Value '*** Sensitive Data Redacted ***' at 'privateKey' failed to satisfy constraint: Member must have length less than or equal to 5120")
    expect(await call('ListCertificates', JSON.stringify({MaxItems: 0}))).toMatchObject({status: 400, type: 'ValidationException'})
    expect(await call('ExportCertificate', '{}')).toMatchObject({status: 400, type: 'UnknownOperationException'})
    expect(await call('ListCertificates', '{not json')).toMatchObject({status: 400, type: 'SerializationException'})
  }, 60_000)
})

describe('listeners present ACM certificates', () => {
  test('an HTTPS listener serves the imported certificate; re-import swaps it in place; deleting it in use is ResourceInUseException', async () => {
    const arn = await importLeaf()
    const address = await httpsListener('acm-https', arn)
    const served = await presented(address, 443 + offset)
    expect([served.subject, served.serialNumber]).toEqual(['CN=www.example.com', new X509Certificate(pki.leafCert).serialNumber])

    const {Certificate: detail} = await acm.send(new DescribeCertificateCommand({CertificateArn: arn}))
    expect(detail?.InUseBy).toEqual(['arn:aws:elasticloadbalancing:us-east-1:123456789012:loadbalancer/acm-https'])
    expect(await errorOf(acm.send(new DeleteCertificateCommand({CertificateArn: arn})))).toEqual({
      name: 'ResourceInUseException', status: 400, message: `Certificate ${arn} in account 123456789012 is in use.`,
    })

    // Re-import to the same ARN: the listener presents the new certificate without being touched.
    await acm.send(new ImportCertificateCommand({CertificateArn: arn, Certificate: text(pki.selfSignedCert), PrivateKey: text(pki.selfSignedKey)}))
    expect((await presented(address, 443 + offset)).subject).toBe('CN=self.example.com')

    await t.elb.send(new DeleteLoadBalancerCommand({LoadBalancerName: 'acm-https'}))
    await acm.send(new DeleteCertificateCommand({CertificateArn: arn}))
    expect(await errorOf(acm.send(new DescribeCertificateCommand({CertificateArn: arn})))).toMatchObject({name: 'ResourceNotFoundException'})
  }, 60_000)

  test('an unknown or other-region ACM ARN is CertificateNotFound, as ELB says', async () => {
    await t.elb.send(new CreateLoadBalancerCommand({
      LoadBalancerName: 'acm-missing', AvailabilityZones: ['us-east-1a'], Listeners: [{Protocol: 'HTTP', LoadBalancerPort: 80, InstancePort: 8080}],
    }))
    for (const arn of ['arn:aws:acm:us-east-1:123456789012:certificate/00000000-0000-0000-0000-000000000000',
      (await importLeaf()).replace('us-east-1', 'eu-west-1')]) {
      const failure = await errorOf(t.elb.send(new CreateLoadBalancerListenersCommand({
        LoadBalancerName: 'acm-missing', Listeners: [{Protocol: 'HTTPS', LoadBalancerPort: 443, InstancePort: 8080, SSLCertificateId: arn}],
      })))
      // The SDK names ELB's CertificateNotFound by its shape, CertificateNotFoundException.
      expect(failure).toEqual({name: 'CertificateNotFoundException', status: 400, message: `Server Certificate not found for the key: ${arn}`})
    }
  }, 60_000)

  test('RequestCertificate is issued at once by the local CA; a client trusting its root verifies the listener', async () => {
    const requested = await acm.send(new RequestCertificateCommand({DomainName: 'shop.example.test', SubjectAlternativeNames: ['*.shop.example.test'], ValidationMethod: 'DNS'}))
    const arn = requested.CertificateArn ?? ''
    const {Certificate: detail} = await acm.send(new DescribeCertificateCommand({CertificateArn: arn}))
    expect(detail).toMatchObject({
      DomainName: 'shop.example.test', SubjectAlternativeNames: ['shop.example.test', '*.shop.example.test'], Type: 'AMAZON_ISSUED',
      Status: 'ISSUED', KeyAlgorithm: 'RSA_2048', Issuer: 'O=elb-local,CN=elb-local Local CA', RenewalEligibility: 'ELIGIBLE',
      DomainValidationOptions: [
        {DomainName: 'shop.example.test', ValidationStatus: 'SUCCESS', ValidationMethod: 'DNS'},
        {DomainName: '*.shop.example.test', ValidationStatus: 'SUCCESS', ValidationMethod: 'DNS'},
      ],
    })
    const root = await t.admin.call('localCa', {})
    expect(root.file).toBe(join(t.home, 'acm-ca', 'ca-cert.pem'))
    expect(statSync(join(t.home, 'acm-ca', 'ca-key.pem')).mode & 0o777).toBe(0o600)

    const lbArn = await importLeaf()
    const address = await httpsListener('acm-issued', lbArn)
    await t.elb.send(new SetLoadBalancerListenerSSLCertificateCommand({LoadBalancerName: 'acm-issued', LoadBalancerPort: 443, SSLCertificateId: arn}))
    const verified = await new Promise<{authorized: boolean; subject: string}>((resolve, reject) => {
      const socket = connect({host: address, port: 443 + offset, servername: 'api.shop.example.test', ca: root.certificate}, () => {
        resolve({authorized: socket.authorized, subject: socket.getPeerX509Certificate()?.subject ?? ''})
        socket.destroy()
      })
      socket.on('error', reject)
    })
    expect(verified).toEqual({authorized: true, subject: 'CN=shop.example.test'})
    // Without the root, the same client refuses the certificate (the listener sends the root as the chain's end).
    const untrusted = await new Promise<string>((resolve) => {
      const socket = connect({host: address, port: 443 + offset, servername: 'api.shop.example.test'}, () => { socket.destroy(); resolve('accepted') })
      socket.on('error', (error: NodeJS.ErrnoException) => { resolve(error.code ?? error.message) })
    })
    expect(untrusted).toBe('SELF_SIGNED_CERT_IN_CHAIN')
    const chain = await acm.send(new GetCertificateCommand({CertificateArn: arn}))
    expect(chain.CertificateChain).toBe(root.certificate)

    // `elb-local ca --export` prints the same root, for clients to trust.
    ensureBuilt()
    const exported = await elbLocal(['ca', '--export'], {ELB_LOCAL_HOME: t.home, ELB_LOCAL_ENDPOINT: t.endpoint, ELB_LOCAL_AUTOSTART: '0'})
    expect({code: exported.code, stdout: exported.stdout, stderr: exported.stderr}).toEqual({code: 0, stdout: root.certificate, stderr: ''})
  }, 120_000)
})

const cli = isInstalled('aws') ? describe : describe.skip

cli('aws-cli acm', () => {
  function aws(...args: string[]) {
    // --endpoint-url, not AWS_ENDPOINT_URL: Debian's aws-cli 2.9.19 predates that variable.
    return runProcess('aws', ['--output', 'json', '--endpoint-url', t.endpoint, ...args], {
      env: {
        AWS_ACCESS_KEY_ID: TEST_CREDENTIALS.accessKeyId, AWS_SECRET_ACCESS_KEY: TEST_CREDENTIALS.secretAccessKey,
        AWS_DEFAULT_REGION: t.region, AWS_CONFIG_FILE: '/dev/null',
        AWS_SHARED_CREDENTIALS_FILE: '/dev/null', AWS_MAX_ATTEMPTS: '1', AWS_PAGER: '',
      },
      cwd: work,
      timeoutMs: 60_000,
    })
  }

  test('import-certificate, describe-certificate, and an error as aws-cli prints it', async () => {
    writeFileSync(join(work, 'cert.pem'), pki.leafCert)
    writeFileSync(join(work, 'key.pem'), pki.leafKey)
    writeFileSync(join(work, 'chain.pem'), pki.chain)
    const imported = await aws('acm', 'import-certificate', '--certificate', 'fileb://cert.pem', '--private-key', 'fileb://key.pem',
      '--certificate-chain', 'fileb://chain.pem')
    expect({code: imported.code, stderr: imported.stderr}).toEqual({code: 0, stderr: ''})
    const arn = (JSON.parse(imported.stdout) as {CertificateArn: string}).CertificateArn
    const described = await aws('acm', 'describe-certificate', '--certificate-arn', arn, '--query', 'Certificate.[DomainName,Type,Status,KeyAlgorithm]')
    expect(JSON.parse(described.stdout)).toEqual(['www.example.com', 'IMPORTED', 'ISSUED', 'RSA_2048'])
    const mismatch = await aws('acm', 'import-certificate', '--certificate', 'fileb://cert.pem', '--private-key', 'fileb://chain.pem')
    expect(mismatch.code).not.toBe(0)
    expect(mismatch.stderr).toMatch(printedError('ValidationException', 'ImportCertificate', ''))
  }, 180_000)
})
