import type {
  LoadBalancerRecord,
  ListenerRecord,
  PolicyRecord,
  Protocol,
} from '../model/types.js'
import type {ServingCertificate} from '../model/serving-certificates.js'
import {defaultSecurityPolicyName, POLICY_TYPES} from '../model/elb/catalogue.js'
import {isLayer7, isSecure} from '../model/elb/listeners.js'
import {defaultSecurityPolicyAttributes} from '../model/elb/ssl-policy.js'
import {localPort} from '../ports.js'
import {spkiOfPublicKeyAttribute} from './upstream/auth.js'
import {compileSslPolicy, type CompiledSslPolicy} from './tls/policy.js'

/**
 * Snapshot records compiled once into what the proxies read on every connection. Everything the
 * request path needs is precomputed here, so a policy or certificate change is just a new object.
 */

export type DesyncMode = 'monitor' | 'defensive' | 'strictest'

export type Stickiness =
  | {readonly kind: 'lb-cookie'; readonly policyName: string; readonly expirationPeriod?: number}
  | {readonly kind: 'app-cookie'; readonly policyName: string; readonly cookieName: string}

export interface FrontTls {
  readonly certificateArn: string
  readonly cert: string
  readonly key: string
  readonly policyName: string
  readonly policy: CompiledSslPolicy
}

export interface ListenerConfig {
  readonly protocol: Protocol
  readonly loadBalancerPort: number
  readonly instanceProtocol: Protocol
  readonly instancePort: number
  /** The port dialled on instances (privileged-port offset applied). */
  readonly instanceLocalPort: number
  readonly layer7: boolean
  readonly backendTls: boolean
  /** SPKI (base64 DER) keys an instance must present; undefined = any certificate is accepted. */
  readonly backendKeys: readonly string[] | undefined
  readonly proxyProtocol: boolean
  readonly stickiness: Stickiness | undefined
  /** HTTPS/SSL front end; undefined for HTTP/TCP or when `tlsError` says why it cannot serve. */
  readonly tls: FrontTls | undefined
  readonly tlsError: string | undefined
}

export interface AccessLogConfig {
  readonly bucket: string
  readonly prefix: string
  readonly emitIntervalMinutes: number
}

export interface LoadBalancerConfig {
  readonly idleTimeoutMs: number
  readonly desyncMode: DesyncMode
  readonly crossZone: boolean
  readonly drainingTimeoutMs: number | undefined
  readonly availabilityZones: readonly string[]
  readonly accessLog: AccessLogConfig | undefined
}

function attribute(policy: PolicyRecord, name: string): string | undefined {
  return policy.attributes.find(a => a.name === name)?.value
}

function policiesNamed(lb: LoadBalancerRecord, names: readonly string[]): PolicyRecord[] {
  const out: PolicyRecord[] = []
  for (const name of names) {
    const policy = lb.policies.find(p => p.name === name)
    if (policy) out.push(policy)
  }
  return out
}

function compileFrontTls(
  lb: LoadBalancerRecord,
  listener: ListenerRecord,
  certificates: readonly ServingCertificate[],
): {tls: FrontTls | undefined; error: string | undefined} {
  const arn = listener.sslCertificateId
  const certificate = arn === undefined ? undefined : certificates.find(c => c.arn === arn)
  if (arn === undefined || certificate === undefined) {
    return {tls: undefined, error: `server certificate ${arn ?? '(none)'} is not available locally (only IAM server certificates and issued ACM certificates of this region in this engine can be served)`}
  }
  const sslPolicy = policiesNamed(lb, listener.policyNames).find(p => p.typeName === POLICY_TYPES.sslNegotiation)
  // A listener left without a negotiation policy gets the default one, as AWS re-attaches it.
  const defaultName = defaultSecurityPolicyName()
  const attributes = sslPolicy?.attributes ?? defaultSecurityPolicyAttributes()
  const cert = certificate.certificateChain ? `${certificate.certificateBody.trim()}\n${certificate.certificateChain.trim()}\n` : certificate.certificateBody
  const policyName = sslPolicy?.name ?? defaultName
  const policy = compileSslPolicy(attributes)
  return {
    tls: {certificateArn: arn, cert, key: certificate.privateKey, policyName, policy},
    error: policy.usable
      ? undefined
      : `negotiation policy ${policyName} enables no protocol and cipher pair this engine's OpenSSL can offer ` +
        `(unavailable: ${policy.unsupported.join(', ') || 'none'}); every connection is refused`,
  }
}

