import {findLoadBalancer, loadBalancerPosition} from '../../../../src/engine/model/elb/lb-index.js'
import type {LoadBalancerRecord} from '../../../../src/engine/model/types.js'
import {HTTP_80, harness} from './fixture.js'

/** Issue 17 #5: a load balancer is found by an index kept with the snapshot, not by a scan. */

/** Records whose `name` counts its reads: a scan reads every name before the one it wants. */
function countingRegion(size: number): {loadBalancers: readonly LoadBalancerRecord[]; reads: () => number} {
  let reads = 0
  const loadBalancers = Object.freeze(Array.from({length: size}, (_, index) => {
    const record = {} as LoadBalancerRecord
    Object.defineProperty(record, 'name', {get: () => { reads += 1; return `lb-${index}` }})
    return record
  }))
  return {loadBalancers, reads: () => reads}
}

describe('load balancers by name', () => {
  it('a look-up in a frozen snapshot array reads no name once the index is built', () => {
    const {loadBalancers, reads} = countingRegion(1000)
    expect(loadBalancerPosition(loadBalancers, 'lb-999')).toBe(999)
    const afterIndex = reads()
    expect(afterIndex).toBe(1000)
    for (let i = 0; i < 1000; i += 1) expect(findLoadBalancer(loadBalancers, `lb-${i}`)).toBe(loadBalancers[i])
    expect(findLoadBalancer(loadBalancers, 'missing')).toBeUndefined()
    expect(reads()).toBe(afterIndex)
  })

  it('an array still being written is scanned, never cached', () => {
    const loadBalancers = [{name: 'a'}, {name: 'b'}] as unknown as LoadBalancerRecord[]
    expect(loadBalancerPosition(loadBalancers, 'b')).toBe(1)
    loadBalancers.reverse()
    expect(loadBalancerPosition(loadBalancers, 'b')).toBe(0)
  })

  it('ElbService finds the load balancers a write created, renamed nothing, deleted', () => {
    const {elb, ctx, store} = harness()
    for (const name of ['one', 'two', 'three']) elb.createLoadBalancer(ctx, {LoadBalancerName: name, Listeners: [HTTP_80], AvailabilityZones: ['us-east-1a']})
    const before = store.region(ctx.region).loadBalancers
    expect(findLoadBalancer(before, 'two')?.name).toBe('two')
    elb.deleteLoadBalancer(ctx, {LoadBalancerName: 'two'})
    const after = store.region(ctx.region).loadBalancers
    expect(after).not.toBe(before)
    expect(findLoadBalancer(after, 'two')).toBeUndefined()
    expect(findLoadBalancer(after, 'three')?.name).toBe('three')
    expect(elb.describeLoadBalancers(ctx, {LoadBalancerNames: ['three', 'one']}).LoadBalancerDescriptions?.map((lb) => lb.LoadBalancerName)).toEqual(['three', 'one'])
  })
})
