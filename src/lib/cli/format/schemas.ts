/** The legacy record types and their columns, as data (legacy `config/*-output.xml`). */
import type {
  HealthCheck,
  InstanceState,
  LoadBalancerDescription,
  PolicyDescription,
  PolicyTypeDescription,
  TagDescription,
} from '@aws-sdk/client-elastic-load-balancing'
import {
  formatAppCookiePolicies,
  formatBackendServers,
  formatHealthCheck,
  formatLbCookiePolicies,
  formatListeners,
  formatPolicyAttributeTypes,
  formatPolicyAttributes,
  formatSourceSecurityGroup,
  joinList,
  scalar,
} from './nested.js'
import type {RecordSchema} from './records.js'

/** Service timestamps are echoed as sent (`2013-05-24T21:15:31.280Z`). */
const timestamp = (value: Date | undefined): string | undefined => value?.toISOString()

/**
 * The three lists inside `<Policies>`: the formatted list when non-empty; `''` when `<Policies>`
 * has children but this list is empty (the column may then collapse); absent when `<Policies>` is
 * missing or has no children (`(nil)`).
 */
function policyList(lb: LoadBalancerDescription, list: 'app' | 'lb' | 'other'): string | undefined {
  const policies = lb.Policies
  if (policies === undefined) return undefined
  const {AppCookieStickinessPolicies: app, LBCookieStickinessPolicies: cookie, OtherPolicies: other} = policies
  if (app === undefined && cookie === undefined && other === undefined) return undefined
  const text =
    list === 'app' ? formatAppCookiePolicies(app) : list === 'lb' ? formatLbCookiePolicies(cookie) : (other ?? []).join(', ')
  return text
}

export const LOAD_BALANCER: RecordSchema<LoadBalancerDescription> = {
  recordType: 'LOAD_BALANCER',
  columns: [
    {header: 'NAME', short: true, value: (lb) => scalar(lb.LoadBalancerName)},
    {header: 'DNS_NAME', short: true, value: (lb) => scalar(lb.DNSName)},
    {header: 'CANONICAL_HOSTED_ZONE_NAME', short: false, value: (lb) => scalar(lb.CanonicalHostedZoneName)},
    {header: 'CANONICAL_HOSTED_ZONE_NAME_ID', short: false, value: (lb) => scalar(lb.CanonicalHostedZoneNameID)},
    {header: 'HEALTH_CHECK', short: false, value: (lb) => formatHealthCheck(lb.HealthCheck)},
    {header: 'AVAILABILITY_ZONES', short: false, value: (lb) => joinList(lb.AvailabilityZones)},
    {header: 'SUBNETS', short: false, value: (lb) => joinList(lb.Subnets)},
    {header: 'VPC_ID', short: false, value: (lb) => scalar(lb.VPCId)},
    {header: 'INSTANCE_ID', short: false, value: (lb) => joinList(lb.Instances?.map((instance) => instance.InstanceId ?? ''))},
    {header: 'LISTENER_DESCRIPTIONS', short: false, value: (lb) => formatListeners(lb.ListenerDescriptions)},
    {header: 'BACKEND_SERVER_DESCRIPTIONS', short: false, value: (lb) => formatBackendServers(lb.BackendServerDescriptions)},
    {header: 'APP_COOKIE_STICKINESS_POLICIES', short: false, collapsible: true, value: (lb) => policyList(lb, 'app')},
    {header: 'LB_COOKIE_STICKINESS_POLICIES', short: false, collapsible: true, value: (lb) => policyList(lb, 'lb')},
    {header: 'OTHER_POLICIES', short: false, collapsible: true, value: (lb) => policyList(lb, 'other')},
    {header: 'SOURCE_SECURITY_GROUP', short: false, value: (lb) => formatSourceSecurityGroup(lb.SourceSecurityGroup)},
    {header: 'SECURITY_GROUPS', short: false, value: (lb) => joinList(lb.SecurityGroups)},
    {header: 'CREATED_TIME', short: true, value: (lb) => timestamp(lb.CreatedTime)},
    {header: 'SCHEME', short: true, value: (lb) => scalar(lb.Scheme)},
  ],
}

