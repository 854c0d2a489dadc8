/**
 * The `{k=v,…}` grammars of the long view (the legacy XSLT templates in
 * `common-output-handlers.xml`). Pure functions of SDK shapes.
 */
import type {
  AppCookieStickinessPolicy,
  BackendServerDescription,
  HealthCheck,
  LBCookieStickinessPolicy,
  ListenerDescription,
  PolicyAttributeDescription,
  PolicyAttributeTypeDescription,
  SourceSecurityGroup,
} from '@aws-sdk/client-elastic-load-balancing'

const text = (value: string | number | undefined): string => (value === undefined ? '' : String(value))

/** Simple lists (zones, subnets, groups, instances, other policies): `a, b`; empty → absent. */
export function joinList(values: readonly string[] | undefined): string | undefined {
  return values === undefined || values.length === 0 ? undefined : values.join(', ')
}

/** A scalar element: absent or empty text prints as `(nil)`. */
export function scalar(value: string | number | undefined): string | undefined {
  return value === undefined || value === '' ? undefined : String(value)
}

export function formatHealthCheck(check: HealthCheck | undefined): string | undefined {
  if (check === undefined) return undefined
  return (
    `{interval=${text(check.Interval)},target=${text(check.Target)},timeout=${text(check.Timeout)},` +
    `healthy-threshold=${text(check.HealthyThreshold)},unhealthy-threshold=${text(check.UnhealthyThreshold)}}`
  )
}

/** `cert-id=` appears only when the protocol is exactly `HTTPS` or `SSL` (legacy XSLT). */
export function formatListeners(descriptions: readonly ListenerDescription[] | undefined): string | undefined {
  if (descriptions === undefined || descriptions.length === 0) return undefined
  return descriptions
    .map(({Listener: listener, PolicyNames: policies}) => {
      const secure = listener?.Protocol === 'HTTPS' || listener?.Protocol === 'SSL'
      const cert = secure ? `cert-id=${text(listener.SSLCertificateId)},` : ''
      return (
        `{protocol=${text(listener?.Protocol)},lb-port=${text(listener?.LoadBalancerPort)},` +
        `instance-protocol=${text(listener?.InstanceProtocol)},instance-port=${text(listener?.InstancePort)},` +
        `${cert}policies=${(policies ?? []).join(',')}}`
      )
    })
    .join(',')
}

export function formatBackendServers(descriptions: readonly BackendServerDescription[] | undefined): string | undefined {
  if (descriptions === undefined || descriptions.length === 0) return undefined
  return descriptions
    .map((backend) => `{instance-port=${text(backend.InstancePort)},policies=${(backend.PolicyNames ?? []).join(',')}}`)
    .join(',')
}

/** Present-but-empty lists inside `<Policies>` render as an empty field, not `(nil)`. */
export function formatAppCookiePolicies(policies: readonly AppCookieStickinessPolicy[] | undefined): string {
  return (policies ?? []).map((policy) => `{policy-name=${text(policy.PolicyName)},cookie-name=${text(policy.CookieName)}}`).join(',')
}

export function formatLbCookiePolicies(policies: readonly LBCookieStickinessPolicy[] | undefined): string {
  return (policies ?? [])
    .map((policy) => `{policy-name=${text(policy.PolicyName)},expiration-period=${text(policy.CookieExpirationPeriod)}}`)
    .join(',')
}

export function formatSourceSecurityGroup(group: SourceSecurityGroup | undefined): string | undefined {
  if (group === undefined) return undefined
  return `{owner-alias=${text(group.OwnerAlias)},group-name=${text(group.GroupName)}}`
}

export function formatPolicyAttributes(attributes: readonly PolicyAttributeDescription[] | undefined): string | undefined {
  if (attributes === undefined || attributes.length === 0) return undefined
  return attributes.map((attribute) => `{name=${text(attribute.AttributeName)},value=${text(attribute.AttributeValue)}}`).join(',')
}

export function formatPolicyAttributeTypes(
  types: readonly PolicyAttributeTypeDescription[] | undefined,
): string | undefined {
  if (types === undefined || types.length === 0) return undefined
  return types
    .map(
      (type) =>
        `{name=${text(type.AttributeName)},description=${text(type.Description)},type=${text(type.AttributeType)},` +
        `default-value=${text(type.DefaultValue)},cardinality=${text(type.Cardinality)}}`,
    )
    .join(',')
}
