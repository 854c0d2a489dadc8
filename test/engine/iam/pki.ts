import {execFileSync} from 'node:child_process'
import {mkdtempSync, readFileSync, rmSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'

/**
 * Real keys and certificates made by the `openssl` command line: a root CA, an intermediate CA it
 * signed, a server certificate the intermediate signed, a self-signed server certificate, and a few
 * odd keys (EC, encrypted, unrelated).
 */

export interface Pki {
  readonly rootCert: string
  readonly intermediateCert: string
  readonly leafCert: string
  readonly leafKey: string
  readonly selfSignedCert: string
  readonly selfSignedKey: string
  readonly ecCert: string
  readonly ecKey: string
  readonly otherKey: string
  readonly encryptedLeafKey: string
  /** The intermediate then the root: the order IAM wants. */
  readonly chain: string
}

function openssl(dir: string, args: string[]): void {
  execFileSync('openssl', args, {cwd: dir, stdio: ['ignore', 'ignore', 'pipe']})
}

export function makePki(): Pki {
  const dir = mkdtempSync(join(tmpdir(), 'elb-pki-'))
  try {
    const read = (file: string) => readFileSync(join(dir, file), 'utf8')
    writeFileSync(join(dir, 'ca.ext'), 'basicConstraints=critical,CA:TRUE\nkeyUsage=critical,keyCertSign,cRLSign\n')
    writeFileSync(join(dir, 'leaf.ext'), 'basicConstraints=CA:FALSE\nsubjectAltName=DNS:www.example.com\n')
    const rsa = ['-newkey', 'rsa:2048', '-nodes']
    openssl(dir, ['req', '-x509', ...rsa, '-keyout', 'root.key', '-out', 'root.pem', '-subj', '/CN=Test Root CA', '-days', '60',
      '-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign,cRLSign'])
    openssl(dir, ['req', ...rsa, '-keyout', 'int.key', '-out', 'int.csr', '-subj', '/CN=Test Intermediate CA'])
    openssl(dir, ['x509', '-req', '-in', 'int.csr', '-CA', 'root.pem', '-CAkey', 'root.key', '-set_serial', '2',
      '-out', 'int.pem', '-days', '60', '-extfile', 'ca.ext'])
    openssl(dir, ['req', ...rsa, '-keyout', 'leaf.key', '-out', 'leaf.csr', '-subj', '/CN=www.example.com'])
    openssl(dir, ['x509', '-req', '-in', 'leaf.csr', '-CA', 'int.pem', '-CAkey', 'int.key', '-set_serial', '3',
      '-out', 'leaf.pem', '-days', '30', '-extfile', 'leaf.ext'])
    openssl(dir, ['req', '-x509', ...rsa, '-keyout', 'self.key', '-out', 'self.pem', '-subj', '/CN=self.example.com', '-days', '30'])
    openssl(dir, ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes',
      '-keyout', 'ec.key', '-out', 'ec.pem', '-subj', '/CN=ec.example.com', '-days', '30'])
    openssl(dir, ['genpkey', '-algorithm', 'RSA', '-pkeyopt', 'rsa_keygen_bits:2048', '-out', 'other.key'])
    openssl(dir, ['pkey', '-in', 'leaf.key', '-aes256', '-passout', 'pass:secret', '-out', 'leaf-encrypted.key'])
    return {
      rootCert: read('root.pem'),
      intermediateCert: read('int.pem'),
      leafCert: read('leaf.pem'),
      leafKey: read('leaf.key'),
      selfSignedCert: read('self.pem'),
      selfSignedKey: read('self.key'),
      ecCert: read('ec.pem'),
      ecKey: read('ec.key'),
      otherKey: read('other.key'),
      encryptedLeafKey: read('leaf-encrypted.key'),
      chain: read('int.pem') + read('root.pem'),
    }
  } finally {
    rmSync(dir, {recursive: true, force: true})
  }
}
