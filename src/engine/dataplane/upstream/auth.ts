import {X509Certificate, createPublicKey} from 'node:crypto'

/**
 * Back-end server authentication (BackendServerAuthenticationPolicyType): the load balancer talks
 * to an instance only if the public key it presents matches one of the policy's keys.
 */

/**
 * Normalise a `PublicKey` attribute to the base64 of a DER SubjectPublicKeyInfo. AWS documents the
 * SPKI, but its own example is a whole certificate; both are accepted (PEM armour and whitespace
 * too). Returns undefined for text that is neither.
 */
export function spkiOfPublicKeyAttribute(value: string): string | undefined {
  const base64 = value.replace(/-----(BEGIN|END) [A-Z ]+-----/g, '').replace(/\s+/g, '')
  if (base64.length === 0) return undefined
  const der = Buffer.from(base64, 'base64')
  try {
    return new X509Certificate(der).publicKey.export({type: 'spki', format: 'der'}).toString('base64')
  } catch {
    // not a certificate: try a bare public key
  }
  try {
    return createPublicKey({key: der, format: 'der', type: 'spki'}).export({type: 'spki', format: 'der'}).toString('base64')
  } catch {
    return undefined
  }
}

/** The SPKI (base64 DER) of the leaf certificate an instance presented. */
export function presentedSpki(certificate: X509Certificate | undefined): string | undefined {
  return certificate?.publicKey.export({type: 'spki', format: 'der'}).toString('base64')
}

export class BackendAuthenticationError extends Error {
  readonly code = 'BackendAuthenticationFailed'
  constructor(readonly instanceId: string) {
    super(`instance ${instanceId} presented a public key that no back-end authentication policy accepts`)
  }
}
