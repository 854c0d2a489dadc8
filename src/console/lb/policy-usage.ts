/**
 * Where each policy of a load balancer takes effect: the listeners (by load balancer port) and the
 * back-end instance ports it is set on, and, for a PublicKeyPolicyType policy, the ports of the
 * back-end authentication policies that name it. Read from DescribeLoadBalancers'
 * ListenerDescriptions / BackendServerDescriptions and the policies' attributes.
 */
import type {LoadBalancer, PolicyDescription} from '../elb.js'

const NOT_IN_USE = 'Not in use'

function directUses(lb: LoadBalancer, policy: string): string[] {
  return [
    ...lb.listeners.filter((listener) => listener.policyNames.includes(policy))
      .map((listener) => `Listener port ${listener.loadBalancerPort} (${listener.protocol})`),
    ...lb.backends.filter((backend) => backend.policyNames.includes(policy))
      .map((backend) => `Back-end instance port ${backend.instancePort}`),
  ]
}

/** For each policy, by name: where it is used, in words ([NOT_IN_USE] when nowhere). */
export function policyUsage(lb: LoadBalancer, policies: readonly PolicyDescription[]): Map<string, string[]> {
  const usage = new Map(policies.map((policy) => [policy.name, directUses(lb, policy.name)]))
  for (const policy of policies) {
    const publicKeys = policy.attributes.filter(([attribute]) => attribute === 'PublicKeyPolicyName').map(([, value]) => value)
    const ports = directUses(lb, policy.name)
    for (const publicKey of publicKeys) {
      const uses = usage.get(publicKey)
      if (uses === undefined) continue
      uses.push(...(ports.length === 0 ? [`${policy.name} (not in use)`] : ports.map((port) => `${port}, through ${policy.name}`)))
    }
  }
  for (const [name, uses] of usage) if (uses.length === 0) usage.set(name, [NOT_IN_USE])
  return usage
}
