/** Typed wrappers over the ELB and IAM actions the console uses, parsed from AWS's XML. */
import {call, members, memberStructs, type Params} from './api.js'
import {children, text} from './xml.js'

export interface Listener {
  readonly protocol: string
  readonly loadBalancerPort: number
  readonly instanceProtocol: string
  readonly instancePort: number
  readonly sslCertificateId?: string
  readonly policyNames: string[]
}

export interface HealthCheck {
  readonly target: string
  readonly interval: number
  readonly timeout: number
  readonly unhealthyThreshold: number
  readonly healthyThreshold: number
}

export interface LoadBalancer {
  readonly name: string
  readonly dnsName: string
  readonly scheme: string
  readonly zones: string[]
  /** In a VPC: its id, subnets and security groups ('' and empty lists on EC2-Classic). */
  readonly vpcId: string
  readonly subnets: string[]
  readonly securityGroups: string[]
  readonly listeners: Listener[]
  readonly instances: string[]
  readonly healthCheck: HealthCheck
  readonly created: string
  readonly sourceSecurityGroup: string
  readonly backends: {instancePort: number; policyNames: string[]}[]
  readonly policies: {app: string[]; lb: string[]; other: string[]}
}

function parseLoadBalancer(element: Element): LoadBalancer {
  return {
    name: text(element, 'LoadBalancerName'),
    dnsName: text(element, 'DNSName'),
    scheme: text(element, 'Scheme'),
    zones: children(element, 'AvailabilityZones').map((zone) => zone.textContent),
    vpcId: text(element, 'VPCId'),
    subnets: children(element, 'Subnets').map((subnet) => subnet.textContent),
    securityGroups: children(element, 'SecurityGroups').map((group) => group.textContent),
    listeners: children(element, 'ListenerDescriptions').map((description) => {
      const certificate = text(description, 'Listener/SSLCertificateId')
      return {
        protocol: text(description, 'Listener/Protocol'),
        loadBalancerPort: Number(text(description, 'Listener/LoadBalancerPort')),
        instanceProtocol: text(description, 'Listener/InstanceProtocol'),
        instancePort: Number(text(description, 'Listener/InstancePort')),
        ...(certificate === '' ? {} : {sslCertificateId: certificate}),
        policyNames: children(description, 'PolicyNames').map((name) => name.textContent),
      }
    }),
    instances: children(element, 'Instances').map((instance) => text(instance, 'InstanceId')),
    healthCheck: {
      target: text(element, 'HealthCheck/Target'),
      interval: Number(text(element, 'HealthCheck/Interval')),
      timeout: Number(text(element, 'HealthCheck/Timeout')),
      unhealthyThreshold: Number(text(element, 'HealthCheck/UnhealthyThreshold')),
      healthyThreshold: Number(text(element, 'HealthCheck/HealthyThreshold')),
    },
    created: text(element, 'CreatedTime'),
    sourceSecurityGroup: `${text(element, 'SourceSecurityGroup/OwnerAlias')}/${text(element, 'SourceSecurityGroup/GroupName')}`,
    backends: children(element, 'BackendServerDescriptions').map((backend) => ({
      instancePort: Number(text(backend, 'InstancePort')),
      policyNames: children(backend, 'PolicyNames').map((name) => name.textContent),
    })),
    policies: {
      app: children(element, 'Policies/AppCookieStickinessPolicies').map((policy) => text(policy, 'PolicyName')),
      lb: children(element, 'Policies/LBCookieStickinessPolicies').map((policy) => text(policy, 'PolicyName')),
      other: children(element, 'Policies/OtherPolicies').map((policy) => policy.textContent),
    },
  }
}

