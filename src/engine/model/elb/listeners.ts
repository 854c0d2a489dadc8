import type {Listener} from '@aws-sdk/client-elastic-load-balancing'
import {
  CertificateNotFound,
  DuplicateListener,
  InvalidConfigurationRequest,
  ListenerNotFound,
  UnsupportedProtocol,
  ValidationError,
} from '../errors.js'
import type {CertificateLookup, ListenerRecord, Protocol} from '../types.js'
import {messages} from './messages.js'
import {isLayer7, isSecure} from './vocabulary.js'
import {required} from './validation.js'

export const MAX_LISTENERS = 100

/** The load balancer's listener on `port`, or AWS's ListenerNotFound. */
export function listenerOn<L extends {readonly loadBalancerPort: number}>(lb: {readonly name: string; readonly listeners: readonly L[]}, port: number): L {
  const listener = lb.listeners.find((l) => l.loadBalancerPort === port)
  if (listener === undefined) throw new ListenerNotFound(messages.listenerNotFound(lb.name, port))
  return listener
}

const PROTOCOLS: readonly Protocol[] = ['HTTP', 'HTTPS', 'TCP', 'SSL']

export {isLayer7, isSecure}

/** Protocols are accepted in any case and stored (and returned) upper-case. */
export function parseProtocol(value: string): Protocol {
  const upper = value.toUpperCase()
  const protocol = PROTOCOLS.find((p) => p === upper)
  if (protocol === undefined) throw new UnsupportedProtocol(messages.unsupportedProtocol(value))
  return protocol
}

/** One listener as given, checked on its own: protocols, pairing, ports, certificate presence. */
export function normalizeListener(input: Listener, index: number): ListenerRecord {
  const path = `listeners.member.${index + 1}`
  const protocol = parseProtocol(required(input.Protocol, `${path}.protocol`))
  const loadBalancerPort = required(input.LoadBalancerPort, `${path}.loadBalancerPort`)
  const instancePort = required(input.InstancePort, `${path}.instancePort`)
  // AWS defaults the back end to the plain protocol of the same layer (moto wrongly copies Protocol).
  const instanceProtocol =
    input.InstanceProtocol === undefined ? (isLayer7(protocol) ? 'HTTP' : 'TCP') : parseProtocol(input.InstanceProtocol)
  if (!Number.isInteger(loadBalancerPort) || loadBalancerPort < 1 || loadBalancerPort > 65535) {
    throw new ValidationError(messages.loadBalancerPortRange(loadBalancerPort))
  }
  if (!Number.isInteger(instancePort) || instancePort < 1 || instancePort > 65535) {
    throw new ValidationError(messages.instancePortRange(instancePort))
  }
  if (isLayer7(protocol) !== isLayer7(instanceProtocol)) {
    throw new InvalidConfigurationRequest(messages.protocolMismatch(loadBalancerPort, protocol, instanceProtocol))
  }
  const certificate = input.SSLCertificateId === undefined || input.SSLCertificateId === '' ? undefined : input.SSLCertificateId
  if (isSecure(protocol) && certificate === undefined) throw new ValidationError(messages.secureListenerNeedsCertificate)
  return {
    protocol,
    loadBalancerPort,
    instanceProtocol,
    instancePort,
    // AWS silently drops a certificate given to an HTTP or TCP listener.
    ...(isSecure(protocol) && certificate !== undefined ? {sslCertificateId: certificate} : {}),
    policyNames: [],
  }
}

function sameListener(a: ListenerRecord, b: ListenerRecord): boolean {
  return (
    a.protocol === b.protocol &&
    a.instanceProtocol === b.instanceProtocol &&
    a.instancePort === b.instancePort &&
    a.sslCertificateId === b.sslCertificateId
  )
}

/**
 * Validates the listeners to add to a load balancer that already has `existing`, and returns the
 * ones that are new. A listener identical to one already on its port is a no-op; a different one
 * on a taken port is a DuplicateListener. Secure and insecure back ends may not share an InstancePort.
 */
export function planNewListeners(
  loadBalancerName: string,
  existing: readonly ListenerRecord[],
  inputs: readonly Listener[],
  certificates: CertificateLookup,
  region: string,
): ListenerRecord[] {
  const added: ListenerRecord[] = []
  inputs.forEach((input, index) => {
    const listener = normalizeListener(input, index)
    const taken = [...existing, ...added].find((l) => l.loadBalancerPort === listener.loadBalancerPort)
    if (taken !== undefined) {
      if (!sameListener(taken, listener)) {
        throw new DuplicateListener(messages.duplicateListener(loadBalancerName, listener.loadBalancerPort))
      }
      return
    }
    added.push(listener)
  })

  const all = [...existing, ...added]
  for (const listener of added) {
    const conflicting = all.find(
      (other) => other.instancePort === listener.instancePort && isSecure(other.instanceProtocol) !== isSecure(listener.instanceProtocol),
    )
    if (conflicting !== undefined) throw new InvalidConfigurationRequest(messages.securityMismatch(listener.instancePort))
  }
  for (const listener of added) {
    if (listener.sslCertificateId !== undefined) requireCertificate(listener.sslCertificateId, certificates, region)
  }
  if (all.length > MAX_LISTENERS) throw new InvalidConfigurationRequest(messages.tooManyListeners(MAX_LISTENERS))
  return added
}

/** An SSLCertificateId must name an IAM server certificate, or an issued ACM certificate of the region, that the engine knows. */
export function requireCertificate(arn: string, certificates: CertificateLookup, region: string): void {
  if (certificates.serverCertificateByArn(arn, region) === undefined) throw new CertificateNotFound(messages.certificateNotFound(arn))
}
