/**
 * A self-signed certificate per demo instance, made once with `openssl` and kept under the engine
 * home so its public key stays the same across restarts (back-end authentication policies pin it).
 */
import {execFile} from 'node:child_process'
import {existsSync, mkdirSync, readFileSync, renameSync} from 'node:fs'
import {join} from 'node:path'
import {promisify} from 'node:util'

const run = promisify(execFile)

export interface InstanceCertificate {
  readonly cert: string
  readonly key: string
  readonly certFile: string
}

/** Files under `<home>/instances/<id>/`; concurrent callers for one instance share one generation. */
export class InstanceCertificates {
  private readonly pending = new Map<string, Promise<InstanceCertificate>>()

  constructor(private readonly home: string) {}

  get(instanceId: string): Promise<InstanceCertificate> {
    let result = this.pending.get(instanceId)
    if (result === undefined) {
      result = this.loadOrCreate(instanceId)
      this.pending.set(instanceId, result)
      result.catch(() => this.pending.delete(instanceId))
    }
    return result
  }

  private async loadOrCreate(instanceId: string): Promise<InstanceCertificate> {
    const dir = join(this.home, 'instances', instanceId)
    const certFile = join(dir, 'cert.pem')
    const keyFile = join(dir, 'key.pem')
    if (!existsSync(certFile) || !existsSync(keyFile)) {
      mkdirSync(dir, {recursive: true, mode: 0o700})
      const tempCert = `${certFile}.${process.pid}.tmp`
      const tempKey = `${keyFile}.${process.pid}.tmp`
      await run('openssl', [
        'req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-sha256', '-days', '3650',
        '-subj', `/CN=${instanceId}`, '-keyout', tempKey, '-out', tempCert,
      ])
      // Key first: a certificate file on disk always has its key next to it.
      renameSync(tempKey, keyFile)
      renameSync(tempCert, certFile)
    }
    return {cert: readFileSync(certFile, 'utf8'), key: readFileSync(keyFile, 'utf8'), certFile}
  }
}
