/**
 * The engine's desired state: what the control plane persists and what the data plane reads as an
 * immutable snapshot. Runtime facts (health, open connections) are not here; they are recomputed.
 *
 * Field names are camelCase; the API layer maps them to AWS member names at the edge.
 */

import type {AcmCertificateRecord, NetworkState, Platform, TagRecord} from './network-types.js'
import type {AlarmRecord} from './alarm-types.js'

export type Protocol = 'HTTP' | 'HTTPS' | 'TCP' | 'SSL'

export interface ListenerRecord {
  readonly protocol: Protocol
  readonly loadBalancerPort: number
  readonly instanceProtocol: Protocol
  readonly instancePort: number
  /** Only kept for HTTPS/SSL listeners (AWS discards it on HTTP/TCP). */
  readonly sslCertificateId?: string
  /** Policies enabled on this listener, in the order they were set. */
  readonly policyNames: readonly string[]
}

export interface PolicyAttribute {
  readonly name: string
  readonly value: string
}

export interface PolicyRecord {
  readonly name: string
  readonly typeName: string
  /** As DescribeLoadBalancerPolicies returns them (SSL policies fully expanded). */
  readonly attributes: readonly PolicyAttribute[]
}

export interface BackendServerRecord {
  readonly instancePort: number
  readonly policyNames: readonly string[]
}

export interface HealthCheckRecord {
  /** Verbatim as given, e.g. `HTTP:8080/ping`. */
  readonly target: string
  readonly interval: number
  readonly timeout: number
  readonly unhealthyThreshold: number
  readonly healthyThreshold: number
}

export interface RegisteredInstance {
  readonly instanceId: string
  /** The private IP the instance had when it was registered: the LB keeps routing there (as the seed warns). */
  readonly privateIp: string
  readonly availabilityZone: string
  /** ISO-8601 time of registration. */
  readonly registeredAt: string
}

export interface LoadBalancerAttributesRecord {
  readonly crossZoneLoadBalancing: boolean
  readonly accessLog: {
    readonly enabled: boolean
    readonly s3BucketName?: string
    readonly emitInterval?: number
    readonly s3BucketPrefix?: string
  }
  readonly connectionDraining: {readonly enabled: boolean; readonly timeout: number}
  readonly idleTimeout: number
  /** AdditionalAttributes, e.g. `elb.http.desyncmitigationmode` = `defensive`. */
  readonly additional: readonly {readonly key: string; readonly value: string}[]
}

export type {TagRecord} from './network-types.js'

export interface LoadBalancerRecord {
  readonly name: string
  readonly dnsName: string
  /** ISO-8601 with milliseconds. */
  readonly createdTime: string
  readonly scheme: 'internet-facing' | 'internal'
  /** The loopback address this load balancer's listeners bind to locally (127.x.y.z). */
  readonly localAddress: string
  readonly availabilityZones: readonly string[]
  readonly subnets: readonly string[]
  readonly securityGroups: readonly string[]
  readonly vpcId?: string
  readonly listeners: readonly ListenerRecord[]
  readonly backendServers: readonly BackendServerRecord[]
  /** Every policy on the load balancer, in creation order. */
  readonly policies: readonly PolicyRecord[]
  readonly healthCheck: HealthCheckRecord
  /** In registration order. */
  readonly instances: readonly RegisteredInstance[]
  readonly attributes: LoadBalancerAttributesRecord
  readonly tags: readonly TagRecord[]
}

export type InstanceState = 'pending' | 'running' | 'stopped' | 'terminated'

export type ServeProtocol = 'http' | 'https'

/** A port a demo instance answers on (the engine runs a small backend there). */
export interface ServeSpec {
  readonly protocol: ServeProtocol
  readonly port: number
}

/** A local stand-in for an EC2 instance. */
export interface InstanceRecord {
  readonly instanceId: string
  readonly privateIp: string
  readonly availabilityZone: string
  readonly state: InstanceState
  readonly launchTime: string
  /** When it was terminated (ISO 8601); the engine forgets it an hour later, as EC2 does. */
  readonly terminatedAt?: string
  /** Demo backends the engine runs on this instance's IP while it is running. */
  readonly serve: readonly ServeSpec[]
  /** What RunInstances was given (EC2 API); absent for instances launched by `elb-local run-instances`. */
  readonly imageId?: string
  readonly instanceType?: string
  /** The RunInstances call that launched it (`r-…`). */
  readonly reservationId?: string
  readonly tags?: readonly TagRecord[]
  /**
   * In a VPC account: where the instance was launched. `subnetIp` is the private address the API
   * shows (inside the subnet, what security groups see); `privateIp` stays the loopback address
   * that carries its traffic.
   */
  readonly vpcId?: string
  readonly subnetId?: string
  readonly subnetIp?: string
  readonly securityGroupIds?: readonly string[]
  /** Launched without naming a group (it got the VPC's default one): the data plane does not filter its traffic. */
  readonly securityGroupsDefaulted?: boolean
}

export interface RegionState {
  /** In creation order. */
  readonly loadBalancers: readonly LoadBalancerRecord[]
  readonly instances: readonly InstanceRecord[]
  /** EC2 networking (absent until the region's first networking write, and on EC2-Classic). */
  readonly network?: NetworkState
  /** ACM certificates of this region, in creation order. */
  readonly acmCertificates?: readonly AcmCertificateRecord[]
  /** CloudWatch metric alarms of this region, in creation order (absent until the first one). */
  readonly alarms?: readonly AlarmRecord[]
}

export interface ServerCertificateRecord {
  readonly name: string
  readonly id: string
  readonly path: string
  readonly arn: string
  readonly certificateBody: string
  readonly certificateChain?: string
  /** PEM. The state file that holds it is mode 0600. Never returned by the API. */
  readonly privateKey: string
  readonly uploadDate: string
  readonly expiration: string
  readonly tags: readonly TagRecord[]
}

export interface IamState {
  readonly serverCertificates: readonly ServerCertificateRecord[]
}

export interface EngineState {
  readonly formatVersion: 1
  readonly accountId: string
  /** Absent in state files written before VPC support: read as `ec2-classic` there (see store.ts). */
  readonly platform?: Platform
  /** Keyed by region name, e.g. `us-east-1`. */
  readonly regions: Readonly<Record<string, RegionState>>
  /** IAM is global. */
  readonly iam: IamState
}

/** Health as DescribeInstanceHealth reports it. */
export interface InstanceHealth {
  readonly state: 'InService' | 'OutOfService' | 'Unknown'
  readonly reasonCode: 'ELB' | 'Instance' | 'N/A'
  readonly description: string
}

/** What the model asks of the runtime health checker (injected; the model never imports it). */
export interface HealthView {
  instanceHealth(region: string, loadBalancerName: string, instanceId: string): InstanceHealth | undefined
  /** Instances deregistered from this load balancer whose connections are still draining. */
  drainingInstances(region: string, loadBalancerName: string): readonly string[]
}

/** What a listener needs to present a certificate (an IAM server certificate's or an ACM certificate's fields). */
export interface ServingCertificate {
  readonly arn: string
  readonly certificateBody: string
  readonly certificateChain?: string
  readonly privateKey: string
}

/**
 * How the ELB model resolves a listener's SSLCertificateId in `region`: an IAM server certificate,
 * or an ACM certificate of that region (model/serving-certificates.ts; the IAM service answers IAM's alone).
 */
export interface CertificateLookup {
  serverCertificateByArn(arn: string, region: string): ServingCertificate | undefined
}

/** Everything a model operation needs besides the state: the caller's region and injectables. */
export interface RequestContext {
  readonly region: string
  readonly requestId: string
}
