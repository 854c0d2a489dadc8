/**
 * The `iam-servercert*` commands (IAM CLI 1.x conventions, legacy §5): what each sends and prints.
 */
import type {IAM, ServerCertificateMetadata} from '@aws-sdk/client-iam'
import type {IamParsed, IamSyntax} from './syntax.js'

export interface IamCommandSpec extends IamSyntax {
  run(args: IamParsed, iam: () => Promise<IAM>, readPem: (value: string) => string): Promise<string>
}

const arnAndId = (metadata: ServerCertificateMetadata | undefined): string =>
  `${metadata?.Arn ?? ''}\n${metadata?.ServerCertificateId ?? ''}\n`

const value = (args: IamParsed, flag: string): string | undefined => args.values.get(flag)

export const IAM_COMMANDS: Readonly<Record<string, IamCommandSpec>> = {
  'iam-servercertupload': {
    name: 'iam-servercertupload',
    description:
      'Uploads a server certificate entity for the AWS Account. The server certificate entity includes a public key certificate, a private key, and an optional certificate chain, which should all be PEM-encoded.',
    options: [
      {flag: '-b', metavar: 'CERTIFICATEBODY', description: 'path to the file containing the PEM-encoded certificate body', required: true},
      {flag: '-c', metavar: 'CERTIFICATECHAIN', description: 'path to the file containing the PEM-encoded certificate chain'},
      {flag: '-k', metavar: 'PRIVATEKEY', description: 'path to the file containing the PEM-encoded private key', required: true},
      {flag: '-p', metavar: 'PATH', description: 'the path of the server certificate, defaults to /'},
      {flag: '-s', metavar: 'SERVERCERTIFICATENAME', description: 'the name of the server certificate', required: true},
      {flag: '-v', metavar: 'VERBOSE', description: "print out the newly created server certificate's arn and guid", switch: true},
    ],
    async run(args, iam, readPem) {
      const chain = value(args, '-c')
      const path = value(args, '-p')
      const result = await (await iam()).uploadServerCertificate({
        ServerCertificateName: value(args, '-s') ?? '',
        CertificateBody: readPem(value(args, '-b') ?? ''),
        PrivateKey: readPem(value(args, '-k') ?? ''),
        ...(chain === undefined ? {} : {CertificateChain: readPem(chain)}),
        ...(path === undefined ? {} : {Path: path}),
      })
      return args.switches.has('-v') ? arnAndId(result.ServerCertificateMetadata) : ''
    },
  },
  'iam-servercertlistbypath': {
    name: 'iam-servercertlistbypath',
    description: 'Lists the server certificates that have the specified path prefix. If there are none, the action returns an empty list.',
    options: [{flag: '-p', metavar: 'PATHPREFIX', description: 'the path prefix for filtering the results, defaults to /'}],
    async run(args, iam) {
      const prefix = value(args, '-p')
      const result = await (await iam()).listServerCertificates(prefix === undefined ? {} : {PathPrefix: prefix})
      const arns = (result.ServerCertificateMetadataList ?? []).map((metadata) => `${metadata.Arn ?? ''}\n`)
      return `${arns.join('')}IsTruncated: ${String(result.IsTruncated ?? false)}\n`
    },
  },
  'iam-servercertgetattributes': {
    name: 'iam-servercertgetattributes',
    description: 'Retrieves information about the specified server certificate: its ARN, then its ID.',
    options: [{flag: '-s', metavar: 'SERVERCERTIFICATENAME', description: 'the name of the server certificate', required: true}],
    async run(args, iam) {
      const result = await (await iam()).getServerCertificate({ServerCertificateName: value(args, '-s') ?? ''})
      return arnAndId(result.ServerCertificate?.ServerCertificateMetadata)
    },
  },
  'iam-servercertdel': {
    name: 'iam-servercertdel',
    description: 'Deletes the specified server certificate.',
    options: [{flag: '-s', metavar: 'SERVERCERTIFICATENAME', description: 'the name of the server certificate', required: true}],
    async run(args, iam) {
      await (await iam()).deleteServerCertificate({ServerCertificateName: value(args, '-s') ?? ''})
      return ''
    },
  },
  'iam-servercertmod': {
    name: 'iam-servercertmod',
    description: 'Updates the name and/or the path of the specified server certificate.',
    options: [
      {flag: '-n', metavar: 'NEWSERVERCERTIFICATENAME', description: 'the new name of the server certificate'},
      {flag: '-p', metavar: 'NEWPATH', description: 'the new path of the server certificate'},
      {flag: '-s', metavar: 'SERVERCERTIFICATENAME', description: 'the name of the server certificate', required: true},
    ],
    async run(args, iam) {
      const newName = value(args, '-n')
      const newPath = value(args, '-p')
      await (await iam()).updateServerCertificate({
        ServerCertificateName: value(args, '-s') ?? '',
        ...(newName === undefined ? {} : {NewServerCertificateName: newName}),
        ...(newPath === undefined ? {} : {NewPath: newPath}),
      })
      return ''
    },
  },
}
