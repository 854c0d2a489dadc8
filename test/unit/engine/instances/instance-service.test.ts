import {describe, expect, it} from '@jest/globals'
import {parseServeSpecs, ServeSpecError} from '../../../../src/engine/instances/serve-spec.js'
import {InstanceService} from '../../../../src/engine/model/instance-service.js'
import {ServiceError} from '../../../../src/engine/model/errors.js'
import {Store} from '../../../../src/engine/model/store.js'

const now = () => new Date('2026-01-02T03:04:05.000Z')

describe('parseServeSpecs', () => {
  it('reads protocol:port lists and applies --port to bare protocols', () => {
    expect(parseServeSpecs('http:8080,https:443')).toEqual([{protocol: 'http', port: 8080}, {protocol: 'https', port: 443}])
    expect(parseServeSpecs('http', 9000)).toEqual([{protocol: 'http', port: 9000}])
    expect(parseServeSpecs('HTTPS')).toEqual([{protocol: 'https', port: 443}])
  })

  it('rejects anything else', () => {
    expect(() => parseServeSpecs('ftp:21')).toThrow(ServeSpecError)
    expect(() => parseServeSpecs('http:70000')).toThrow('Invalid port')
    expect(() => parseServeSpecs(',')).toThrow(ServeSpecError)
  })
})

describe('InstanceService', () => {
  it('gives the first free address and keeps addresses a load balancer still has registered', () => {
    const store = Store.inMemory()
    const service = new InstanceService(store, {now})
    const [a] = service.runInstances('us-east-1', {instanceId: 'i-00000001'})
    expect(a).toEqual({
      instanceId: 'i-00000001', privateIp: '127.0.0.2', availabilityZone: 'us-east-1a', state: 'running',
      launchTime: '2026-01-02T03:04:05.000Z', serve: [], reservationId: expect.stringMatching(/^r-[0-9a-f]{17}$/),
    })
    // A load balancer registered a.privateIp; a stopped-and-started a gets a new address, and the
    // old one is not handed to anybody else while the registration exists.
    store.updateRegion('us-east-1', (region) => {
      region.loadBalancers.push({
        name: 'lb', dnsName: 'x', createdTime: '', scheme: 'internet-facing', localAddress: '127.1.0.1',
        availabilityZones: ['us-east-1a'], subnets: [], securityGroups: [], listeners: [], backendServers: [], policies: [],
        healthCheck: {target: 'TCP:80', interval: 30, timeout: 5, unhealthyThreshold: 2, healthyThreshold: 10},
        instances: [{instanceId: 'i-00000001', privateIp: '127.0.0.2', availabilityZone: 'us-east-1a', registeredAt: ''}],
        attributes: {crossZoneLoadBalancing: false, accessLog: {enabled: false}, connectionDraining: {enabled: false, timeout: 300}, idleTimeout: 60, additional: []},
        tags: [],
      })
    })
    service.stopInstances('us-east-1', ['i-00000001'])
    const [restarted] = service.startInstances('us-east-1', ['i-00000001'])
    expect(restarted?.privateIp).toBe('127.0.0.3')
    const [b] = service.runInstances('us-east-1', {})
    expect(b?.privateIp).toBe('127.0.0.4')
  })

  it('starting a running instance and stopping a stopped one change nothing', () => {
    const service = new InstanceService(Store.inMemory(), {now})
    service.runInstances('us-east-1', {instanceId: 'i-00000001'})
    expect(service.startInstances('us-east-1', ['i-00000001'])[0]?.privateIp).toBe('127.0.0.2')
    service.stopInstances('us-east-1', ['i-00000001'])
    expect(service.stopInstances('us-east-1', ['i-00000001'])[0]?.state).toBe('stopped')
  })

  it('validates input and changes nothing on error', () => {
    const store = Store.inMemory()
    const service = new InstanceService(store, {now})
    const fails = (fn: () => unknown, code: string, message?: string) => {
      let caught: unknown
      try {
        fn()
      } catch (error) {
        caught = error
      }
      expect(caught).toBeInstanceOf(ServiceError)
      expect((caught as ServiceError).code).toBe(code)
      if (message !== undefined) expect((caught as ServiceError).message).toBe(message)
    }
    fails(() => service.runInstances('us-east-1', {instanceId: 'i-123'}), 'InvalidInstanceID.Malformed')
    fails(() => service.runInstances('us-east-1', {count: 2, instanceId: 'i-00000001'}), 'InvalidParameterCombination')
    fails(() => service.runInstances('us-east-1', {privateIp: '127.0.0.1'}), 'InvalidParameterValue')
    fails(() => service.runInstances('us-east-1', {privateIp: '127.1.0.9'}), 'InvalidParameterValue')
    fails(() => service.runInstances('us-east-1', {availabilityZone: 'us-east-1'}), 'InvalidParameterValue', 'Invalid availability zone: [us-east-1]')
    fails(() => service.runInstances('us-east-1', {serve: [{protocol: 'http', port: 80}, {protocol: 'https', port: 80}]}), 'InvalidParameterValue')
    fails(() => service.terminateInstances('us-east-1', ['i-0000000a', 'i-0000000b']), 'InvalidInstanceID.NotFound', "The instance IDs 'i-0000000a, i-0000000b' do not exist")
    expect(store.state.regions).toEqual({})
    service.runInstances('us-east-1', {privateIp: '127.0.0.9', availabilityZone: 'us-east-1c'})
    fails(() => service.runInstances('us-east-1', {privateIp: '127.0.0.9'}), 'InvalidIPAddress.InUse', 'Address 127.0.0.9 is in use.')
  })
})

