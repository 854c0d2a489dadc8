import {
  DeleteServerCertificateCommand,
  GetServerCertificateCommand,
  IAMClient,
  ListServerCertificatesCommand,
  NoSuchEntityException,
  UpdateServerCertificateCommand,
  UploadServerCertificateCommand,
} from '@aws-sdk/client-iam'
import {mockClient} from 'aws-sdk-client-mock'
import 'aws-sdk-client-mock-jest'
import {runCli} from './run-cli.js'

const iam = mockClient(IAMClient)
beforeEach(() => iam.reset())

const URL = ['--url', 'http://127.0.0.1:9/']
const ARN = 'arn:aws:iam::555555555555:server-certificate/production/myCert'
const METADATA = {Arn: ARN, ServerCertificateId: 'ASCACEXAMPLEKEZUQ4K', ServerCertificateName: 'myCert', Path: '/production/'}
const FILES = {'cert.pem': '-----BEGIN CERTIFICATE-----\nAAA\n-----END CERTIFICATE-----\n', 'key.pem': '-----BEGIN PRIVATE KEY-----\nBBB\n-----END PRIVATE KEY-----\n'}

test('iam-servercertupload reads -b/-k files; -v prints the ARN and the id', async () => {
  iam.on(UploadServerCertificateCommand).resolves({ServerCertificateMetadata: METADATA})
  const run = await runCli('iam-servercertupload', ['-b', 'cert.pem', '-k', 'key.pem', '-s', 'myCert', '-p', '/production/', '-v', ...URL], {files: FILES})
  expect(iam).toHaveReceivedCommandWith(UploadServerCertificateCommand, {
    ServerCertificateName: 'myCert',
    CertificateBody: FILES['cert.pem'],
    PrivateKey: FILES['key.pem'],
    Path: '/production/',
  })
  expect(run).toEqual({stdout: `${ARN}\nASCACEXAMPLEKEZUQ4K\n`, stderr: '', code: 0})
  expect((await runCli('iam-servercertupload', ['-b', 'cert.pem', '-k', 'key.pem', '-s', 'myCert', ...URL], {files: FILES})).stdout).toBe('')
})

test('iam-servercertlistbypath prints ARNs then IsTruncated', async () => {
  iam.on(ListServerCertificatesCommand).resolves({ServerCertificateMetadataList: [METADATA], IsTruncated: false})
  expect(await runCli('iam-servercertlistbypath', ['-p', '/production/', ...URL])).toEqual({stdout: `${ARN}\nIsTruncated: false\n`, stderr: '', code: 0})
  expect(iam).toHaveReceivedCommandWith(ListServerCertificatesCommand, {PathPrefix: '/production/'})
})

test('iam-servercertgetattributes, iam-servercertmod, iam-servercertdel', async () => {
  iam.on(GetServerCertificateCommand).resolves({ServerCertificate: {ServerCertificateMetadata: METADATA, CertificateBody: 'x'}})
  iam.on(UpdateServerCertificateCommand).resolves({})
  iam.on(DeleteServerCertificateCommand).resolves({})
  expect((await runCli('iam-servercertgetattributes', ['-s', 'myCert', ...URL])).stdout).toBe(`${ARN}\nASCACEXAMPLEKEZUQ4K\n`)
  expect((await runCli('iam-servercertmod', ['-s', 'myCert', '-n', 'newName', '-p', '/new/', ...URL])).stdout).toBe('')
  expect(iam).toHaveReceivedCommandWith(UpdateServerCertificateCommand, {ServerCertificateName: 'myCert', NewServerCertificateName: 'newName', NewPath: '/new/'})
  expect(await runCli('iam-servercertdel', ['-s', 'myCert', ...URL])).toEqual({stdout: '', stderr: '', code: 0})
  expect(iam).toHaveReceivedCommandWith(DeleteServerCertificateCommand, {ServerCertificateName: 'myCert'})
})

test('a service error prints <Code>: <Message> (the SDK class maps back to the wire code)', async () => {
  iam.on(GetServerCertificateCommand).rejects(
    new NoSuchEntityException({message: 'The Server Certificate with name nope cannot be found.', $metadata: {httpStatusCode: 404}}),
  )
  expect(await runCli('iam-servercertgetattributes', ['-s', 'nope', ...URL])).toEqual({
    stdout: '',
    stderr: 'NoSuchEntity: The Server Certificate with name nope cannot be found.\n',
    code: 32,
  })
})

test('usage errors in args4j wording, followed by the usage', async () => {
  const missing = await runCli('iam-servercertgetattributes', [...URL])
  expect(missing.code).toBe(1)
  expect(missing.stderr.startsWith('Option "-s" is required\n')).toBe(true)
  expect(missing.stderr).toContain('iam-servercertgetattributes [options...] arguments...\n')
  expect((await runCli('iam-servercertdel', ['-x'])).stderr.startsWith('"-x" is not a valid option\n')).toBe(true)
  expect(iam.calls()).toHaveLength(0)
})
