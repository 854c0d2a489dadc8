import type {
  CreateAppCookieStickinessPolicyInput,
  CreateAppCookieStickinessPolicyOutput,
  CreateLBCookieStickinessPolicyInput,
  CreateLBCookieStickinessPolicyOutput,
  CreateLoadBalancerPolicyInput,
  CreateLoadBalancerPolicyOutput,
  DeleteLoadBalancerPolicyInput,
  DeleteLoadBalancerPolicyOutput,
  DescribeLoadBalancerPoliciesInput,
  DescribeLoadBalancerPoliciesOutput,
  DescribeLoadBalancerPolicyTypesInput,
  DescribeLoadBalancerPolicyTypesOutput,
  SetLoadBalancerPoliciesForBackendServerInput,
  SetLoadBalancerPoliciesForBackendServerOutput,
  SetLoadBalancerPoliciesOfListenerInput,
  SetLoadBalancerPoliciesOfListenerOutput,
} from '@aws-sdk/client-elastic-load-balancing'
import {InvalidConfigurationRequest, PolicyNotFound, PolicyTypeNotFound} from '../errors.js'
import type {RequestContext} from '../types.js'
import {
  POLICY_TYPES,
  policyTypeDescription,
  policyTypes,
  predefinedAttributes,
  predefinedPolicies,
  predefinedPolicy,
} from './catalogue.js'
import {messages} from './messages.js'
import {
  assertPolicyCanBeAdded,
  buildPolicy,
  isPolicyInUse,
  policyDescription,
  validateBackendPolicies,
  validateListenerPolicies,
} from './policies.js'
import {required, unique} from './validation.js'
import {addPolicy, attachDefaultSecurityPolicy, ElbServiceBase} from './service-base.js'
import {listenerOn} from './listeners.js'

/** The ELB policy operations (stickiness, SSL negotiation, back-end authentication, listener and back-end policy sets). */
export abstract class ElbPolicyOperations extends ElbServiceBase {
  // ---- Policies -------------------------------------------------------------------------------

  createLoadBalancerPolicy(ctx: RequestContext, input: CreateLoadBalancerPolicyInput): CreateLoadBalancerPolicyOutput {
    const name = required(input.PolicyName, 'policyName')
    const typeName = required(input.PolicyTypeName, 'policyTypeName')
    this.mutateLoadBalancer(ctx, input.LoadBalancerName, (lb) => {
      assertPolicyCanBeAdded(lb, name)
      addPolicy(lb, buildPolicy(lb, name, typeName, input.PolicyAttributes ?? []))
    })
    return {}
  }

  createAppCookieStickinessPolicy(
    ctx: RequestContext,
    input: CreateAppCookieStickinessPolicyInput,
  ): CreateAppCookieStickinessPolicyOutput {
    const name = required(input.PolicyName, 'policyName')
    const cookieName = required(input.CookieName, 'cookieName')
    this.mutateLoadBalancer(ctx, input.LoadBalancerName, (lb) => {
      assertPolicyCanBeAdded(lb, name)
      addPolicy(lb, buildPolicy(lb, name, POLICY_TYPES.appCookie, [{AttributeName: 'CookieName', AttributeValue: cookieName}]))
    })
    return {}
  }

  createLBCookieStickinessPolicy(ctx: RequestContext, input: CreateLBCookieStickinessPolicyInput): CreateLBCookieStickinessPolicyOutput {
    const name = required(input.PolicyName, 'policyName')
    const period = input.CookieExpirationPeriod
    const attributes = period === undefined ? [] : [{AttributeName: 'CookieExpirationPeriod', AttributeValue: String(period)}]
    this.mutateLoadBalancer(ctx, input.LoadBalancerName, (lb) => {
      assertPolicyCanBeAdded(lb, name)
      addPolicy(lb, buildPolicy(lb, name, POLICY_TYPES.lbCookie, attributes))
    })
    return {}
  }