/** Every load balancer (DescribeLoadBalancers, following NextMarker in pages of 400). */
export async function describeLoadBalancers(names: readonly string[] = []): Promise<LoadBalancer[]> {
  const all: LoadBalancer[] = []
  let marker: string | undefined
  do {
    const result = await call('elb', 'DescribeLoadBalancers', {
      ...members('LoadBalancerNames', names), ...(names.length === 0 ? {PageSize: 400} : {}), Marker: marker,
    })
    all.push(...children(result, 'LoadBalancerDescriptions').map(parseLoadBalancer))
    marker = text(result, 'NextMarker') || undefined
  } while (marker !== undefined)
  return all
}

/**
 * Whether a load balancer of this name exists, looked up in the whole list: asking for the name
 * itself answers 400 LoadBalancerNotFound when it is free, which the browser logs as a failed request.
 */
export async function loadBalancerExists(name: string): Promise<boolean> {
  return (await describeLoadBalancers()).some((lb) => lb.name === name)
}

export interface InstanceState {
  readonly instanceId: string
  readonly state: string
  readonly reasonCode: string
  readonly description: string
}

export async function describeInstanceHealth(name: string): Promise<InstanceState[]> {
  const result = await call('elb', 'DescribeInstanceHealth', {LoadBalancerName: name})
  return children(result, 'InstanceStates').map((state) => ({
    instanceId: text(state, 'InstanceId'),
    state: text(state, 'State'),
    reasonCode: text(state, 'ReasonCode'),
    description: text(state, 'Description'),
  }))
}

export interface ListenerInput {
  readonly protocol: string
  readonly loadBalancerPort: number
  readonly instanceProtocol: string
  readonly instancePort: number
  readonly sslCertificateId?: string | undefined
}

export function listenerParams(prefix: string, listeners: readonly ListenerInput[]): Params {
  return memberStructs(prefix, listeners.map((listener) => ({
    Protocol: listener.protocol,
    LoadBalancerPort: listener.loadBalancerPort,
    InstanceProtocol: listener.instanceProtocol,
    InstancePort: listener.instancePort,
    SSLCertificateId: listener.sslCertificateId,
  })))
}

/** Where a new load balancer goes: zones or subnets (a VPC's), with its groups and scheme in a VPC. */
export interface Placement {
  readonly zones?: readonly string[]
  readonly subnets?: readonly string[]
  readonly securityGroups?: readonly string[]
  readonly internal?: boolean
}

export async function createLoadBalancer(name: string, listeners: readonly ListenerInput[], placement: Placement): Promise<string> {
  const where: Params = {
    ...members('AvailabilityZones', placement.zones ?? []), ...members('Subnets', placement.subnets ?? []),
    ...members('SecurityGroups', placement.securityGroups ?? []), ...(placement.internal === true ? {Scheme: 'internal'} : {}),
  }
  const result = await call('elb', 'CreateLoadBalancer', {LoadBalancerName: name, ...listenerParams('Listeners', listeners), ...where})
  return text(result, 'DNSName')
}

export async function deleteLoadBalancer(name: string): Promise<void> {
  await call('elb', 'DeleteLoadBalancer', {LoadBalancerName: name})
}

export async function createPolicy(lb: string, policyName: string, typeName: string, attributes: readonly [string, string][]): Promise<void> {
  await call('elb', 'CreateLoadBalancerPolicy', {
    LoadBalancerName: lb, PolicyName: policyName, PolicyTypeName: typeName,
    ...memberStructs('PolicyAttributes', attributes.map(([name, value]) => ({AttributeName: name, AttributeValue: value}))),
  })
}

export interface PolicyDescription {
  readonly name: string
  readonly typeName: string
  readonly attributes: [string, string][]
}

export async function describePolicies(lb?: string, names: readonly string[] = []): Promise<PolicyDescription[]> {
  const result = await call('elb', 'DescribeLoadBalancerPolicies', {LoadBalancerName: lb, ...members('PolicyNames', names)})
  return children(result, 'PolicyDescriptions').map((policy) => ({
    name: text(policy, 'PolicyName'),
    typeName: text(policy, 'PolicyTypeName'),
    attributes: children(policy, 'PolicyAttributeDescriptions').map((attribute) =>
      [text(attribute, 'AttributeName'), text(attribute, 'AttributeValue')] as [string, string]),
  }))
}

