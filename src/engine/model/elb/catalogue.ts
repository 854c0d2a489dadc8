import type {PolicyAttributeDescription, PolicyTypeDescription} from '@aws-sdk/client-elastic-load-balancing'
import {loadData} from '../../../common/data.js'

import {POLICY_TYPES} from './vocabulary.js'

export {POLICY_TYPES}

export type Cardinality = 'ONE' | 'ZERO_OR_ONE' | 'ZERO_OR_MORE' | 'ONE_OR_MORE'

export interface AttributeType {
  readonly AttributeName: string
  readonly AttributeType: string
  readonly DefaultValue?: string
  readonly Cardinality: Cardinality
}

export interface PolicyType {
  readonly PolicyTypeName: string
  readonly Description: string
  readonly PolicyAttributeTypeDescriptions: readonly AttributeType[]
}

interface PolicyTypesData {
  readonly PolicyTypeDescriptions: readonly PolicyType[]
}

export interface PredefinedPolicy {
  readonly PolicyName: string
  readonly PolicyTypeName: string
  readonly aliases?: readonly string[]
  readonly PolicyAttributeDescriptions: readonly {readonly AttributeName: string; readonly AttributeValue: string}[]
}

interface PredefinedPoliciesData {
  readonly defaultPolicyName: string
  readonly attributeOrder: readonly string[]
  readonly policies: readonly PredefinedPolicy[]
}

export function policyTypes(): readonly PolicyType[] {
  return loadData<PolicyTypesData>('elb-policy-types.json').PolicyTypeDescriptions
}

export function policyType(name: string): PolicyType | undefined {
  return policyTypes().find((type) => type.PolicyTypeName === name)
}

export function predefinedPolicies(): readonly PredefinedPolicy[] {
  return loadData<PredefinedPoliciesData>('elb-predefined-policies.json').policies
}

/** A predefined policy by its current name or a historical alias (ELBSample-…NegotiationPolicy). */
export function predefinedPolicy(name: string): PredefinedPolicy | undefined {
  return predefinedPolicies().find((policy) => policy.PolicyName === name || (policy.aliases ?? []).includes(name))
}

/** The policy AWS attaches to every new HTTPS/SSL listener: ELBSecurityPolicy-2016-08. */
export function defaultSecurityPolicyName(): string {
  return loadData<PredefinedPoliciesData>('elb-predefined-policies.json').defaultPolicyName
}

/** The 93 attributes every SSL negotiation policy lists, in AWS's order. */
export function sslAttributeOrder(): readonly string[] {
  return loadData<PredefinedPoliciesData>('elb-predefined-policies.json').attributeOrder
}

/** A catalogue entry as the wire shape (the data file's engine-only hints left out). */
export function policyTypeDescription(type: PolicyType): PolicyTypeDescription {
  return {
    PolicyTypeName: type.PolicyTypeName,
    Description: type.Description,
    PolicyAttributeTypeDescriptions: type.PolicyAttributeTypeDescriptions.map((attribute) => ({
      AttributeName: attribute.AttributeName,
      AttributeType: attribute.AttributeType,
      ...(attribute.DefaultValue === undefined ? {} : {DefaultValue: attribute.DefaultValue}),
      Cardinality: attribute.Cardinality,
    })),
  }
}

export function predefinedAttributes(policy: PredefinedPolicy): PolicyAttributeDescription[] {
  return policy.PolicyAttributeDescriptions.map((a) => ({AttributeName: a.AttributeName, AttributeValue: a.AttributeValue}))
}
