/**
 * EC2 networking and ACM records of one region: what a VPC account persists beside its load
 * balancers and instances. Every collection is keyed by the record's id (see `NETWORK_COLLECTIONS`),
 * in creation order. An EC2-Classic account (`platform: 'ec2-classic'`) has none of them.
 */

/** A resource tag (every kind of record carries them); types.ts re-exports it, so this file imports nothing. */
export interface TagRecord {
  readonly key: string
  readonly value?: string
}

export interface VpcRecord {
  readonly vpcId: string
  readonly cidrBlock: string
  /** The association id of the primary CIDR block (`vpc-cidr-assoc-…`). */
  readonly cidrBlockAssociationId: string
  readonly isDefault: boolean
  readonly instanceTenancy: 'default' | 'dedicated'
  readonly dhcpOptionsId: string
  readonly enableDnsSupport: boolean
  readonly enableDnsHostnames: boolean
  /** Added by the VPC API (ModifyVpcAttribute); absent = false. */
  readonly enableNetworkAddressUsageMetrics?: boolean
  readonly tags: readonly TagRecord[]
}

export interface SubnetRecord {
  readonly subnetId: string
  readonly vpcId: string
  readonly cidrBlock: string
  readonly availabilityZone: string
  readonly defaultForAz: boolean
  readonly mapPublicIpOnLaunch: boolean
  readonly tags: readonly TagRecord[]
}

/** One ingress or egress permission, as DescribeSecurityGroupRules lists it. */
export interface SecurityGroupRuleRecord {
  /** `sgr-…` */
  readonly ruleId: string
  /** `-1` (all), `tcp`, `udp`, `icmp`, `icmpv6` or a protocol number. */
  readonly ipProtocol: string
  /** -1 with protocol `-1` (and for all ICMP types). */
  readonly fromPort: number
  readonly toPort: number
  /** Exactly one of the sources (ingress) or destinations (egress) is set. */
  readonly cidrIpv4?: string
  readonly cidrIpv6?: string
  readonly referencedGroupId?: string
  readonly prefixListId?: string
  readonly description?: string
}

export interface SecurityGroupRecord {
  readonly groupId: string
  readonly groupName: string
  readonly description: string
  /** Absent for an EC2-Classic group. */
  readonly vpcId?: string
  readonly ingress: readonly SecurityGroupRuleRecord[]
  readonly egress: readonly SecurityGroupRuleRecord[]
  readonly tags: readonly TagRecord[]
}

export interface InternetGatewayRecord {
  readonly internetGatewayId: string
  /** At most one: an internet gateway attaches to one VPC. */
  readonly attachments: readonly {readonly vpcId: string}[]
  readonly tags: readonly TagRecord[]
}

export interface RouteRecord {
  readonly destinationCidrBlock: string
  /** `local` for the VPC's own range, `igw-…` for an internet gateway. */
  readonly gatewayId?: string
  readonly instanceId?: string
  readonly natGatewayId?: string
  readonly networkInterfaceId?: string
  readonly vpcPeeringConnectionId?: string
  readonly origin: 'CreateRouteTable' | 'CreateRoute'
}

export interface RouteTableAssociationRecord {
  /** `rtbassoc-…` */
  readonly associationId: string
  readonly main: boolean
  readonly subnetId?: string
  readonly gatewayId?: string
}

export interface RouteTableRecord {
  readonly routeTableId: string
  readonly vpcId: string
  readonly routes: readonly RouteRecord[]
  readonly associations: readonly RouteTableAssociationRecord[]
  readonly tags: readonly TagRecord[]
}

export interface NetworkAclEntryRecord {
  readonly ruleNumber: number
  /** `-1` or a protocol number, as EC2 reports it. */
  readonly protocol: string
  readonly ruleAction: 'allow' | 'deny'
  readonly egress: boolean
  readonly cidrBlock?: string
  readonly ipv6CidrBlock?: string
  readonly portRange?: {readonly from: number; readonly to: number}
  readonly icmpTypeCode?: {readonly type: number; readonly code: number}
}

export interface NetworkAclRecord {
  readonly networkAclId: string
  readonly vpcId: string
  readonly isDefault: boolean
  readonly entries: readonly NetworkAclEntryRecord[]
  readonly associations: readonly {readonly networkAclAssociationId: string; readonly subnetId: string}[]
  readonly tags: readonly TagRecord[]
}

/** An ACM certificate (imported, or issued by the engine's local CA). The private key never leaves the engine. */
export interface AcmCertificateRecord {
  readonly arn: string
  readonly domainName: string
  readonly subjectAlternativeNames: readonly string[]
  readonly type: 'IMPORTED' | 'AMAZON_ISSUED' | 'PRIVATE'
  readonly status: 'PENDING_VALIDATION' | 'ISSUED' | 'INACTIVE' | 'EXPIRED' | 'VALIDATION_TIMED_OUT' | 'REVOKED' | 'FAILED'
  readonly certificateBody: string
  readonly certificateChain?: string
  /** PEM. The state file that holds it is mode 0600. */
  readonly privateKey: string
  readonly serial: string
  readonly subject: string
  readonly issuer: string
  readonly keyAlgorithm: string
  readonly signatureAlgorithm: string
  readonly notBefore: string
  readonly notAfter: string
  /** ISO-8601 times. */
  readonly createdAt: string
  readonly importedAt?: string
  readonly issuedAt?: string
  readonly tags: readonly TagRecord[]
  /** ACM's KeyUsage names (`DIGITAL_SIGNATURE`…) and ExtendedKeyUsage names (`TLS_WEB_SERVER_AUTHENTICATION`…) of the certificate. */
  readonly keyUsages?: readonly string[]
  readonly extendedKeyUsages?: readonly string[]
  /** RequestCertificate's validation method and Options (AMAZON_ISSUED only). */
  readonly validationMethod?: 'DNS' | 'EMAIL' | 'HTTP'
  readonly transparencyLogging?: 'ENABLED' | 'DISABLED'
}

/** The networking records of a region, one array per kind. */
export interface NetworkState {
  readonly vpcs: readonly VpcRecord[]
  readonly subnets: readonly SubnetRecord[]
  readonly securityGroups: readonly SecurityGroupRecord[]
  readonly internetGateways: readonly InternetGatewayRecord[]
  readonly routeTables: readonly RouteTableRecord[]
  readonly networkAcls: readonly NetworkAclRecord[]
}

export type NetworkCollection = keyof NetworkState

/** Each collection's key: the diff, the journal and replay find a record by it. */
export const NETWORK_COLLECTIONS: {readonly [K in NetworkCollection]: (record: NetworkState[K][number]) => string} = {
  vpcs: (record) => record.vpcId,
  subnets: (record) => record.subnetId,
  securityGroups: (record) => record.groupId,
  internetGateways: (record) => record.internetGatewayId,
  routeTables: (record) => record.routeTableId,
  networkAcls: (record) => record.networkAclId,
}

export const NETWORK_COLLECTION_NAMES = Object.keys(NETWORK_COLLECTIONS) as NetworkCollection[]

export function emptyNetwork(): NetworkState {
  return {vpcs: [], subnets: [], securityGroups: [], internetGateways: [], routeTables: [], networkAcls: []}
}

/** Which world the account lives in: a default VPC per region (every account since 2013-12), or 2011's EC2-Classic. */
export type Platform = 'vpc' | 'ec2-classic'