function compileStickiness(lb: LoadBalancerRecord, listener: ListenerRecord): Stickiness | undefined {
  for (const policy of policiesNamed(lb, listener.policyNames)) {
    if (policy.typeName === POLICY_TYPES.lbCookie) {
      const period = attribute(policy, 'CookieExpirationPeriod')
      const seconds = period === undefined || period === '' ? undefined : Number(period)
      return seconds !== undefined && Number.isFinite(seconds) && seconds > 0
        ? {kind: 'lb-cookie', policyName: policy.name, expirationPeriod: seconds}
        : {kind: 'lb-cookie', policyName: policy.name}
    }
    if (policy.typeName === POLICY_TYPES.appCookie) {
      const cookieName = attribute(policy, 'CookieName')
      if (cookieName) return {kind: 'app-cookie', policyName: policy.name, cookieName}
    }
  }
  return undefined
}

function backendPolicies(lb: LoadBalancerRecord, instancePort: number): PolicyRecord[] {
  const backend = lb.backendServers.find(b => b.instancePort === instancePort)
  return backend ? policiesNamed(lb, backend.policyNames) : []
}

function compileBackendKeys(lb: LoadBalancerRecord, instancePort: number): string[] | undefined {
  const auth = backendPolicies(lb, instancePort).filter(p => p.typeName === POLICY_TYPES.backendServerAuthentication)
  if (auth.length === 0) return undefined
  const keys: string[] = []
  for (const policy of auth) {
    for (const a of policy.attributes) {
      if (a.name !== 'PublicKeyPolicyName') continue
      const keyPolicy = lb.policies.find(p => p.name === a.value && p.typeName === POLICY_TYPES.publicKey)
      const value = keyPolicy && attribute(keyPolicy, 'PublicKey')
      const spki = value === undefined ? undefined : spkiOfPublicKeyAttribute(value)
      if (spki !== undefined) keys.push(spki)
    }
  }
  // A policy whose keys are all unusable accepts nothing (fail closed).
  return keys
}

export function compileListener(
  lb: LoadBalancerRecord,
  listener: ListenerRecord,
  certificates: readonly ServingCertificate[],
  portOffset: number,
): ListenerConfig {
  const layer7 = isLayer7(listener.protocol)
  const backendTls = isSecure(listener.instanceProtocol)
  const front = isSecure(listener.protocol) ? compileFrontTls(lb, listener, certificates) : {tls: undefined, error: undefined}
  const proxyProtocol = !layer7 && backendPolicies(lb, listener.instancePort)
    .some(p => p.typeName === POLICY_TYPES.proxyProtocol && attribute(p, 'ProxyProtocol')?.toLowerCase() === 'true')
  return {
    protocol: listener.protocol,
    loadBalancerPort: listener.loadBalancerPort,
    instanceProtocol: listener.instanceProtocol,
    instancePort: listener.instancePort,
    instanceLocalPort: localPort(listener.instancePort, portOffset),
    layer7,
    backendTls,
    backendKeys: backendTls ? compileBackendKeys(lb, listener.instancePort) : undefined,
    proxyProtocol,
    stickiness: layer7 ? compileStickiness(lb, listener) : undefined,
    tls: front.tls,
    tlsError: front.error,
  }
}

export function compileLoadBalancer(lb: LoadBalancerRecord, timeScale: number): LoadBalancerConfig {
  const additional = lb.attributes.additional.find(a => a.key === 'elb.http.desyncmitigationmode')?.value
  const desyncMode: DesyncMode = additional === 'monitor' || additional === 'strictest' ? additional : 'defensive'
  const log = lb.attributes.accessLog
  return {
    idleTimeoutMs: Math.max(1, Math.round(lb.attributes.idleTimeout * 1000 * timeScale)),
    desyncMode,
    crossZone: lb.attributes.crossZoneLoadBalancing,
    drainingTimeoutMs: lb.attributes.connectionDraining.enabled
      ? Math.max(1, Math.round(lb.attributes.connectionDraining.timeout * 1000 * timeScale))
      : undefined,
    availabilityZones: lb.availabilityZones,
    accessLog: log.enabled
      ? {bucket: log.s3BucketName ?? 'bucket', prefix: log.s3BucketPrefix ?? '', emitIntervalMinutes: log.emitInterval ?? 60}
      : undefined,
  }
}
