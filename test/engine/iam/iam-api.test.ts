import {readdirSync, readFileSync, statSync} from 'node:fs'
import {join} from 'node:path'
import {
  DeleteConflictException,
  DeleteServerCertificateCommand,
  EntityAlreadyExistsException,
  GetServerCertificateCommand,
  InvalidInputException,
  KeyPairMismatchException,
  LimitExceededException,
  ListServerCertificatesCommand,
  ListServerCertificateTagsCommand,
  MalformedCertificateException,
  NoSuchEntityException,
  TagServerCertificateCommand,
  UntagServerCertificateCommand,
  UpdateServerCertificateCommand,
  UploadServerCertificateCommand,
  type IAMServiceException,
  type UploadServerCertificateCommandInput,
} from '@aws-sdk/client-iam'
import {STATE_FILE} from '../../../src/engine/model/store.js'
import {startApiServer, type ApiServerHandle} from '../../helpers/api-server.js'
import {makePki, type Pki} from './pki.js'

/** The IAM server-certificate API through @aws-sdk/client-iam, against the engine on loopback. */

let pki: Pki
let api: ApiServerHandle

beforeAll(() => {
  pki = makePki()
})

beforeEach(async () => {
  api = await startApiServer()
})

afterEach(async () => {
  await api.close()
})

function upload(name: string, extra: Partial<UploadServerCertificateCommandInput> = {}) {
  return api.iam.send(new UploadServerCertificateCommand({
    ServerCertificateName: name,
    CertificateBody: pki.leafCert,
    PrivateKey: pki.leafKey,
    CertificateChain: pki.chain,
    ...extra,
  }))
}

/** The SDK error and its wire identity (the raw XML <Code> the SDK parsed). */
async function failure(promise: Promise<unknown>): Promise<IAMServiceException & {Code?: string}> {
  try {
    await promise
  } catch (error) {
    return error as IAMServiceException & {Code?: string}
  }
  throw new Error('the call succeeded')
}

async function expectError(promise: Promise<unknown>, exception: new (...args: never[]) => Error, code: string, status: number, message?: string) {
  const error = await failure(promise)
  expect(error).toBeInstanceOf(exception)
  expect(error.$metadata.httpStatusCode).toBe(status)
  expect(error.Code ?? (error as {Error?: {Code?: string}}).Error?.Code).toBe(code)
  if (message !== undefined) expect(error.message).toBe(message)
  return error
}

