import {MalformedInputError} from '../cli/errors.js'
import type {Env, Target} from './target.js'

export interface StaticCredentials {
  readonly accessKeyId: string
  readonly secretAccessKey: string
}

/** Fixed credentials for the local engine (it verifies nothing) and for user-given endpoints. */
export const LOCAL_CREDENTIALS: StaticCredentials = {accessKeyId: 'AKIDLOCALELBTOOLS', secretAccessKey: 'local-engine-secret'}

/**
 * Parses the legacy credential file (`AWSAccessKeyId=…` / `AWSSecretKey=…`): `#` lines are
 * comments, blanks around the key and after `=` are tolerated, trailing blanks are kept.
 */
export function parseCredentialFile(text: string, path: string): StaticCredentials {
  let keyId: string | undefined
  let secret: string | undefined
  for (const line of text.split(/\r?\n/)) {
    if (line.trimStart().startsWith('#')) continue
    const at = line.indexOf('=')
    if (at < 0) continue
    const key = line.slice(0, at).trim()
    const value = line.slice(at + 1).replace(/^ +/, '')
    if (key === 'AWSAccessKeyId') keyId = value
    if (key === 'AWSSecretKey') secret = value
  }
  if (keyId === undefined || secret === undefined) {
    throw new MalformedInputError(`Bad credentials in file: ${path} [keyId: ${keyId ?? 'null'} | secretKey ${secret === undefined ? 'null' : '****'}]`)
  }
  return {accessKeyId: keyId, secretAccessKey: secret}
}

export interface CredentialInput {
  readonly accessKeyId: string | undefined
  readonly secretKey: string | undefined
  readonly credentialFile: string | undefined
  readonly env: Env
  readonly target: Target
  /** Returns the file's text, or undefined when it does not exist. */
  readonly readFile: (path: string) => string | undefined
}

/**
 * `-I`/`-S` win, then `--aws-credential-file`/`AWS_CREDENTIAL_FILE`; with neither, real AWS uses
 * the SDK's default chain (`'sdk-default'`) and every other target the fixed local credentials.
 */
export function resolveCredentials(input: CredentialInput): StaticCredentials | 'sdk-default' {
  if (input.accessKeyId !== undefined || input.secretKey !== undefined) {
    if (input.accessKeyId === undefined || input.secretKey === undefined) {
      throw new MalformedInputError('No Credentials were provided - cannot access the service')
    }
    return {accessKeyId: input.accessKeyId, secretAccessKey: input.secretKey}
  }
  const file = input.credentialFile ?? input.env['AWS_CREDENTIAL_FILE']
  if (file !== undefined && file !== '') {
    const text = input.readFile(file)
    if (text === undefined) throw new MalformedInputError(`File not found: ${file}`)
    return parseCredentialFile(text, file)
  }
  return input.target.kind === 'aws' ? 'sdk-default' : LOCAL_CREDENTIALS
}
