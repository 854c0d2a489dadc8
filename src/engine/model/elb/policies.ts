import type {
  PolicyAttribute as PolicyAttributeInput,
  Policies,
  PolicyDescription,
} from '@aws-sdk/client-elastic-load-balancing'
import {
  DuplicatePolicyName,
  InvalidConfigurationRequest,
  PolicyNotFound,
  PolicyTypeNotFound,
  TooManyPolicies,
  ValidationError,
} from '../errors.js'
import type {LoadBalancerRecord, PolicyAttribute, PolicyRecord} from '../types.js'
import {POLICY_TYPES, policyType, type AttributeType} from './catalogue.js'
import {isLayer7, isSecure, listenerOn} from './listeners.js'
import {messages} from './messages.js'
import {validatePolicyName} from './naming.js'
import {expandSslPolicyAttributes} from './ssl-policy.js'

/** Policies per load balancer (not published by AWS; the Kubernetes AWS provider notes 98). */
export const MAX_POLICIES = 98

/** Name rules, DuplicatePolicyName and TooManyPolicies for a policy about to be created on `lb`. */
export function assertPolicyCanBeAdded(lb: LoadBalancerRecord, name: string): void {
  validatePolicyName(name)
  if (lb.policies.some((p) => p.name === name)) throw new DuplicatePolicyName(messages.duplicatePolicyName(name))
  if (lb.policies.length >= MAX_POLICIES) throw new TooManyPolicies(messages.tooManyPolicies(MAX_POLICIES))
}

/**
 * Builds the record of a CreateLoadBalancerPolicy: the type must exist, every attribute must belong
 * to it with the right cardinality and value type; SSL negotiation policies are expanded (§6.2); a
 * back-end authentication policy may only name PublicKeyPolicyType policies of the same load balancer.
 */
export function buildPolicy(
  lb: LoadBalancerRecord,
  name: string,
  typeName: string,
  inputs: readonly PolicyAttributeInput[],
): PolicyRecord {
  const type = policyType(typeName)
  if (type === undefined) throw new PolicyTypeNotFound(messages.policyTypeNotFound(typeName))
  const given = inputs.map((input) => validateAttribute(type.PolicyAttributeTypeDescriptions, typeName, input))
  for (const attributeType of type.PolicyAttributeTypeDescriptions) {
    const count = given.filter((a) => a.name === attributeType.AttributeName).length
    const card = attributeType.Cardinality
    if ((card === 'ONE' || card === 'ONE_OR_MORE') && count === 0) {
      throw new InvalidConfigurationRequest(messages.missingPolicyAttribute(attributeType.AttributeName, typeName))
    }
    if ((card === 'ONE' || card === 'ZERO_OR_ONE') && count > 1) {
      throw new InvalidConfigurationRequest(messages.repeatedPolicyAttribute(attributeType.AttributeName, typeName))
    }
  }
  if (typeName === POLICY_TYPES.sslNegotiation) {
    return {name, typeName, attributes: expandSslPolicyAttributes(given)}
  }
  if (typeName === POLICY_TYPES.backendServerAuthentication) {
    for (const reference of given) {
      const referenced = lb.policies.find((p) => p.name === reference.value)
      if (referenced === undefined) throw new PolicyNotFound(messages.policyNotFound(reference.value, lb.name))
      if (referenced.typeName !== POLICY_TYPES.publicKey) {
        throw new InvalidConfigurationRequest(messages.publicKeyPolicyWrongType(reference.value))
      }
    }
  }
  if (typeName === POLICY_TYPES.lbCookie) {
    const period = given[0]
    if (period !== undefined && Number(period.value) < 0) throw new InvalidConfigurationRequest(messages.cookieExpirationNegative)
  }
  return {name, typeName, attributes: given}
}

function validateAttribute(types: readonly AttributeType[], typeName: string, input: PolicyAttributeInput): PolicyAttribute {
  const name = input.AttributeName ?? ''
  if (!/^[\x21-\x7e]+$/.test(name)) throw new ValidationError(messages.policyAttributeNameCharacters)
  const attributeType = types.find((t) => t.AttributeName === name)
  if (attributeType === undefined) throw new ValidationError(messages.unknownPolicyAttribute(name))
  const value = input.AttributeValue ?? ''
  switch (attributeType.AttributeType) {
    case 'Boolean': {
      const lower = value.toLowerCase()
      if (lower !== 'true' && lower !== 'false') throw new InvalidConfigurationRequest(messages.badAttributeValue(name, value, 'true or false'))
      return {name, value: lower}
    }
    case 'Long':
    case 'Integer':
      if (!/^-?\d+$/.test(value)) throw new InvalidConfigurationRequest(messages.badAttributeValue(name, value, 'a whole number'))
      return {name, value: String(Number(value))}
    default:
      if (value === '') throw new InvalidConfigurationRequest(messages.badAttributeValue(name, value, 'a non-empty string'))
      return {name, value}
  }
}