describe('UploadServerCertificate', () => {
  it('stores a certificate whose key matches and whose chain is in order, and answers its metadata', async () => {
    const before = Date.now()
    const out = await upload('www-example', {Path: '/company/servercerts/', Tags: [{Key: 'team', Value: 'web'}, {Key: 'Env', Value: 'prod'}]})
    const meta = out.ServerCertificateMetadata
    expect(meta?.ServerCertificateName).toBe('www-example')
    expect(meta?.Path).toBe('/company/servercerts/')
    expect(meta?.Arn).toBe('arn:aws:iam::123456789012:server-certificate/company/servercerts/www-example')
    expect(meta?.ServerCertificateId).toMatch(/^ASCA[A-Z0-9]{17}$/)
    expect(meta?.UploadDate?.getTime()).toBeGreaterThanOrEqual(before - 1000)
    // Expiration is the certificate's notAfter (openssl -days 30).
    const days = ((meta?.Expiration?.getTime() ?? 0) - Date.now()) / 86_400_000
    expect(days).toBeGreaterThan(29.9)
    expect(days).toBeLessThan(30.1)
    expect(out.Tags).toEqual([{Key: 'Env', Value: 'prod'}, {Key: 'team', Value: 'web'}])
  })

  it('accepts a self-signed certificate without a chain and an EC key pair', async () => {
    await upload('self', {CertificateBody: pki.selfSignedCert, PrivateKey: pki.selfSignedKey, CertificateChain: undefined})
    const out = await upload('ec', {CertificateBody: pki.ecCert, PrivateKey: pki.ecKey, CertificateChain: undefined})
    expect(out.ServerCertificateMetadata?.Path).toBe('/')
    expect(out.Tags).toBeUndefined()
  })

  it('refuses a private key that belongs to another certificate: KeyPairMismatch', async () => {
    await expectError(upload('wrong-key', {PrivateKey: pki.otherKey}), KeyPairMismatchException, 'KeyPairMismatch', 400,
      'The request was rejected because the public key certificate and the private key do not match.')
    await expectError(upload('ec-key', {PrivateKey: pki.ecKey}), KeyPairMismatchException, 'KeyPairMismatch', 400)
  })

  it('refuses garbage, an encrypted key and a chain in the wrong order: MalformedCertificate', async () => {
    await expectError(upload('garbage', {CertificateBody: 'hello, not a certificate'}), MalformedCertificateException,
      'MalformedCertificate', 400, 'Unable to parse certificate. Please ensure the certificate is in PEM format.')
    const broken = pki.leafCert.replace(/\n[A-Za-z0-9+/]{20}/, '\n!!!!')
    await expectError(upload('broken', {CertificateBody: broken}), MalformedCertificateException, 'MalformedCertificate', 400)
    await expectError(upload('two-bodies', {CertificateBody: pki.leafCert + pki.selfSignedCert}), MalformedCertificateException,
      'MalformedCertificate', 400)
    await expectError(upload('encrypted', {PrivateKey: pki.encryptedLeafKey}), MalformedCertificateException, 'MalformedCertificate', 400)
    await expectError(upload('key-garbage', {PrivateKey: 'not a key'}), MalformedCertificateException, 'MalformedCertificate', 400)
    await expectError(upload('reversed', {CertificateChain: pki.rootCert + pki.intermediateCert}), MalformedCertificateException,
      'MalformedCertificate', 400,
      'Unable to validate certificate chain. The certificate chain must start with the immediate signing certificate, ' +
      'followed by any intermediaries in order. The index within the chain of the invalid certificate is: -1')
    await expectError(upload('chain-garbage', {CertificateChain: 'junk'}), MalformedCertificateException, 'MalformedCertificate', 400)
    // Nothing half-made: none of the refused uploads exists.
    const list = await api.iam.send(new ListServerCertificatesCommand({}))
    expect(list.ServerCertificateMetadataList).toEqual([])
  })

  it('reports the index of the certificate that does not sign its predecessor', async () => {
    const error = await failure(upload('bad-root', {CertificateChain: pki.intermediateCert + pki.selfSignedCert}))
    expect(error.message).toMatch(/The index within the chain of the invalid certificate is: 0$/)
  })

  it('accepts the intermediate alone (the root is optional) and stores exactly that chain', async () => {
    await upload('no-root', {CertificateChain: `\n${pki.intermediateCert}\n\n`})
    const out = await api.iam.send(new GetServerCertificateCommand({ServerCertificateName: 'no-root'}))
    // Stored trimmed, one certificate, the intermediate's bytes (not the root, not the full chain).
    expect(out.ServerCertificate?.CertificateChain).toBe(pki.intermediateCert.trim())
    expect(out.ServerCertificate?.CertificateChain).not.toContain(pki.rootCert.trim())
    const full = await upload('with-root')
    expect(full.ServerCertificateMetadata?.ServerCertificateName).toBe('with-root')
    const withRoot = await api.iam.send(new GetServerCertificateCommand({ServerCertificateName: 'with-root'}))
    expect(withRoot.ServerCertificate?.CertificateChain).toBe(pki.chain.trim())
  })

  it('refuses an expired certificate (the clock is past notAfter)', async () => {
    await api.close()
    api = await startApiServer({now: () => new Date(Date.now() + 40 * 86_400_000)})
    const error = await expectError(upload('late'), MalformedCertificateException, 'MalformedCertificate', 400)
    expect(error.message).toMatch(/^Certificate is not valid: it expired on /)
  })

  it('refuses a duplicate name, in any case: EntityAlreadyExists (409)', async () => {
    await upload('dup')
    await expectError(upload('DUP'), EntityAlreadyExistsException, 'EntityAlreadyExists', 409,
      'The Server Certificate with name DUP already exists.')
  })

  it('refuses the 21st certificate: LimitExceeded (409)', async () => {
    for (let index = 0; index < 20; index++) {
      await upload(`cert-${index}`, {CertificateBody: pki.selfSignedCert, PrivateKey: pki.selfSignedKey, CertificateChain: undefined})
    }
    await expectError(upload('one-too-many'), LimitExceededException, 'LimitExceeded', 409,
      'Cannot exceed quota for ServerCertificatesPerAccount: 20.')
  })

  it('validates names, paths and tags with AWS wording: ValidationError / InvalidInput', async () => {
    const error = await failure(upload('bad name!', {Path: 'no-slashes'}))
    expect(error.name).toBe('ValidationError')
    expect(error.$metadata.httpStatusCode).toBe(400)
    expect(error.message).toBe(
      "2 validation errors detected: Value 'no-slashes' at 'path' failed to satisfy constraint: Member must satisfy " +
      'regular expression pattern: (\\u002F)|(\\u002F[\\u0021-\\u007E]+\\u002F); ' +
      "Value 'bad name!' at 'serverCertificateName' failed to satisfy constraint: Member must satisfy regular " +
      'expression pattern: [\\w+=,.@-]+')
    await expectError(upload('tags', {Tags: [{Key: 'a', Value: '1'}, {Key: 'A', Value: '2'}]}), InvalidInputException, 'InvalidInput', 400,
      'Duplicate tag keys found. Please note that Tag keys are case insensitive.')
  })

  it('never echoes a private key in a validation message', async () => {
    const error = await failure(upload('sensitive', {PrivateKey: 'secret\u0001key'}))
    expect(error.message).toBe("1 validation error detected: Value '*** Sensitive Data Redacted ***' at 'privateKey' " +
      'failed to satisfy constraint: Member must satisfy regular expression pattern: [\\u0009\\u000A\\u000D\\u0020-\\u00FF]+')
  })
})

