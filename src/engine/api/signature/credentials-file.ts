import {readFileSync} from 'node:fs'

/**
 * The access keys the engine accepts when signature verification is on (`elb-local start
 * --credentials FILE`, or ELB_LOCAL_CREDENTIALS). Two formats, so an existing file can be used as is:
 *  - the AWS CLI's shared credentials file: `[profile]` sections with `aws_access_key_id` and
 *    `aws_secret_access_key` (every profile's pair is accepted);
 *  - the legacy tools' credential file: `AWSAccessKeyId=…` and `AWSSecretKey=…` (one pair).
 */

export type AccessKeys = ReadonlyMap<string, string>

export class CredentialsFileError extends Error {
  constructor(readonly path: string, reason: string) {
    super(`The credentials file ${path} ${reason}`)
    this.name = 'CredentialsFileError'
  }
}

export function parseCredentials(text: string, path: string): AccessKeys {
  const keys = new Map<string, string>()
  let keyId: string | undefined
  let secret: string | undefined
  const flush = () => {
    if (keyId !== undefined && secret !== undefined) keys.set(keyId, secret)
    keyId = undefined
    secret = undefined
  }
  for (const rawLine of text.split(/\r?\n/)) {
    const line = rawLine.trim()
    if (line === '' || line.startsWith('#') || line.startsWith(';')) continue
    if (line.startsWith('[')) {
      flush()
      continue
    }
    const at = line.indexOf('=')
    if (at < 0) continue
    const name = line.slice(0, at).trim()
    const value = line.slice(at + 1).trim()
    if (name === 'aws_access_key_id' || name === 'AWSAccessKeyId') keyId = value
    if (name === 'aws_secret_access_key' || name === 'AWSSecretKey') secret = value
    if (keyId !== undefined && secret !== undefined) flush()
  }
  flush()
  if (keys.size === 0) {
    throw new CredentialsFileError(path, 'holds no access key: write aws_access_key_id = … and aws_secret_access_key = … (as in ~/.aws/credentials), or AWSAccessKeyId=… and AWSSecretKey=….')
  }
  return keys
}

export function readCredentialsFile(path: string): AccessKeys {
  let text: string
  try {
    text = readFileSync(path, 'utf8')
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code
    throw new CredentialsFileError(path, code === 'ENOENT' ? 'does not exist.' : `cannot be read (${code ?? String(error)}).`)
  }
  return parseCredentials(text, path)
}
