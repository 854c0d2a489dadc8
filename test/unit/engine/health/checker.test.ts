import {describe, expect, it} from '@jest/globals'
import {HealthChecker} from '../../../../src/engine/health/checker.js'
import type {Clock, HealthChangeEvent, ProbeResult, ProbeTarget, TimerHandle} from '../../../../src/engine/health/types.js'
import {emptyState} from '../../../../src/engine/model/store.js'
import type {EngineState, InstanceState, LoadBalancerRecord} from '../../../../src/engine/model/types.js'

/** A clock whose time only moves when the test says so. */
class FakeClock implements Clock {
  private time = 1_000_000
  private timers: {at: number; callback: () => void; handle: TimerHandle}[] = []
  now(): number {
    return this.time
  }
  setTimeout(callback: () => void, ms: number): TimerHandle {
    const handle = {id: Symbol('timer')}
    this.timers.push({at: this.time + ms, callback, handle})
    return handle
  }
  clearTimeout(handle: TimerHandle): void {
    this.timers = this.timers.filter((timer) => timer.handle !== handle)
  }
  /** Runs due timers in order, letting promise callbacks settle after each. */
  async advance(ms: number): Promise<void> {
    const end = this.time + ms
    for (;;) {
      this.timers.sort((a, b) => a.at - b.at)
      const next = this.timers[0]
      if (next === undefined || next.at > end) break
      this.timers.shift()
      this.time = next.at
      next.callback()
      await new Promise((resolve) => setImmediate(resolve))
    }
    this.time = end
  }
}

function loadBalancer(overrides: Partial<LoadBalancerRecord> = {}): LoadBalancerRecord {
  return {
    name: 'lb', dnsName: 'lb-1.us-east-1.elb.amazonaws.com', createdTime: '2026-01-01T00:00:00.000Z', scheme: 'internet-facing',
    localAddress: '127.1.0.1', availabilityZones: ['us-east-1a'], subnets: [], securityGroups: [],
    listeners: [], backendServers: [], policies: [],
    healthCheck: {target: 'HTTP:8080/ping', interval: 10, timeout: 5, unhealthyThreshold: 2, healthyThreshold: 3},
    instances: [{instanceId: 'i-00000001', privateIp: '127.0.0.2', availabilityZone: 'us-east-1a', registeredAt: '2026-01-01T00:00:00.000Z'}],
    attributes: {
      crossZoneLoadBalancing: false, accessLog: {enabled: false}, connectionDraining: {enabled: false, timeout: 300},
      idleTimeout: 60, additional: [],
    },
    tags: [],
    ...overrides,
  }
}

function state(lb: LoadBalancerRecord | undefined, instanceState: InstanceState = 'running'): EngineState {
  return {
    ...emptyState(),
    regions: {
      'us-east-1': {
        loadBalancers: lb === undefined ? [] : [lb],
        instances: [{instanceId: 'i-00000001', privateIp: '127.0.0.2', availabilityZone: 'us-east-1a', state: instanceState, launchTime: '', serve: []}],
      },
    },
  }
}

function setup(options: {firstSuccessEnough?: boolean} = {}) {
  const clock = new FakeClock()
  const answers: boolean[] = []
  const probes: {target: ProbeTarget; timeoutMs: number; at: number}[] = []
  const events: HealthChangeEvent[] = []
  const checker = new HealthChecker({
    clock, timeScale: 1, portOffset: 0, ...options,
    probe: (target, timeoutMs): Promise<ProbeResult> => {
      probes.push({target, timeoutMs, at: clock.now()})
      return Promise.resolve({ok: answers.shift() ?? true})
    },
  })
  checker.connect({healthChanged: (event) => events.push(event)})
  const healthOf = () => checker.instanceHealth('us-east-1', 'lb', 'i-00000001')
  return {clock, answers, probes, events, checker, healthOf}
}

