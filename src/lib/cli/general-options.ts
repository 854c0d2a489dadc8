import type {OptionSpec} from './spec.js'

/** The GENERAL OPTIONS every `elb-*` command accepts (legacy `config/common.xml`). */
export const GENERAL_OPTIONS: readonly OptionSpec[] = [
  {name: 'aws-credential-file', kind: 'value'},
  {name: 'ec2-cert-file-path', kind: 'value', short: 'C'},
  {name: 'ec2-private-key-file-path', kind: 'value', short: 'K'},
  {name: 'connection-timeout', kind: 'value'},
  {name: 'delimiter', kind: 'value'},
  {name: 'headers', kind: 'flag'},
  {name: 'access-key-id', kind: 'value', short: 'I'},
  {name: 'region', kind: 'value'},
  {name: 'secret-key', kind: 'value', short: 'S'},
  {name: 'show-empty-fields', kind: 'flag'},
  {name: 'show-request', kind: 'flag'},
  {name: 'show-table', kind: 'flag'},
  {name: 'show-long', kind: 'flag'},
  {name: 'show-xml', kind: 'flag'},
  {name: 'quiet', kind: 'flag'},
  {name: 'url', kind: 'value', short: 'U'},
  {name: 'debug', kind: 'flag'},
  {name: 'sslencryptiononly', kind: 'flag'},
  {name: 'sslauthenticateserver', kind: 'flag'},
]

export type DisplayMode = 'table' | 'long' | 'xml' | 'quiet'

export interface GeneralOptions {
  readonly display: DisplayMode
  readonly headers: boolean
  readonly delimiter: string | undefined
  readonly showEmptyFields: boolean
  readonly showRequest: boolean
  readonly debug: boolean
  readonly connectionTimeoutSeconds: number | undefined
  readonly region: string | undefined
  readonly url: string | undefined
  readonly accessKeyId: string | undefined
  readonly secretKey: string | undefined
  readonly credentialFile: string | undefined
}