describe('InstanceService limits and forgetting (issue 16)', () => {
  it('launches what fits between minCount and count under the demo back-end cap, else nothing', () => {
    const store = Store.inMemory()
    const service = new InstanceService(store, {now})
    const serve = Array.from({length: 16}, (_, i) => ({protocol: 'http' as const, port: 9000 + i}))
    expect(service.runInstances('us-east-1', {count: 50, serve})).toHaveLength(50)
    expect(service.runInstances('us-east-1', {count: 50, minCount: 1, serve})).toHaveLength(14)
    const before = store.state
    expect(() => service.runInstances('us-east-1', {count: 1, serve})).toThrow(expect.objectContaining({code: 'InstanceLimitExceeded'}))
    expect(store.state).toBe(before)
    // Instances without back ends are not limited by it.
    expect(service.runInstances('us-east-1', {count: 2})).toHaveLength(2)
  })

  it('forgets terminated instances at the cutoff and tells when the next one is due', () => {
    let clock = new Date('2026-01-02T00:00:00.000Z')
    const store = Store.inMemory()
    const service = new InstanceService(store, {now: () => clock})
    const [a, b, c] = service.runInstances('us-east-1', {count: 3})
    service.terminateInstances('us-east-1', [a?.instanceId ?? ''])
    clock = new Date('2026-01-02T00:10:00.000Z')
    service.terminateInstances('us-east-1', [b?.instanceId ?? '', a?.instanceId ?? ''])
    // Terminating again keeps the first termination time.
    expect(store.region('us-east-1').instances[0]?.terminatedAt).toBe('2026-01-02T00:00:00.000Z')
    expect(service.forgetTerminated(new Date('2026-01-01T23:59:59.000Z'))).toEqual({forgotten: 0, nextTerminatedAt: new Date('2026-01-02T00:00:00.000Z')})
    expect(service.forgetTerminated(new Date('2026-01-02T00:05:00.000Z'))).toEqual({forgotten: 1, nextTerminatedAt: new Date('2026-01-02T00:10:00.000Z')})
    expect(service.forgetTerminated(new Date('2026-01-02T00:10:00.000Z'))).toEqual({forgotten: 1})
    expect(store.region('us-east-1').instances.map((i) => i.instanceId)).toEqual([c?.instanceId])
  })

  it('accepts canonical dotted quads only', () => {
    const service = new InstanceService(Store.inMemory(), {now})
    for (const bad of ['127.0.0.010', '127.0.0.08', '127.0.0.0x8', '127.0.0', '127.0.0.256', '127.000.0.5', ' 127.0.0.5']) {
      expect(() => service.runInstances('us-east-1', {privateIp: bad})).toThrow('is not a valid IPv4 address')
    }
    expect(service.runInstances('us-east-1', {privateIp: '127.0.0.10'})[0]?.privateIp).toBe('127.0.0.10')
  })
})
