/** Records for tests that drive the store directly (it does not validate them). */
import type {Draft} from '../../src/engine/model/store.js'
import type {LoadBalancerRecord} from '../../src/engine/model/types.js'

/** A load balancer record with what the store needs; the store does not validate records. */
export function testLoadBalancer(name: string, extra: Partial<LoadBalancerRecord> = {}): Draft<LoadBalancerRecord> {
  return {
    name, dnsName: `${name}.example`, createdTime: '2026-01-01T00:00:00.000Z', scheme: 'internet-facing',
    localAddress: '127.1.0.1', availabilityZones: ['us-east-1a'], subnets: [], securityGroups: [], listeners: [],
    backendServers: [], policies: [], instances: [], tags: [],
    healthCheck: {target: 'TCP:80', interval: 30, timeout: 5, unhealthyThreshold: 2, healthyThreshold: 10},
    attributes: {crossZoneLoadBalancing: false, accessLog: {enabled: false}, connectionDraining: {enabled: false, timeout: 300}, idleTimeout: 60, additional: []},
    ...extra,
  } as Draft<LoadBalancerRecord>
}