describe('GetServerCertificate', () => {
  it('returns the body, chain, metadata and tags, never the private key', async () => {
    await upload('www', {Tags: [{Key: 'b', Value: '2'}, {Key: 'a', Value: '1'}]})
    const out = await api.iam.send(new GetServerCertificateCommand({ServerCertificateName: 'www'}))
    const certificate = out.ServerCertificate
    expect(certificate?.CertificateBody).toBe(pki.leafCert.trim())
    expect(certificate?.CertificateChain).toBe(pki.chain.trim())
    expect(certificate?.ServerCertificateMetadata?.Arn).toBe('arn:aws:iam::123456789012:server-certificate/www')
    expect(certificate?.Tags).toEqual([{Key: 'a', Value: '1'}, {Key: 'b', Value: '2'}])
    expect(JSON.stringify(out)).not.toContain('PRIVATE KEY')
    // On disk the key is kept for the data plane (journal, and state.json once compacted), in files only the owner can read.
    await api.store.compact()
    const holders = readdirSync(api.store.dir).map((name) => join(api.store.dir, name))
      .filter((file) => readFileSync(file, 'utf8').includes('PRIVATE KEY'))
    expect(holders).toContain(join(api.store.dir, STATE_FILE))
    for (const file of holders) expect(statSync(file).mode & 0o777).toBe(0o600)
  })

  it('answers NoSuchEntity (404) for an unknown name', async () => {
    await expectError(api.iam.send(new GetServerCertificateCommand({ServerCertificateName: 'nope'})), NoSuchEntityException,
      'NoSuchEntity', 404, 'The Server Certificate with name nope cannot be found.')
  })
})

describe('ListServerCertificates', () => {
  beforeEach(async () => {
    const self = {CertificateBody: pki.selfSignedCert, PrivateKey: pki.selfSignedKey, CertificateChain: undefined}
    await upload('charlie', {...self, Path: '/web/'})
    await upload('alpha', {...self, Path: '/web/prod/'})
    await upload('bravo', self)
    await upload('delta', {...self, Path: '/cloudfront/site/'})
  })

  it('lists every certificate by name, without truncation by default', async () => {
    const out = await api.iam.send(new ListServerCertificatesCommand({}))
    expect(out.ServerCertificateMetadataList?.map((meta) => meta.ServerCertificateName)).toEqual(['alpha', 'bravo', 'charlie', 'delta'])
    expect(out.IsTruncated).toBe(false)
    expect(out.Marker).toBeUndefined()
    expect(out.ServerCertificateMetadataList?.[0]).toEqual(expect.objectContaining({
      Path: '/web/prod/', Arn: 'arn:aws:iam::123456789012:server-certificate/web/prod/alpha',
    }))
  })

  it('filters by PathPrefix', async () => {
    const out = await api.iam.send(new ListServerCertificatesCommand({PathPrefix: '/web/'}))
    expect(out.ServerCertificateMetadataList?.map((meta) => meta.ServerCertificateName)).toEqual(['alpha', 'charlie'])
    const none = await api.iam.send(new ListServerCertificatesCommand({PathPrefix: '/nothing/'}))
    expect(none.ServerCertificateMetadataList).toEqual([])
  })

  it('pages with MaxItems and Marker', async () => {
    const names: string[] = []
    let marker: string | undefined
    const truncations: boolean[] = []
    for (let pageCount = 0; pageCount < 5; pageCount++) {
      const out = await api.iam.send(new ListServerCertificatesCommand({MaxItems: 3, ...(marker === undefined ? {} : {Marker: marker})}))
      names.push(...(out.ServerCertificateMetadataList ?? []).map((meta) => meta.ServerCertificateName ?? ''))
      truncations.push(out.IsTruncated ?? false)
      marker = out.Marker
      if (out.IsTruncated !== true) break
    }
    expect(truncations).toEqual([true, false])
    expect(names).toEqual(['alpha', 'bravo', 'charlie', 'delta'])
  })

  it('refuses MaxItems out of range', async () => {
    const error = await failure(api.iam.send(new ListServerCertificatesCommand({MaxItems: 0})))
    expect(error.name).toBe('ValidationError')
    expect(error.message).toBe("1 validation error detected: Value '0' at 'maxItems' failed to satisfy constraint: " +
      'Member must have value greater than or equal to 1')
  })
})

