import type {LoadBalancerDescription} from '@aws-sdk/client-elastic-load-balancing'
import type {LoadBalancerRecord} from '../types.js'
import {healthCheckOutput} from './health-check.js'
import {hostedZoneIdFor} from './naming.js'
import {policiesSummary} from './policies.js'

/** EC2-Classic load balancers answer with the group every ELB's traffic comes from. */
const CLASSIC_SOURCE_SECURITY_GROUP = {OwnerAlias: 'amazon-elb', GroupName: 'amazon-elb-sg'}

/**
 * A load balancer as DescribeLoadBalancers returns it, members in the element order of AWS's
 * captured response (elb-api.md §2.1); SourceSecurityGroup, absent from that capture, comes last.
 */
export function loadBalancerDescription(lb: LoadBalancerRecord, region: string): LoadBalancerDescription {
  const hostedZoneId = hostedZoneIdFor(region)
  return {
    SecurityGroups: [...lb.securityGroups],
    LoadBalancerName: lb.name,
    CreatedTime: new Date(lb.createdTime),
    HealthCheck: healthCheckOutput(lb.healthCheck),
    ...(lb.vpcId === undefined ? {} : {VPCId: lb.vpcId}),
    ListenerDescriptions: lb.listeners.map((l) => ({
      PolicyNames: [...l.policyNames],
      Listener: {
        Protocol: l.protocol,
        LoadBalancerPort: l.loadBalancerPort,
        InstanceProtocol: l.instanceProtocol,
        InstancePort: l.instancePort,
        ...(l.sslCertificateId === undefined ? {} : {SSLCertificateId: l.sslCertificateId}),
      },
    })),
    Instances: lb.instances.map((i) => ({InstanceId: i.instanceId})),
    Policies: policiesSummary(lb),
    AvailabilityZones: [...lb.availabilityZones],
    CanonicalHostedZoneName: lb.dnsName,
    ...(hostedZoneId === undefined ? {} : {CanonicalHostedZoneNameID: hostedZoneId}),
    Scheme: lb.scheme,
    DNSName: lb.dnsName,
    // Only ports that have policies (moto PR #809: AWS omits the others).
    BackendServerDescriptions: lb.backendServers
      .filter((b) => b.policyNames.length > 0)
      .map((b) => ({InstancePort: b.instancePort, PolicyNames: [...b.policyNames]})),
    Subnets: [...lb.subnets],
    SourceSecurityGroup: {...CLASSIC_SOURCE_SECURITY_GROUP},
  }
}
