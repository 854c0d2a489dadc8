import {jest} from '@jest/globals'
import {Backend} from '../../../../src/engine/dataplane/backends/backend.js'
import {BackendSet} from '../../../../src/engine/dataplane/backends/backend-set.js'
import {WorkList, type BackendWork} from '../../../../src/engine/dataplane/backends/work-list.js'
import {LeastOutstanding} from '../../../../src/engine/dataplane/balancing/least-outstanding.js'
import {RoundRobin} from '../../../../src/engine/dataplane/balancing/round-robin.js'
import type {RegisteredInstance} from '../../../../src/engine/model/types.js'

function registration(instanceId: string, privateIp: string, availabilityZone = 'us-east-1a'): RegisteredInstance {
  return {instanceId, privateIp, availabilityZone, registeredAt: '2026-11-24T00:00:00.000Z'}
}

/** A request or connection: records whether the back end ended it. */
function work(): BackendWork & {destroyed: boolean} {
  const w = {destroyed: false, destroy: () => { w.destroyed = true }, workPrev: undefined, workNext: undefined, workList: undefined}
  return w
}

describe('WorkList', () => {
  test('adds and removes at the head, in the middle and at the tail; a removed item keeps no links', () => {
    const list = new WorkList()
    const [a, b, c, d] = [work(), work(), work(), work()]
    for (const w of [a, b, c, d]) list.add(w)
    expect(list.size).toBe(4)
    expect(list.remove(b)).toBe(true) // middle
    expect(list.remove(d)).toBe(true) // head (most recent)
    expect(list.remove(a)).toBe(true) // tail
    expect(list.remove(a)).toBe(false) // not a member any more
    expect(list.size).toBe(1)
    for (const w of [a, b, d]) expect([w.workPrev, w.workNext, w.workList]).toEqual([undefined, undefined, undefined])
    expect(list.removeAll()).toEqual([c])
    expect(c.workList).toBeUndefined()
    expect(list.size).toBe(0)
    expect(list.removeAll()).toEqual([])
  })

  test('an item added to a second list leaves the first; removing it from the first is refused', () => {
    const first = new WorkList()
    const second = new WorkList()
    const [a, b] = [work(), work()]
    first.add(a)
    first.add(b)
    second.add(a)
    expect(first.size).toBe(1)
    expect(second.size).toBe(1)
    expect(first.remove(a)).toBe(false)
    expect(first.removeAll()).toEqual([b])
    expect(second.removeAll()).toEqual([a])
  })

  test('thousands of interleaved adds and removes keep the count and membership exact', () => {
    const list = new WorkList()
    const live = new Set<BackendWork>()
    const items = Array.from({length: 64}, () => work())
    let seed = 7
    for (let i = 0; i < 20_000; i++) {
      seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648
      const item = items[seed % items.length] as BackendWork
      if (live.has(item)) {
        expect(list.remove(item)).toBe(true)
        live.delete(item)
      } else {
        list.add(item)
        live.add(item)
      }
      expect(list.size).toBe(live.size)
    }
    expect(new Set(list.removeAll())).toEqual(live)
  })
})

describe('Backend', () => {
  test('available only when healthy and serving; take/drop count the load', () => {
    const backend = new Backend('i-1', '127.0.0.2', 'us-east-1a', false)
    expect(backend.healthyAndServing()).toBe(false)
    backend.setHealthy(true)
    expect(backend.healthyAndServing()).toBe(true)
    const a = work()
    const b = work()
    backend.take(a)
    backend.take(b)
    expect(backend.load).toBe(2)
    backend.drop(a)
    backend.drop(a) // dropping twice counts once
    expect(backend.load).toBe(1)
    backend.startDraining()
    expect(backend.healthyAndServing()).toBe(false)
    backend.resume()
    expect(backend.healthyAndServing()).toBe(true)
    backend.close()
    expect(backend.state).toBe('closed')
    expect(b.destroyed).toBe(true)
    expect(a.destroyed).toBe(false)
    expect(backend.load).toBe(0)
  })

  test('a draining back end reports when its last work is dropped', () => {
    const backend = new Backend('i-1', '127.0.0.2', 'us-east-1a', true)
    const idle: string[] = []
    backend.onIdle = b => idle.push(b.instanceId)
    const a = work()
    backend.take(a)
    backend.drop(a)
    expect(idle).toEqual([]) // serving: no report
    backend.take(a)
    backend.startDraining()
    backend.drop(a)
    expect(idle).toEqual(['i-1'])
  })
})

describe('selectors', () => {
  const make = (n: number): Backend[] => Array.from({length: n}, (_, i) => new Backend(`i-${i}`, `127.0.0.${i + 2}`, 'a', true))

  test('least outstanding picks the least loaded, ties in turn', () => {
    const selector = new LeastOutstanding()
    const [b0, b1, b2] = make(3) as [Backend, Backend, Backend]
    b0.take(work())
    b2.take(work())
    expect(selector.select([b0, b1, b2])).toBe(b1)
    b1.take(work())
    // All equal now: successive choices rotate over all three.
    const picks = new Set([0, 1, 2].map(() => selector.select([b0, b1, b2])?.instanceId))
    expect(picks).toEqual(new Set(['i-0', 'i-1', 'i-2']))
    expect(selector.select([])).toBeUndefined()
  })

  test('round robin ignores load and cycles', () => {
    const selector = new RoundRobin()
    const list = make(3)
    list[0]?.take(work())
    expect([0, 1, 2, 3].map(() => selector.select(list)?.instanceId)).toEqual(['i-0', 'i-1', 'i-2', 'i-0'])
    expect(selector.select([])).toBeUndefined()
  })
})