describe('UpdateServerCertificate', () => {
  it('renames and moves a certificate: new ARN, same id', async () => {
    const uploaded = await upload('old-name')
    await api.iam.send(new UpdateServerCertificateCommand({
      ServerCertificateName: 'old-name', NewServerCertificateName: 'new-name', NewPath: '/moved/',
    }))
    const out = await api.iam.send(new GetServerCertificateCommand({ServerCertificateName: 'new-name'}))
    const meta = out.ServerCertificate?.ServerCertificateMetadata
    expect(meta?.Arn).toBe('arn:aws:iam::123456789012:server-certificate/moved/new-name')
    expect(meta?.ServerCertificateId).toBe(uploaded.ServerCertificateMetadata?.ServerCertificateId)
    expect(api.iamService.serverCertificateByArn('arn:aws:iam::123456789012:server-certificate/moved/new-name')?.name).toBe('new-name')
    await expectError(api.iam.send(new GetServerCertificateCommand({ServerCertificateName: 'old-name'})), NoSuchEntityException, 'NoSuchEntity', 404)
  })

  it('refuses a name in use and an unknown certificate', async () => {
    await upload('one')
    await upload('two')
    await expectError(api.iam.send(new UpdateServerCertificateCommand({ServerCertificateName: 'one', NewServerCertificateName: 'Two'})),
      EntityAlreadyExistsException, 'EntityAlreadyExists', 409, 'The Server Certificate with name Two already exists.')
    await expectError(api.iam.send(new UpdateServerCertificateCommand({ServerCertificateName: 'three', NewPath: '/x/'})),
      NoSuchEntityException, 'NoSuchEntity', 404, 'The Server Certificate with name three cannot be found.')
  })
})

describe('DeleteServerCertificate', () => {
  it('deletes a certificate no listener uses', async () => {
    await upload('gone')
    await api.iam.send(new DeleteServerCertificateCommand({ServerCertificateName: 'gone'}))
    await expectError(api.iam.send(new DeleteServerCertificateCommand({ServerCertificateName: 'gone'})), NoSuchEntityException,
      'NoSuchEntity', 404, 'The Server Certificate with name gone cannot be found.')
  })

  it('refuses while a listener in any region uses it: DeleteConflict (409)', async () => {
    const uploaded = await upload('in-use')
    const arn = uploaded.ServerCertificateMetadata?.Arn ?? ''
    // A load balancer in another region holds the certificate (written as the ELB model would).
    api.store.updateRegion('eu-west-1', (region) => {
      region.loadBalancers.push(loadBalancerUsing('web-lb', arn))
    })
    await expectError(api.iam.send(new DeleteServerCertificateCommand({ServerCertificateName: 'in-use'})), DeleteConflictException,
      'DeleteConflict', 409,
      `Certificate: ${uploaded.ServerCertificateMetadata?.ServerCertificateId ?? ''} is currently in use by ` +
      'arn:aws:elasticloadbalancing:eu-west-1:123456789012:loadbalancer/web-lb. Please remove it first before deleting it from IAM.')
    // Renaming keeps the listener bound to the certificate.
    await api.iam.send(new UpdateServerCertificateCommand({ServerCertificateName: 'in-use', NewServerCertificateName: 'renamed'}))
    const listener = api.store.state.regions['eu-west-1']?.loadBalancers[0]?.listeners[0]
    expect(listener?.sslCertificateId).toBe('arn:aws:iam::123456789012:server-certificate/renamed')
    await expectError(api.iam.send(new DeleteServerCertificateCommand({ServerCertificateName: 'renamed'})), DeleteConflictException,
      'DeleteConflict', 409)
  })
})

