/**
 * Every error text the ELB model answers with, in one table so a wording found in a real AWS
 * capture can be corrected in one place. Texts marked (observed) were seen from AWS in public
 * captures (shared/reference/elb-api.md §1.5); the others are our AWS-style choices, recorded in
 * docs/decisions.md under "ELB model".
 */
export const messages = {
  // Load balancers
  /** (observed) every per-LB operation */
  noActiveLoadBalancer: (name: string) => `There is no ACTIVE Load Balancer named '${name}'`,
  /** (observed) DescribeLoadBalancers with LoadBalancerNames */
  cannotFindLoadBalancer: (name: string) => `Cannot find Load Balancer ${name}`,
  /** (observed in Outscale's AWS-compatible conformance tests and Giant Swarm's AWS error matching) */
  duplicateLoadBalancerName: (name: string) =>
    `Load Balancer named '${name}' already exists and it is configured with different parameters.`,
  tooManyLoadBalancers: (max: number) =>
    `The quota for the number of load balancers (${max}) has been reached for this account in this region.`,
  /** (observed) */
  nameTooLong: 'LoadBalancer name cannot be longer than 32 characters',
  /** (observed) */
  nameBadCharacters: 'LoadBalancer name cannot contain characters that are not letters, or digits or the dash.',
  nameEmpty: 'LoadBalancer name cannot be empty',
  nameHyphenEnds: 'LoadBalancer name cannot begin or end with a dash.',
  /** (observed, AWS ValidationError for a CreateLoadBalancer with neither) */
  zonesOrSubnetsRequired: 'Either AvailabilityZones or SubnetIds must be specified',
  invalidAvailabilityZone: (zone: string) => `Invalid Availability Zone: ${zone}`,
  cannotRemoveAllZones: 'Cannot remove all Availability Zones from the LoadBalancer; at least one must remain enabled.',
  subnetNotFound: (subnets: readonly string[]) =>
    `The subnet ID${subnets.length > 1 ? 's' : ''} '${subnets.join(', ')}' ${subnets.length > 1 ? 'do' : 'does'} not exist`,
  vpcOnly: (what: string) => `${what} is only supported for load balancers in a VPC`,
  // Load balancers in a VPC (sources: docs/decisions.md, "Classic ELB in a VPC: errors")
  /** (observed, goamz's ELB fixture from AWS) */
  zonesAndSubnets: 'Only one of SubnetIds or AvailabilityZones may be specified',
  /** (observed, hashicorp/terraform-aws-vault#65, 409) */
  subnetsShareZone: 'ELB cannot be attached to multiple subnets in the same AZ.',
  /** (observed, hashicorp/terraform#30261, ansible-modules-core#4275, 409) */
  securityGroupOutsideVpc: (group: string, vpc: string) => `Security group "${group}" does not belong to VPC "${vpc}"`,
  /** the security-group wording applied to a subnet */
  subnetOutsideVpc: (subnet: string, vpc: string) => `Subnet "${subnet}" does not belong to VPC "${vpc}"`,
  /** (model doc text) */
  securityGroupsNotFound: 'One or more of the specified security groups do not exist.',
  /** (observed, boto/boto3#177) */
  tooManySecurityGroups: 'The maximum number of security groups per load balancer has been reached.',
  /** (observed, giantswarm/aws-operator#1231: AmazonElasticLoadBalancing, 400) */
  noInternetGateway: (vpc: string) => `VPC ${vpc} has no internet gateway`,
  /** (observed, ansible/ansible-modules-core#1718, 409) */
  defaultVpcNotFound: 'Default VPC not found',
  /** EC2's wording for a zone without a default subnet */
  noDefaultSubnet: (zone: string) => `No default subnet for availability zone: '${zone}'.`,
  /** (observed, quoted from AWS in a public Terraform configuration) */
  instanceOutsideVpc: (id: string) => `EC2 instance ${id} is not in the same VPC as ELB.`,
  /** (observed, mitchellh/vagrant-aws#250, code ValidationError) */
  cannotEnableZonesInVpc: 'You cannot enable Availability Zones for ELBs in a non default VPC',
  /** (observed, mitchellh/vagrant-aws#250, code ValidationError) */
  cannotDisableZonesInVpc: 'You cannot disable Availability Zones for ELBs in VPC.',
  cannotDetachAllSubnets: 'Cannot detach all subnets from the LoadBalancer; at least one must remain attached.',
  invalidScheme: (scheme: string) =>
    `The specified value for the scheme is not valid: ${scheme}. Valid values are internet-facing and internal.`,

  // Listeners
  listenersEmpty: 'Listeners cannot be empty',
  unsupportedProtocol: (protocol: string) =>
    `Protocol ${protocol} is not supported. Valid protocols are HTTP, HTTPS, TCP and SSL.`,
  protocolMismatch: (port: number, protocol: string, instanceProtocol: string) =>
    `Listener on LoadBalancerPort ${port}: InstanceProtocol ${instanceProtocol} cannot be used with Protocol ${protocol}. ` +
    'HTTP and HTTPS listeners need an HTTP or HTTPS InstanceProtocol; TCP and SSL listeners need TCP or SSL.',
  securityMismatch: (instancePort: number) =>
    `Listeners with InstancePort ${instancePort} must all use a secure InstanceProtocol (HTTPS or SSL) or all use an insecure one (HTTP or TCP).`,
  loadBalancerPortRange: (port: number) => `LoadBalancerPort ${port} is not valid; it must be between 1 and 65535.`,
  instancePortRange: (port: number) => `InstancePort ${port} is not valid; it must be between 1 and 65535.`,
  /** (observed) */
  secureListenerNeedsCertificate: 'Secure Listeners need to specify a SSLCertificateId',
  /** (observed) */
  certificateNotFound: (arn: string) => `Server Certificate not found for the key: ${arn}`,
  /** (observed) */
  duplicateListener: (name: string, port: number) =>
    `A listener already exists for ${name} with LoadBalancerPort ${port}, but with a different InstancePort, Protocol, or SSLCertificateId`,
  tooManyListeners: (max: number) => `The quota for the number of listeners per load balancer (${max}) has been reached.`,
  listenerNotFound: (name: string, port: number) => `There is no listener with LoadBalancerPort ${port} for load balancer ${name}`,
  listenerNotSecure: (port: number) =>
    `The listener on LoadBalancerPort ${port} does not use HTTPS or SSL, so it cannot have an SSL certificate.`,

  // Instances
  /** (observed, deregistering an instance that is not registered) */
  couldNotFindInstance: (id: string) => `Could not find EC2 instance ${id}.`,
  /**
   * AWS's text, then how to make the instance exist on this engine (clients key on the code) — or,
   * for `InstanceId=i-…` (aws-cli's `--instances` shorthand takes bare ids, so the whole word
   * arrives as the id), the id to send instead.
   */
  couldNotFindInstanceToRegister: (id: string) => {
    const bare = /^InstanceId=(\S+)$/i.exec(id)?.[1]
    if (bare !== undefined) {
      return `Could not find EC2 instance ${id}. aws-cli's --instances takes bare instance ids: --instances ${bare} ` +
        `(InstanceId=${bare} arrives as the id itself).`
    }
    return `Could not find EC2 instance ${id}. Launch it on this engine first: elb-local run-instances --id ${id} ` +
      `(or EC2 RunInstances on this endpoint with the tag elb-local:instance-id=${id}).`
  },
  /**
   * DescribeInstanceHealth naming an instance that exists but was never registered with the load
   * balancer: the InvalidInstance (InvalidEndPointException) text of AWS's API reference.
   */
  endpointNotValid: 'The specified endpoint is not valid.',
  /** (observed, k8s issue 74694: registering an instance that is not running) */
  instanceNotRunning: (id: string) => `EC2 instance ${id} is not in running state.`,
  tooManyInstances: (max: number) =>
    `The quota for the number of instances registered with a load balancer (${max}) has been reached.`,

  // Health check
  /** (observed) */
  targetNeedsPort: 'HealthCheck Target must specify a port number',
  /** moto's wording (not verified against AWS) */
  targetProtocol: 'HealthCheck Target must begin with one of HTTP, TCP, HTTPS, SSL',
  targetNeedsPath: (protocol: string) => `HealthCheck Target with protocol ${protocol} must specify a ping path starting with '/'`,
  targetNoPath: (protocol: string) => `HealthCheck Target with protocol ${protocol} cannot specify a ping path`,
  targetPortRange: (port: string) => `HealthCheck Target port ${port} is not valid; it must be between 1 and 65535.`,
  targetPathCharacters: "HealthCheck Target ping path may contain only printable ASCII characters other than space and '#'",
  targetTooLong: 'HealthCheck Target cannot be longer than 1024 characters',
  intervalNotGreaterThanTimeout: 'Health check interval must be greater than the timeout.',

  // Policies
  /** (observed) */
  policyNotFound: (policy: string, lb: string) => `There is no policy with name ${policy} for load balancer ${lb}`,
  samplePolicyNotFound: (policy: string) => `There is no policy with name ${policy}`,
  policyTypeNotFound: (type: string) => `There is no policy type with name ${type}`,
  /** (observed, medium confidence) */
  duplicatePolicyName: (policy: string) => `Policy Name [${policy}] already exists.`,
  tooManyPolicies: (max: number) => `The quota for the number of policies for this load balancer (${max}) has been reached.`,
  policyNameInvalid: (policy: string) =>
    `Policy name ${policy} is not valid: it must contain only alphanumeric characters and dashes.`,
  policyNameReserved: (policy: string) =>
    `Policy name ${policy} is not valid: names beginning with ELBSecurityPolicy- or ELBSample- are reserved.`,
  /** (observed, terraform issue 8340) */
  unknownPolicyAttribute: (attribute: string) => `PolicyAttribute '${attribute}' is not defined in the policy type`,
  /** (observed, terraform issue 8340) */
  policyAttributeNameCharacters: 'PolicyAttributeName may only contain non-whitespace printable ASCII characters',
  missingPolicyAttribute: (attribute: string, type: string) => `Policy type ${type} requires the attribute ${attribute}`,
  repeatedPolicyAttribute: (attribute: string, type: string) =>
    `The attribute ${attribute} can be given only once for policy type ${type}`,
  badAttributeValue: (attribute: string, value: string, kind: string) =>
    `Invalid value '${value}' for attribute ${attribute}: expected ${kind}`,
  /** Eucalyptus' wording (peer) */
  referencedPolicyNotFound: (policy: string) => `Referenced security policy ${policy} is not found`,
  sslNeedsProtocolAndCipher: 'An SSL negotiation policy must enable at least one protocol and one cipher.',
  publicKeyPolicyWrongType: (policy: string) => `Policy ${policy} referenced by PublicKeyPolicyName is not a PublicKeyPolicyType policy`,
  /** (observed, ProxyProtocol policy set on a listener) */
  cannotBeEnabled: (policy: string) => `${policy} cannot be enabled`,
  policyNotForListenerProtocol: (policy: string, type: string, port: number, protocol: string) =>
    `${policy} cannot be enabled: a ${type} policy cannot be enabled on the ${protocol} listener on LoadBalancerPort ${port}`,
  oneSslPolicyPerListener: 'A listener can have only one SSLNegotiationPolicyType policy',
  oneStickinessPolicyPerListener: 'A listener can have only one stickiness policy',
  backendAuthNeedsSecurePort: (policy: string, port: number) =>
    `${policy} cannot be enabled: InstancePort ${port} is not used by a listener with InstanceProtocol HTTPS or SSL`,
  policyInUse: (policy: string) =>
    `Policy ${policy} cannot be deleted because it is enabled on a listener or back-end server, or referenced by another policy`,
  cookieExpirationNegative: 'CookieExpirationPeriod must not be negative',

  // Attributes
  attributeNotFound: (key: string) => `The specified load balancer attribute does not exist: ${key}`,
  desyncModeInvalid: (value: string) =>
    `Invalid value '${value}' for elb.http.desyncmitigationmode; valid values are monitor, defensive and strictest`,
  drainingTimeoutRange: (timeout: number) =>
    `ConnectionDraining timeout ${timeout} is not valid; it must be between 1 and 3600 seconds.`,
  accessLogNeedsBucket: 'S3BucketName must be specified when access logs are enabled',
  /** (observed, cloud-custodian issue 4510, Classic ELB) */
  accessLogPrefixCharacters:
    'S3Bucket prefix can only contain combination of uppercase letters, lowercase letters, numbers, periods (.), dashes (-), underscores (_) and slashes (/)',
  /** (S3's own InvalidBucketName message) */
  accessLogBucketInvalid: (bucket: string) => `The specified bucket is not valid: ${bucket}`,
  accessLogPrefixSegments: (prefix: string) =>
    `S3BucketPrefix ${prefix} is not valid: it must not start with a slash or contain empty, '.' or '..' segments.`,
  accessLogInterval: (interval: number) => `AccessLog EmitInterval ${interval} is not valid; it must be 5 or 60 minutes.`,

  // Tags
  /** (observed, model doc text) */
  tooManyTags: 'The quota for the number of tags that can be assigned to a load balancer has been reached.',
  duplicateTagKeys: (key: string) => `A tag key was specified more than once: ${key}`,

  // Paging
  invalidMarker: 'Invalid value for Marker',
} as const

/** AWS's Coral wording for a model constraint violation (what the API edge also produces). */
export function constraintViolation(path: string, value: string | number | boolean | null | undefined, constraint: string): string {
  const shown = value === undefined || value === null ? 'null' : `'${String(value)}'`
  return `1 validation error detected: Value ${shown} at '${path}' failed to satisfy constraint: ${constraint}`
}