export interface PolicyType {
  readonly name: string
  readonly description: string
  readonly attributes: {name: string; type: string; defaultValue: string; cardinality: string; description: string}[]
}

export async function describePolicyTypes(names: readonly string[] = []): Promise<PolicyType[]> {
  const result = await call('elb', 'DescribeLoadBalancerPolicyTypes', members('PolicyTypeNames', names))
  return children(result, 'PolicyTypeDescriptions').map((type) => ({
    name: text(type, 'PolicyTypeName'),
    description: text(type, 'Description'),
    attributes: children(type, 'PolicyAttributeTypeDescriptions').map((attribute) => ({
      name: text(attribute, 'AttributeName'),
      type: text(attribute, 'AttributeType'),
      defaultValue: text(attribute, 'DefaultValue'),
      cardinality: text(attribute, 'Cardinality'),
      description: text(attribute, 'Description'),
    })),
  }))
}

export async function setPoliciesOfListener(lb: string, port: number, policyNames: readonly string[]): Promise<void> {
  await call('elb', 'SetLoadBalancerPoliciesOfListener', {
    LoadBalancerName: lb, LoadBalancerPort: port, ...(policyNames.length === 0 ? {PolicyNames: ''} : members('PolicyNames', policyNames)),
  })
}

export async function setPoliciesForBackend(lb: string, port: number, policyNames: readonly string[]): Promise<void> {
  await call('elb', 'SetLoadBalancerPoliciesForBackendServer', {
    LoadBalancerName: lb, InstancePort: port, ...(policyNames.length === 0 ? {PolicyNames: ''} : members('PolicyNames', policyNames)),
  })
}

export async function configureHealthCheck(lb: string, check: HealthCheck): Promise<void> {
  await call('elb', 'ConfigureHealthCheck', {
    LoadBalancerName: lb,
    'HealthCheck.Target': check.target,
    'HealthCheck.Interval': check.interval,
    'HealthCheck.Timeout': check.timeout,
    'HealthCheck.UnhealthyThreshold': check.unhealthyThreshold,
    'HealthCheck.HealthyThreshold': check.healthyThreshold,
  })
}

export async function registerInstances(lb: string, ids: readonly string[]): Promise<void> {
  await call('elb', 'RegisterInstancesWithLoadBalancer', {LoadBalancerName: lb, ...memberStructs('Instances', ids.map((id) => ({InstanceId: id})))})
}

export async function deregisterInstances(lb: string, ids: readonly string[]): Promise<void> {
  await call('elb', 'DeregisterInstancesFromLoadBalancer', {LoadBalancerName: lb, ...memberStructs('Instances', ids.map((id) => ({InstanceId: id})))})
}

export interface Attributes {
  crossZone: boolean
  draining: boolean
  drainingTimeout: number
  idleTimeout: number
  accessLog: boolean
  accessLogBucket: string
  accessLogPrefix: string
  accessLogInterval: number
  desyncMode: string
}

const DESYNC_KEY = 'elb.http.desyncmitigationmode'

export async function describeAttributes(lb: string): Promise<Attributes> {
  const result = await call('elb', 'DescribeLoadBalancerAttributes', {LoadBalancerName: lb})
  const attributes = children(result, 'LoadBalancerAttributes/AdditionalAttributes')
  const desync = attributes.find((attribute) => text(attribute, 'Key') === DESYNC_KEY)
  return {
    crossZone: text(result, 'LoadBalancerAttributes/CrossZoneLoadBalancing/Enabled') === 'true',
    draining: text(result, 'LoadBalancerAttributes/ConnectionDraining/Enabled') === 'true',
    drainingTimeout: Number(text(result, 'LoadBalancerAttributes/ConnectionDraining/Timeout') || '300'),
    idleTimeout: Number(text(result, 'LoadBalancerAttributes/ConnectionSettings/IdleTimeout') || '60'),
    accessLog: text(result, 'LoadBalancerAttributes/AccessLog/Enabled') === 'true',
    accessLogBucket: text(result, 'LoadBalancerAttributes/AccessLog/S3BucketName'),
    accessLogPrefix: text(result, 'LoadBalancerAttributes/AccessLog/S3BucketPrefix'),
    accessLogInterval: Number(text(result, 'LoadBalancerAttributes/AccessLog/EmitInterval') || '60'),
    desyncMode: desync === undefined ? 'defensive' : text(desync, 'Value'),
  }
}