  deleteLoadBalancerPolicy(ctx: RequestContext, input: DeleteLoadBalancerPolicyInput): DeleteLoadBalancerPolicyOutput {
    const name = required(input.PolicyName, 'policyName')
    this.mutateLoadBalancer(ctx, input.LoadBalancerName, (lb) => {
      // An unknown policy name is not an error (no PolicyNotFound is modelled for this call).
      if (isPolicyInUse(lb, name)) throw new InvalidConfigurationRequest(messages.policyInUse(name))
      lb.policies = lb.policies.filter((p) => p.name !== name)
    })
    return {}
  }

  describeLoadBalancerPolicies(ctx: RequestContext, input: DescribeLoadBalancerPoliciesInput): DescribeLoadBalancerPoliciesOutput {
    const names = unique(input.PolicyNames ?? [])
    if (input.LoadBalancerName === undefined || input.LoadBalancerName === '') {
      // No load balancer: AWS's predefined (sample) policies.
      const policies =
        names.length === 0
          ? predefinedPolicies().map((p) => ({name: p.PolicyName, policy: p}))
          : names.map((name) => {
              const policy = predefinedPolicy(name)
              if (policy === undefined) throw new PolicyNotFound(messages.samplePolicyNotFound(name))
              return {name, policy}
            })
      return {
        PolicyDescriptions: policies.map(({name, policy}) => ({
          PolicyName: name,
          PolicyTypeName: policy.PolicyTypeName,
          PolicyAttributeDescriptions: predefinedAttributes(policy),
        })),
      }
    }
    const lb = this.loadBalancer(ctx, input.LoadBalancerName)
    const policies =
      names.length === 0
        ? lb.policies
        : names.map((name) => {
            const policy = lb.policies.find((p) => p.name === name)
            if (policy === undefined) throw new PolicyNotFound(messages.policyNotFound(name, lb.name))
            return policy
          })
    return {PolicyDescriptions: policies.map(policyDescription)}
  }

  describeLoadBalancerPolicyTypes(
    _ctx: RequestContext,
    input: DescribeLoadBalancerPolicyTypesInput,
  ): DescribeLoadBalancerPolicyTypesOutput {
    const names = unique(input.PolicyTypeNames ?? [])
    const catalogue = policyTypes()
    const selected =
      names.length === 0
        ? catalogue
        : names.map((name) => {
            const type = catalogue.find((t) => t.PolicyTypeName === name)
            if (type === undefined) throw new PolicyTypeNotFound(messages.policyTypeNotFound(name))
            return type
          })
    return {PolicyTypeDescriptions: selected.map(policyTypeDescription)}
  }

  setLoadBalancerPoliciesOfListener(
    ctx: RequestContext,
    input: SetLoadBalancerPoliciesOfListenerInput,
  ): SetLoadBalancerPoliciesOfListenerOutput {
    const port = required(input.LoadBalancerPort, 'loadBalancerPort')
    const names = required(input.PolicyNames, 'policyNames')
    this.mutateLoadBalancer(ctx, input.LoadBalancerName, (lb) => {
      const policyNames = validateListenerPolicies(lb, port, names)
      const listener = listenerOn(lb, port)
      listener.policyNames = policyNames
      // An HTTPS/SSL listener always negotiates with some policy: left without one, it gets the default back.
      attachDefaultSecurityPolicy(lb)
    })
    return {}
  }

  setLoadBalancerPoliciesForBackendServer(
    ctx: RequestContext,
    input: SetLoadBalancerPoliciesForBackendServerInput,
  ): SetLoadBalancerPoliciesForBackendServerOutput {
    const port = required(input.InstancePort, 'instancePort')
    const names = required(input.PolicyNames, 'policyNames')
    this.mutateLoadBalancer(ctx, input.LoadBalancerName, (lb) => {
      const policyNames = validateBackendPolicies(lb, port, names)
      const others = lb.backendServers.filter((b) => b.instancePort !== port)
      const existing = lb.backendServers.find((b) => b.instancePort === port)
      if (policyNames.length === 0) {
        lb.backendServers = others
      } else if (existing === undefined) {
        lb.backendServers.push({instancePort: port, policyNames})
      } else {
        existing.policyNames = policyNames
      }
    })
    return {}
  }
}
