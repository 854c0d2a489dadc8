/**
 * Classic ELB's names and protocol predicates, dependency-free so that the model, the data plane
 * and the web console (src/console, a browser bundle) read them from one place.
 */
/** The policy type names of Classic ELB, as DescribeLoadBalancerPolicyTypes returns them. */
export const POLICY_TYPES = {
  proxyProtocol: 'ProxyProtocolPolicyType',
  publicKey: 'PublicKeyPolicyType',
  appCookie: 'AppCookieStickinessPolicyType',
  lbCookie: 'LBCookieStickinessPolicyType',
  sslNegotiation: 'SSLNegotiationPolicyType',
  backendServerAuthentication: 'BackendServerAuthenticationPolicyType',
} as const

/** HTTPS and SSL: a listener or back end that speaks TLS. */
export const isSecure = (protocol: string): boolean => protocol === 'HTTPS' || protocol === 'SSL'
/** HTTP and HTTPS: the load balancer reads requests (layer 7), not just bytes. */
export const isLayer7 = (protocol: string): boolean => protocol === 'HTTP' || protocol === 'HTTPS'