export async function modifyAttributes(lb: string, attributes: Attributes): Promise<void> {
  const prefix = 'LoadBalancerAttributes'
  await call('elb', 'ModifyLoadBalancerAttributes', {
    LoadBalancerName: lb,
    [`${prefix}.CrossZoneLoadBalancing.Enabled`]: attributes.crossZone,
    [`${prefix}.ConnectionDraining.Enabled`]: attributes.draining,
    [`${prefix}.ConnectionDraining.Timeout`]: attributes.drainingTimeout,
    [`${prefix}.ConnectionSettings.IdleTimeout`]: attributes.idleTimeout,
    [`${prefix}.AccessLog.Enabled`]: attributes.accessLog,
    ...(attributes.accessLog ? {
      [`${prefix}.AccessLog.S3BucketName`]: attributes.accessLogBucket,
      [`${prefix}.AccessLog.S3BucketPrefix`]: attributes.accessLogPrefix,
      [`${prefix}.AccessLog.EmitInterval`]: attributes.accessLogInterval,
    } : {}),
    [`${prefix}.AdditionalAttributes.member.1.Key`]: DESYNC_KEY,
    [`${prefix}.AdditionalAttributes.member.1.Value`]: attributes.desyncMode,
  })
}

export async function createListeners(lb: string, listeners: readonly ListenerInput[]): Promise<void> {
  await call('elb', 'CreateLoadBalancerListeners', {LoadBalancerName: lb, ...listenerParams('Listeners', listeners)})
}

export async function deleteListeners(lb: string, ports: readonly number[]): Promise<void> {
  await call('elb', 'DeleteLoadBalancerListeners', {LoadBalancerName: lb, ...members('LoadBalancerPorts', ports)})
}

export async function setListenerCertificate(lb: string, port: number, arn: string): Promise<void> {
  await call('elb', 'SetLoadBalancerListenerSSLCertificate', {LoadBalancerName: lb, LoadBalancerPort: port, SSLCertificateId: arn})
}

export async function deletePolicy(lb: string, policyName: string): Promise<void> {
  await call('elb', 'DeleteLoadBalancerPolicy', {LoadBalancerName: lb, PolicyName: policyName})
}

export async function createStickinessPolicy(lb: string, policyName: string, kind: 'lb' | 'app', value: string): Promise<void> {
  await (kind === 'lb'
    ? call('elb', 'CreateLBCookieStickinessPolicy', {LoadBalancerName: lb, PolicyName: policyName, CookieExpirationPeriod: value === '' ? undefined : value})
    : call('elb', 'CreateAppCookieStickinessPolicy', {LoadBalancerName: lb, PolicyName: policyName, CookieName: value}))
}

export async function describeTags(lb: string): Promise<[string, string][]> {
  const result = await call('elb', 'DescribeTags', members('LoadBalancerNames', [lb]))
  return children(result, 'TagDescriptions').flatMap((description) =>
    children(description, 'Tags').map((tag) => [text(tag, 'Key'), text(tag, 'Value')] as [string, string]))
}

export async function addTags(lb: string, key: string, value: string): Promise<void> {
  await call('elb', 'AddTags', {...members('LoadBalancerNames', [lb]), 'Tags.member.1.Key': key, 'Tags.member.1.Value': value})
}

export async function removeTags(lb: string, key: string): Promise<void> {
  await call('elb', 'RemoveTags', {...members('LoadBalancerNames', [lb]), 'Tags.member.1.Key': key})
}
