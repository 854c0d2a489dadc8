import type {LoadBalancerDescription, SourceSecurityGroup} from '@aws-sdk/client-elastic-load-balancing'
import type {LoadBalancerRecord} from '../types.js'
import {healthCheckOutput} from './health-check.js'
import {hostedZoneIdFor} from './naming.js'
import {policiesSummary} from './policies.js'

/**
 * A load balancer as DescribeLoadBalancers returns it, members in the element order of AWS's
 * captured response (elb-api.md §2.1); SourceSecurityGroup, absent from that capture, comes last.
 */
export function loadBalancerDescription(lb: LoadBalancerRecord, region: string, sourceSecurityGroup: SourceSecurityGroup): LoadBalancerDescription {
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
    SourceSecurityGroup: sourceSecurityGroup,
  }
}