describe('server certificate tags', () => {
  it('tags, lists sorted by key, overwrites, untags and pages', async () => {
    await upload('tagged', {Tags: [{Key: 'zeta', Value: 'z'}]})
    await api.iam.send(new TagServerCertificateCommand({ServerCertificateName: 'tagged', Tags: [{Key: 'alpha', Value: 'a'}, {Key: 'ZETA', Value: 'Z'}]}))
    const listed = await api.iam.send(new ListServerCertificateTagsCommand({ServerCertificateName: 'tagged'}))
    expect(listed.Tags).toEqual([{Key: 'ZETA', Value: 'Z'}, {Key: 'alpha', Value: 'a'}])
    expect(listed.IsTruncated).toBe(false)
    const first = await api.iam.send(new ListServerCertificateTagsCommand({ServerCertificateName: 'tagged', MaxItems: 1}))
    expect(first.Tags).toEqual([{Key: 'ZETA', Value: 'Z'}])
    expect(first.IsTruncated).toBe(true)
    const second = await api.iam.send(new ListServerCertificateTagsCommand({ServerCertificateName: 'tagged', MaxItems: 1, Marker: first.Marker}))
    expect(second.Tags).toEqual([{Key: 'alpha', Value: 'a'}])
    expect(second.IsTruncated).toBe(false)
    await api.iam.send(new UntagServerCertificateCommand({ServerCertificateName: 'tagged', TagKeys: ['zeta', 'missing']}))
    const after = await api.iam.send(new ListServerCertificateTagsCommand({ServerCertificateName: 'tagged'}))
    expect(after.Tags).toEqual([{Key: 'alpha', Value: 'a'}])
  })

  it('answers NoSuchEntity, InvalidInput and LimitExceeded', async () => {
    await expectError(api.iam.send(new ListServerCertificateTagsCommand({ServerCertificateName: 'nope'})), NoSuchEntityException, 'NoSuchEntity', 404)
    await expectError(api.iam.send(new TagServerCertificateCommand({ServerCertificateName: 'nope', Tags: [{Key: 'a', Value: 'b'}]})),
      NoSuchEntityException, 'NoSuchEntity', 404)
    await expectError(api.iam.send(new UntagServerCertificateCommand({ServerCertificateName: 'nope', TagKeys: ['a']})),
      NoSuchEntityException, 'NoSuchEntity', 404)
    await upload('full', {Tags: Array.from({length: 50}, (_, index) => ({Key: `k${index}`, Value: 'v'}))})
    await expectError(api.iam.send(new TagServerCertificateCommand({ServerCertificateName: 'full', Tags: [{Key: 'one-more', Value: 'v'}]})),
      LimitExceededException, 'LimitExceeded', 409, 'Cannot exceed quota for TagsPerServerCertificate: 50.')
    await expectError(api.iam.send(new TagServerCertificateCommand({ServerCertificateName: 'full', Tags: [{Key: 'x', Value: '1'}, {Key: 'X', Value: '2'}]})),
      InvalidInputException, 'InvalidInput', 400)
  })
})

function loadBalancerUsing(name: string, certificateArn: string) {
  return {
    name,
    dnsName: `${name}-1.eu-west-1.elb.amazonaws.com`,
    createdTime: new Date().toISOString(),
    scheme: 'internet-facing' as const,
    localAddress: '127.1.0.2',
    availabilityZones: ['eu-west-1a'],
    subnets: [],
    securityGroups: [],
    listeners: [{protocol: 'HTTPS' as const, loadBalancerPort: 443, instanceProtocol: 'HTTP' as const, instancePort: 80,
      sslCertificateId: certificateArn, policyNames: []}],
    backendServers: [],
    policies: [],
    healthCheck: {target: 'TCP:80', interval: 30, timeout: 5, unhealthyThreshold: 2, healthyThreshold: 10},
    instances: [],
    attributes: {crossZoneLoadBalancing: false, accessLog: {enabled: false}, connectionDraining: {enabled: false, timeout: 300},
      idleTimeout: 60, additional: []},
    tags: [],
  }
}