export const INSTANCE_HEALTH: RecordSchema<InstanceState> = {
  recordType: 'INSTANCE_ID',
  columns: [
    {header: 'INSTANCE_ID', short: true, value: (state) => scalar(state.InstanceId)},
    {header: 'STATE', short: true, value: (state) => scalar(state.State)},
    {header: 'DESCRIPTION', short: true, value: (state) => scalar(state.Description)},
    {header: 'REASON-CODE', short: true, value: (state) => scalar(state.ReasonCode)},
  ],
}

export const INSTANCE_ID: RecordSchema<string> = {
  recordType: 'INSTANCE_ID',
  columns: [{header: 'INSTANCE_ID', short: true, value: scalar}],
}

export const HEALTH_CHECK: RecordSchema<HealthCheck> = {
  recordType: 'HEALTH_CHECK',
  columns: [
    {header: 'TARGET', short: true, value: (check) => scalar(check.Target)},
    {header: 'INTERVAL', short: true, value: (check) => scalar(check.Interval)},
    {header: 'TIMEOUT', short: true, value: (check) => scalar(check.Timeout)},
    {header: 'HEALTHY_THRESHOLD', short: true, value: (check) => scalar(check.HealthyThreshold)},
    {header: 'UNHEALTHY_THRESHOLD', short: true, value: (check) => scalar(check.UnhealthyThreshold)},
  ],
}

export const DNS_NAME: RecordSchema<string> = {
  recordType: 'DNS_NAME',
  columns: [{header: 'DNS_NAME', short: true, value: scalar}],
}

export const POLICY: RecordSchema<PolicyDescription> = {
  recordType: 'POLICY',
  columns: [
    {header: 'NAME', short: true, value: (policy) => scalar(policy.PolicyName)},
    {header: 'TYPE_NAME', short: true, value: (policy) => scalar(policy.PolicyTypeName)},
    {
      header: 'POLICY_ATTRIBUTE_DESCRIPTIONS',
      short: false,
      value: (policy) => formatPolicyAttributes(policy.PolicyAttributeDescriptions),
    },
  ],
}

export const POLICY_TYPE: RecordSchema<PolicyTypeDescription> = {
  recordType: 'POLICY_TYPE',
  columns: [
    {header: 'NAME', short: true, value: (type) => scalar(type.PolicyTypeName)},
    {header: 'DESCRIPTION', short: true, value: (type) => scalar(type.Description)},
    {
      header: 'POLICY_ATTRIBUTE_TYPE_DESCRIPTIONS',
      short: false,
      value: (type) => formatPolicyAttributeTypes(type.PolicyAttributeTypeDescriptions),
    },
  ],
}

/** Single-row list records: the whole list joined with `", "` in one cell. */
const listRecord = (recordType: string, header: string): RecordSchema<readonly string[]> => ({
  recordType,
  columns: [{header, short: true, value: joinList}],
})

export const AVAILABILITY_ZONES = listRecord('AVAILABILITY_ZONES', 'AVAILABILITY_ZONES')
export const SUBNETS = listRecord('SUBNETS', 'SUBNETS')
/** Record type without, header with an underscore: real 1.0.17.0 output. */
export const SECURITY_GROUPS = listRecord('SECURITYGROUPS', 'SECURITY_GROUPS')

/** Extension (tagging API, after 1.0.17.0): one row per tag. */
export const TAG: RecordSchema<{name: string; key: string; value: string | undefined}> = {
  recordType: 'TAG',
  columns: [
    {header: 'NAME', short: true, value: (tag) => scalar(tag.name)},
    {header: 'KEY', short: true, value: (tag) => scalar(tag.key)},
    {header: 'VALUE', short: true, value: (tag) => scalar(tag.value)},
  ],
}

export type TagRow = {name: string; key: string; value: string | undefined}
export const tagRows = (descriptions: readonly TagDescription[] | undefined): TagRow[] =>
  (descriptions ?? []).flatMap((description) =>
    (description.Tags ?? []).map((tag) => ({name: description.LoadBalancerName ?? '', key: tag.Key ?? '', value: tag.Value})),
  )
