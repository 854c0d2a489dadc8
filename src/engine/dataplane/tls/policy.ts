import {constants} from 'node:crypto'
import {createSecureContext, type SecureVersion} from 'node:tls'

/** An ELB SSLNegotiationPolicyType policy compiled to Node TLS server options. */
export interface CompiledSslPolicy {
  readonly minVersion: SecureVersion
  readonly maxVersion: SecureVersion
  /** OpenSSL cipher string: enabled ciphers in attribute order (+ `@SECLEVEL=0` when TLS < 1.2). */
  readonly ciphers: string
  readonly honorCipherOrder: boolean
  /** `SSL_OP_NO_TLSv1_1` etc. for holes inside the min..max envelope (e.g. TLSv1 + TLSv1.2 only). */
  readonly secureOptions: number
  /** False when no enabled protocol or no enabled cipher can be offered: every handshake fails. */
  readonly usable: boolean
  /** Enabled protocols/ciphers this OpenSSL cannot offer (SSLv2, SSLv3, RC4, 3DES, …), skipped. */
  readonly unsupported: readonly string[]
}

interface Attribute {
  readonly name: string
  readonly value: string
}

/** Classic ELB has no TLS 1.3; these are the protocols Node/OpenSSL 3 can still negotiate. */
const TLS_PROTOCOLS: readonly {attribute: string; version: SecureVersion; noFlag: number}[] = [
  {attribute: 'Protocol-TLSv1', version: 'TLSv1', noFlag: constants.SSL_OP_NO_TLSv1},
  {attribute: 'Protocol-TLSv1.1', version: 'TLSv1.1', noFlag: constants.SSL_OP_NO_TLSv1_1},
  {attribute: 'Protocol-TLSv1.2', version: 'TLSv1.2', noFlag: constants.SSL_OP_NO_TLSv1_2},
]
const LEGACY_PROTOCOLS = new Set(['Protocol-SSLv2', 'Protocol-SSLv3'])
const OPTION_ATTRIBUTES = new Set(['Server-Defined-Cipher-Order', 'Reference-Security-Policy'])

const cipherSupport = new Map<string, boolean>()

/** Whether this OpenSSL build knows the cipher (asked once per name; OpenSSL is the authority). */
export function isCipherSupported(name: string): boolean {
  let known = cipherSupport.get(name)
  if (known === undefined) {
    try {
      // SECLEVEL=0 so that the check is about the name, not about today's security level.
      createSecureContext({ciphers: `${name}:@SECLEVEL=0`, minVersion: 'TLSv1', maxVersion: 'TLSv1.2'})
      known = true
    } catch {
      known = false
    }
    cipherSupport.set(name, known)
  }
  return known
}

/**
 * Compile the fully expanded attribute list of an SSLNegotiationPolicyType policy (as the model
 * stores it: every protocol/cipher flag `true`/`false`) into TLS server options. Pure apart from
 * the memoised cipher-support probe.
 */
export function compileSslPolicy(attributes: readonly Attribute[]): CompiledSslPolicy {
  const enabled = new Set<string>()
  for (const {name, value} of attributes) {
    if (value.toLowerCase() === 'true') enabled.add(name)
    else enabled.delete(name)
  }
  const unsupported: string[] = []
  for (const legacy of LEGACY_PROTOCOLS) if (enabled.has(legacy)) unsupported.push(legacy)

  const versions = TLS_PROTOCOLS.filter(p => enabled.has(p.attribute))
  const first = versions[0]
  const last = versions[versions.length - 1]
  let secureOptions = 0
  if (first && last) {
    for (const p of TLS_PROTOCOLS) {
      const inside = TLS_PROTOCOLS.indexOf(p) > TLS_PROTOCOLS.indexOf(first) && TLS_PROTOCOLS.indexOf(p) < TLS_PROTOCOLS.indexOf(last)
      if (inside && !enabled.has(p.attribute)) secureOptions |= p.noFlag
    }
  }

  const ciphers: string[] = []
  const seen = new Set<string>()
  for (const {name} of attributes) {
    if (seen.has(name) || !enabled.has(name) || OPTION_ATTRIBUTES.has(name) || name.startsWith('Protocol-')) continue
    seen.add(name)
    if (isCipherSupported(name)) ciphers.push(name)
    else unsupported.push(name)
  }

  const needsLowSecurityLevel = versions.some(p => p.version !== 'TLSv1.2')
  const usable = versions.length > 0 && ciphers.length > 0
  return {
    minVersion: first?.version ?? 'TLSv1.2',
    maxVersion: last?.version ?? 'TLSv1.2',
    // OpenSSL refuses an empty list; an unusable policy is enforced by refusing connections instead.
    ciphers: ciphers.length > 0 ? ciphers.join(':') + (needsLowSecurityLevel ? ':@SECLEVEL=0' : '') : 'AES128-SHA:@SECLEVEL=0',
    honorCipherOrder: enabled.has('Server-Defined-Cipher-Order'),
    secureOptions,
    usable,
    unsupported,
  }
}