describe('BackendSet', () => {
  beforeEach(() => { jest.useFakeTimers() })
  afterEach(() => { jest.useRealTimers() })

  function setup(initial = true) {
    const closed: string[] = []
    const drained: string[] = []
    const set = new BackendSet({
      initialHealth: () => initial,
      onClosed: b => closed.push(b.instanceId),
      onDraining: b => drained.push(b.instanceId),
    })
    return {set, closed, drained}
  }

  test('health pushes decide the candidates; zones filter them', () => {
    const {set} = setup(false)
    set.update([registration('i-a', '127.0.0.2'), registration('i-b', '127.0.0.3', 'us-east-1b')], ['us-east-1a'], false, undefined)
    expect(set.candidatesFor('')).toEqual([])
    set.setHealthy('i-a', true)
    set.setHealthy('i-b', true)
    expect(set.candidatesFor('').map(b => b.instanceId)).toEqual(['i-a'])
    expect(set.routable('i-b')).toBeUndefined()
    set.update([registration('i-a', '127.0.0.2'), registration('i-b', '127.0.0.3', 'us-east-1b')], ['us-east-1a', 'us-east-1b'], false, undefined)
    expect(set.candidatesFor('').map(b => b.instanceId)).toEqual(['i-a', 'i-b'])
    // Cross-zone off: a connection on node us-east-1b only sees its zone.
    expect(set.candidatesFor('us-east-1b').map(b => b.instanceId)).toEqual(['i-b'])
    set.setHealthy('i-a', false)
    expect(set.routable('i-a')).toBeUndefined()
  })

  test('connections land on every enabled zone\'s node in turn, with cross-zone too (its requests still go anywhere)', () => {
    const {set} = setup()
    const both = [registration('i-a', '127.0.0.2'), registration('i-b', '127.0.0.3', 'us-east-1b')]
    set.update(both, ['us-east-1a', 'us-east-1b'], false, undefined)
    expect([0, 1, 2, 3].map(() => set.assignNode())).toEqual(['us-east-1a', 'us-east-1b', 'us-east-1a', 'us-east-1b'])
    set.update(both, ['us-east-1a', 'us-east-1b'], true, undefined)
    const nodes = [0, 1].map(() => set.assignNode())
    expect(nodes.sort()).toEqual(['us-east-1a', 'us-east-1b'])
    for (const node of nodes) expect(set.candidatesFor(node).map(b => b.instanceId)).toEqual(['i-a', 'i-b'])
    // Cross-zone off, only us-east-1a has a back end: its node alone takes connections.
    set.update([registration('i-a', '127.0.0.2')], ['us-east-1a', 'us-east-1b'], false, undefined)
    expect([0, 1].map(() => set.assignNode())).toEqual(['us-east-1a', 'us-east-1a'])
    // No back end anywhere: the nodes still answer in turn (their 503s are counted in their zones).
    set.update([], ['us-east-1a', 'us-east-1b'], false, undefined)
    expect([0, 1].map(() => set.assignNode()).sort()).toEqual(['us-east-1a', 'us-east-1b'])
  })

  test('deregistered with work in flight: drains until the work is done, then closes', () => {
    const {set, closed, drained} = setup()
    set.update([registration('i-a', '127.0.0.2')], ['us-east-1a'], false, undefined)
    const backend = set.routable('i-a')
    const w = work()
    backend?.take(w)
    set.update([], ['us-east-1a'], false, 60_000)
    expect(drained).toEqual(['i-a'])
    expect(set.draining().map(d => d.instanceId)).toEqual(['i-a'])
    expect(set.candidatesFor('')).toEqual([])
    backend?.drop(w)
    expect(set.draining()).toEqual([])
    expect(closed).toEqual(['i-a'])
    expect(w.destroyed).toBe(false)
  })

  test('the draining timeout closes what is left; nothing in flight still shows draining until then', () => {
    const {set, closed} = setup()
    set.update([registration('i-a', '127.0.0.2'), registration('i-b', '127.0.0.3')], ['us-east-1a'], false, undefined)
    const w = work()
    set.routable('i-a')?.take(w)
    set.update([], ['us-east-1a'], false, 1_000)
    expect(set.draining().map(d => d.instanceId).sort()).toEqual(['i-a', 'i-b'])
    jest.advanceTimersByTime(999)
    expect(closed).toEqual([])
    jest.advanceTimersByTime(1)
    expect(closed.sort()).toEqual(['i-a', 'i-b'])
    expect(w.destroyed).toBe(true)
    expect(set.draining()).toEqual([])
  })

  test('without draining a deregistered back end is closed at once; registered again while draining it resumes', () => {
    const {set, closed} = setup()
    set.update([registration('i-a', '127.0.0.2')], ['us-east-1a'], false, undefined)
    const w = work()
    set.routable('i-a')?.take(w)
    set.update([], ['us-east-1a'], false, undefined)
    expect(closed).toEqual(['i-a'])
    expect(w.destroyed).toBe(true)

    set.update([registration('i-b', '127.0.0.3')], ['us-east-1a'], false, undefined)
    const kept = work()
    const backend = set.routable('i-b')
    backend?.take(kept)
    set.update([], ['us-east-1a'], false, 60_000)
    set.update([registration('i-b', '127.0.0.3')], ['us-east-1a'], false, 60_000)
    expect(set.routable('i-b')).toBe(backend)
    expect(set.draining()).toEqual([])
    jest.advanceTimersByTime(60_000)
    expect(kept.destroyed).toBe(false)
    expect(backend?.load).toBe(1)
  })
})