describe('HealthChecker (fake clock, fake probe)', () => {
  it('probes the registered IP every Interval and goes InService on the first pass', async () => {
    const {clock, probes, checker, events, healthOf} = setup()
    checker.apply(state(loadBalancer()))
    expect(healthOf()?.description).toBe('Instance registration is still in progress.')
    await clock.advance(0)
    expect(probes[0]).toEqual({target: {protocol: 'HTTP', host: '127.0.0.2', port: 8080, path: '/ping'}, timeoutMs: 5000, at: 1_000_000})
    expect(healthOf()?.state).toBe('InService')
    expect(events).toMatchObject([{kind: 'health', routable: true, instanceId: 'i-00000001'}])
    await clock.advance(30_000)
    expect(probes.map((probe) => probe.at - 1_000_000)).toEqual([0, 10_000, 20_000, 30_000])
    checker.close()
  })

  it('counts failures against UnhealthyThreshold and passes against HealthyThreshold', async () => {
    const {clock, answers, checker, healthOf} = setup()
    checker.apply(state(loadBalancer()))
    answers.push(true, false, false, true, true, true)
    await clock.advance(0)
    await clock.advance(10_000)
    expect(healthOf()?.state).toBe('InService')
    await clock.advance(10_000)
    expect(healthOf()?.state).toBe('OutOfService')
    await clock.advance(20_000)
    expect(healthOf()?.description).toBe('Instance has not passed the configured HealthyThreshold number of health checks consecutively.')
    await clock.advance(10_000)
    expect(healthOf()?.state).toBe('InService')
    checker.close()
  })

  it('ConfigureHealthCheck applies from the next probe', async () => {
    const {clock, probes, checker} = setup()
    checker.apply(state(loadBalancer()))
    await clock.advance(0)
    checker.apply(state(loadBalancer({healthCheck: {target: 'TCP:9000', interval: 5, timeout: 2, unhealthyThreshold: 2, healthyThreshold: 2}})))
    // The probe already scheduled (old interval, +10 s) uses the new target; the next comes 5 s later.
    await clock.advance(15_000)
    expect(probes.map((probe) => probe.at - 1_000_000)).toEqual([0, 10_000, 15_000])
    expect(probes.map((probe) => probe.target)).toEqual([
      {protocol: 'HTTP', host: '127.0.0.2', port: 8080, path: '/ping'},
      {protocol: 'TCP', host: '127.0.0.2', port: 9000},
      {protocol: 'TCP', host: '127.0.0.2', port: 9000},
    ])
    checker.close()
  })

  it('does not probe stopped instances or instances outside the enabled zones', async () => {
    const {clock, probes, checker, healthOf} = setup()
    checker.apply(state(loadBalancer(), 'stopped'))
    await clock.advance(30_000)
    expect(probes).toHaveLength(0)
    expect(healthOf()).toEqual({state: 'OutOfService', reasonCode: 'Instance', description: 'Instance is in stopped state.'})
    checker.apply(state(loadBalancer({availabilityZones: ['us-east-1b']})))
    await clock.advance(30_000)
    expect(probes).toHaveLength(0)
    expect(healthOf()).toEqual({
      state: 'OutOfService', reasonCode: 'ELB',
      description: 'Instance is in the EC2 Availability Zone for which LoadBalancer is not configured to route traffic to.',
    })
    checker.close()
  })

  it('a deregistered instance is removed at once, draining or not (the data plane times draining)', async () => {
    const {clock, checker, events, healthOf} = setup()
    const draining = {crossZoneLoadBalancing: false, accessLog: {enabled: false}, connectionDraining: {enabled: true, timeout: 60}, idleTimeout: 60, additional: []}
    checker.apply(state(loadBalancer({attributes: draining})))
    await clock.advance(0)
    checker.apply(state(loadBalancer({attributes: draining, instances: []})))
    expect(checker.isRoutable('us-east-1', 'lb', 'i-00000001')).toBe(false)
    expect(healthOf()?.description).toBe('Instance is not currently registered with the LoadBalancer.')
    expect(events.map((event) => event.kind)).toEqual(['health', 'removed'])
    checker.close()
  })

  it('a registration at a new address is a new target: sinks are told the old one is gone', async () => {
    const {clock, checker, events} = setup()
    checker.apply(state(loadBalancer()))
    await clock.advance(0)
    const moved = loadBalancer({instances: [{instanceId: 'i-00000001', privateIp: '127.0.0.9', availabilityZone: 'us-east-1a', registeredAt: '2026-01-01T00:00:00.000Z'}]})
    checker.apply(state(moved))
    expect(events.map((event) => [event.kind, event.routable])).toEqual([['health', true], ['removed', false]])
    expect(checker.isRoutable('us-east-1', 'lb', 'i-00000001')).toBe(false)
    checker.close()
  })

  it('a sink connected late is told every target first', async () => {
    const {clock, checker} = setup()
    checker.apply(state(loadBalancer()))
    await clock.advance(0)
    const told: HealthChangeEvent[] = []
    const disconnect = checker.connect({healthChanged: (event) => told.push(event)})
    expect(told).toMatchObject([{kind: 'health', instanceId: 'i-00000001', routable: true, health: {state: 'InService'}}])
    disconnect()
    checker.close()
  })

  it('forgets a load balancer that was deleted (its instances become unknown)', async () => {
    const {clock, checker, events, healthOf} = setup()
    checker.apply(state(loadBalancer()))
    await clock.advance(0)
    checker.apply(state(undefined))
    expect(healthOf()).toBeUndefined()
    expect(events.at(-1)).toMatchObject({kind: 'removed', routable: false})
    checker.close()
  })
})
