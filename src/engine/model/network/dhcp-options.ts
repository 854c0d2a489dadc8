import {stableIds} from './ids.js'

/**
 * The DHCP options set every VPC of a Region uses: the one AWS creates with the account
 * (`domain-name` ec2.internal in us-east-1, REGION.compute.internal elsewhere; AmazonProvidedDNS).
 * It is derived, not stored: the engine has no CreateDhcpOptions, so it is the only set.
 */
export interface DhcpOptions {
  readonly dhcpOptionsId: string
  readonly configurations: readonly {readonly key: string; readonly values: readonly string[]}[]
}

export function defaultDhcpOptions(accountId: string, region: string): DhcpOptions {
  return {
    dhcpOptionsId: stableIds(accountId, region, 'dhcp')('dopt'),
    configurations: [
      {key: 'domain-name', values: [region === 'us-east-1' ? 'ec2.internal' : `${region}.compute.internal`]},
      {key: 'domain-name-servers', values: ['AmazonProvidedDNS']},
    ],
  }
}