function findPolicy(lb: LoadBalancerRecord, name: string): PolicyRecord {
  const policy = lb.policies.find((p) => p.name === name)
  if (policy === undefined) throw new PolicyNotFound(messages.policyNotFound(name, lb.name))
  return policy
}

const STICKINESS: readonly string[] = [POLICY_TYPES.appCookie, POLICY_TYPES.lbCookie]

/**
 * Checks SetLoadBalancerPoliciesOfListener's list for the listener on `port` (which must exist):
 * stickiness only on HTTP/HTTPS, SSL negotiation only on HTTPS/SSL, at most one of each, and the
 * back-end types never on a listener. Returns the list without repeats.
 */
export function validateListenerPolicies(lb: LoadBalancerRecord, port: number, names: readonly string[]): string[] {
  const listener = listenerOn(lb, port)
  const unique = [...new Set(names)]
  const policies = unique.map((name) => findPolicy(lb, name))
  for (const policy of policies) {
    if (STICKINESS.includes(policy.typeName)) {
      if (!isLayer7(listener.protocol)) {
        throw new InvalidConfigurationRequest(messages.policyNotForListenerProtocol(policy.name, policy.typeName, port, listener.protocol))
      }
    } else if (policy.typeName === POLICY_TYPES.sslNegotiation) {
      if (!isSecure(listener.protocol)) {
        throw new InvalidConfigurationRequest(messages.policyNotForListenerProtocol(policy.name, policy.typeName, port, listener.protocol))
      }
    } else {
      throw new InvalidConfigurationRequest(messages.cannotBeEnabled(policy.name))
    }
  }
  if (policies.filter((p) => p.typeName === POLICY_TYPES.sslNegotiation).length > 1) {
    throw new InvalidConfigurationRequest(messages.oneSslPolicyPerListener)
  }
  if (policies.filter((p) => STICKINESS.includes(p.typeName)).length > 1) {
    throw new InvalidConfigurationRequest(messages.oneStickinessPolicyPerListener)
  }
  return unique
}

/**
 * Checks SetLoadBalancerPoliciesForBackendServer's list: only ProxyProtocol and back-end
 * authentication policies, the latter only on an InstancePort a listener reaches over HTTPS/SSL.
 */
export function validateBackendPolicies(lb: LoadBalancerRecord, instancePort: number, names: readonly string[]): string[] {
  const unique = [...new Set(names)]
  for (const policy of unique.map((name) => findPolicy(lb, name))) {
    if (policy.typeName === POLICY_TYPES.backendServerAuthentication) {
      const secure = lb.listeners.some((l) => l.instancePort === instancePort && isSecure(l.instanceProtocol))
      if (!secure) throw new InvalidConfigurationRequest(messages.backendAuthNeedsSecurePort(policy.name, instancePort))
    } else if (policy.typeName !== POLICY_TYPES.proxyProtocol) {
      throw new InvalidConfigurationRequest(messages.cannotBeEnabled(policy.name))
    }
  }
  return unique
}

/** Enabled on a listener or back-end port, or named by a back-end authentication policy. */
export function isPolicyInUse(lb: LoadBalancerRecord, name: string): boolean {
  return (
    lb.listeners.some((l) => l.policyNames.includes(name)) ||
    lb.backendServers.some((b) => b.policyNames.includes(name)) ||
    lb.policies.some((p) => p.typeName === POLICY_TYPES.backendServerAuthentication && p.attributes.some((a) => a.value === name))
  )
}

/** DescribeLoadBalancers' `Policies` (AWS's captured element order: App, Other, LB). */
export function policiesSummary(lb: LoadBalancerRecord): Policies {
  const attribute = (policy: PolicyRecord, name: string) => policy.attributes.find((a) => a.name === name)?.value
  return {
    AppCookieStickinessPolicies: lb.policies
      .filter((p) => p.typeName === POLICY_TYPES.appCookie)
      .map((p) => ({PolicyName: p.name, CookieName: attribute(p, 'CookieName') ?? ''})),
    OtherPolicies: lb.policies.filter((p) => !STICKINESS.includes(p.typeName)).map((p) => p.name),
    LBCookieStickinessPolicies: lb.policies
      .filter((p) => p.typeName === POLICY_TYPES.lbCookie)
      .map((p) => {
        const period = attribute(p, 'CookieExpirationPeriod')
        return period === undefined ? {PolicyName: p.name} : {PolicyName: p.name, CookieExpirationPeriod: Number(period)}
      }),
  }
}

export function policyDescription(policy: PolicyRecord): PolicyDescription {
  return {
    PolicyName: policy.name,
    PolicyTypeName: policy.typeName,
    PolicyAttributeDescriptions: policy.attributes.map((a) => ({AttributeName: a.name, AttributeValue: a.value})),
  }
}
