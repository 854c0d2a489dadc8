import {describe, expect, it} from '@jest/globals'
import {portsSentTo, servedPorts} from '../../../../src/engine/model/instance-serving.js'
import type {InstanceRecord, ListenerRecord, LoadBalancerRecord, Protocol, RegionState} from '../../../../src/engine/model/types.js'
import {testLoadBalancer} from '../../../helpers/records.js'

/** The rules that pick what an instance without a serve list serves (model/instance-serving.ts). */

const listener = (protocol: Protocol, port: number, instanceProtocol: Protocol, instancePort: number): ListenerRecord =>
  ({protocol, loadBalancerPort: port, instanceProtocol, instancePort, policyNames: []})

function lb(name: string, listeners: ListenerRecord[], target: string, instanceIds: string[]): LoadBalancerRecord {
  return testLoadBalancer(name, {
    listeners,
    healthCheck: {target, interval: 30, timeout: 5, unhealthyThreshold: 2, healthyThreshold: 2},
    instances: instanceIds.map((instanceId) => ({instanceId, privateIp: '127.0.0.2', availabilityZone: 'us-east-1a', registeredAt: '2026-01-01T00:00:00.000Z'})),
  })
}

const instance = (instanceId: string, serve: InstanceRecord['serve'] = []): InstanceRecord =>
  ({instanceId, privateIp: '127.0.0.2', availabilityZone: 'us-east-1a', state: 'running', launchTime: '2026-01-01T00:00:00.000Z', serve})

describe('portsSentTo / servedPorts', () => {
  it('maps instance protocols: HTTP and TCP to http, HTTPS and SSL to https; adds the health check port last', () => {
    const region: RegionState = {
      loadBalancers: [lb('a', [listener('HTTP', 80, 'HTTP', 8080), listener('SSL', 443, 'SSL', 8443), listener('TCP', 25, 'TCP', 2525),
        listener('HTTPS', 8444, 'HTTPS', 9443)], 'HTTP:7070/ping', ['i-1'])],
      instances: [instance('i-1')],
    }
    expect(servedPorts(instance('i-1'), portsSentTo(region))).toEqual([
      {protocol: 'http', port: 8080}, {protocol: 'https', port: 8443}, {protocol: 'http', port: 2525},
      {protocol: 'https', port: 9443}, {protocol: 'http', port: 7070},
    ])
  })

  it('serves one back end per port: listeners before health checks, the first load balancer first', () => {
    const region: RegionState = {
      loadBalancers: [
        lb('first', [listener('HTTP', 80, 'HTTP', 8080)], 'SSL:8443', ['i-1']),
        lb('second', [listener('SSL', 443, 'SSL', 8443), listener('TCP', 81, 'TCP', 8080)], 'TCP:8443', ['i-1']),
      ],
      instances: [instance('i-1')],
    }
    expect(servedPorts(instance('i-1'), portsSentTo(region))).toEqual([{protocol: 'http', port: 8080}, {protocol: 'https', port: 8443}])
  })

  it('gives nothing to an unregistered instance, and an explicit serve list wins', () => {
    const region: RegionState = {loadBalancers: [lb('a', [listener('HTTP', 80, 'HTTP', 8080)], 'HTTP:8080/', ['i-1'])], instances: []}
    const sent = portsSentTo(region)
    expect(servedPorts(instance('i-2'), sent)).toEqual([])
    expect(servedPorts(instance('i-1', [{protocol: 'https', port: 443}]), sent)).toEqual([{protocol: 'https', port: 443}])
  })

  it('stops at 16 ports per instance', () => {
    const listeners = Array.from({length: 40}, (_, index) => listener('TCP', 1000 + index, 'TCP', 2000 + index))
    const region: RegionState = {loadBalancers: [lb('many', listeners, 'TCP:9999', ['i-1'])], instances: [instance('i-1')]}
    const served = servedPorts(instance('i-1'), portsSentTo(region))
    expect(served).toHaveLength(16)
    expect(served.at(-1)).toEqual({protocol: 'http', port: 2015})
  })
})
