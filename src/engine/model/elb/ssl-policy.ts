import {InvalidConfigurationRequest} from '../errors.js'
import type {PolicyAttribute} from '../types.js'
import {POLICY_TYPES, defaultSecurityPolicyName, policyType, predefinedPolicy, sslAttributeOrder} from './catalogue.js'
import {messages} from './messages.js'

export const REFERENCE_SECURITY_POLICY = 'Reference-Security-Policy'
const SSLV2 = 'Protocol-SSLv2'
const SERVER_ORDER = 'Server-Defined-Cipher-Order'

const isProtocol = (name: string) => name.startsWith('Protocol-')
const isCipher = (name: string) => !isProtocol(name) && name !== SERVER_ORDER && name !== REFERENCE_SECURITY_POLICY

/**
 * Expands the attributes given to CreateLoadBalancerPolicy for an SSLNegotiationPolicyType into the
 * full list DescribeLoadBalancerPolicies shows (elb-api.md §6.2):
 * - `Reference-Security-Policy=NAME` copies every flag of that predefined policy and keeps the
 *   reference as the first attribute (explicit flags given alongside are overridden by it);
 * - otherwise the 93 flags in AWS's order, each as given or else the type's `DefaultValue` (the seed:
 *   "Protocol SSLv3 is still enabled, because that is part of the default policy"); the
 *   at-least-one-protocol-and-cipher rule applies to that result. `Protocol-SSLv2`, dropped from
 *   AWS's current lists, is shown first only when it was given.
 * Attribute names and Boolean values must already be validated against the catalogue.
 */
export function expandSslPolicyAttributes(given: readonly PolicyAttribute[]): PolicyAttribute[] {
  const reference = given.find((a) => a.name === REFERENCE_SECURITY_POLICY)
  if (reference !== undefined) return referencePolicyAttributes(reference.value)

  const values = new Map(given.map((a) => [a.name, a.value]))
  const expanded: PolicyAttribute[] = []
  const sslv2 = values.get(SSLV2)
  if (sslv2 !== undefined) expanded.push({name: SSLV2, value: sslv2})
  const defaults = sslAttributeDefaults()
  for (const name of sslAttributeOrder()) expanded.push({name, value: values.get(name) ?? defaults.get(name) ?? 'false'})

  const enabled = expanded.filter((a) => a.value === 'true').map((a) => a.name)
  if (!enabled.some(isProtocol) || !enabled.some(isCipher)) {
    throw new InvalidConfigurationRequest(messages.sslNeedsProtocolAndCipher)
  }
  return expanded
}

let sslDefaults: ReadonlyMap<string, string> | undefined

/** SSLNegotiationPolicyType's advertised DefaultValues (DescribeLoadBalancerPolicyTypes). */
export function sslAttributeDefaults(): ReadonlyMap<string, string> {
  if (sslDefaults === undefined) {
    const attributes = policyType(POLICY_TYPES.sslNegotiation)?.PolicyAttributeTypeDescriptions ?? []
    sslDefaults = new Map(attributes.flatMap((a) => (a.DefaultValue === undefined ? [] : [[a.AttributeName, a.DefaultValue.toLowerCase()]])))
  }
  return sslDefaults
}

/** `Reference-Security-Policy` first, then every flag of the named predefined policy. */
export function referencePolicyAttributes(predefinedName: string): PolicyAttribute[] {
  const predefined = predefinedPolicy(predefinedName)
  if (predefined === undefined) throw new InvalidConfigurationRequest(messages.referencedPolicyNotFound(predefinedName))
  return [
    {name: REFERENCE_SECURITY_POLICY, value: predefinedName},
    ...predefined.PolicyAttributeDescriptions.map((a) => ({name: a.AttributeName, value: a.AttributeValue})),
  ]
}

/** The copy of ELBSecurityPolicy-2016-08 AWS creates on a load balancer for its HTTPS/SSL listeners. */
export function defaultSecurityPolicyAttributes(): PolicyAttribute[] {
  return referencePolicyAttributes(defaultSecurityPolicyName())
}
