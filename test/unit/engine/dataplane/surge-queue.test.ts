import {Backend} from '../../../../src/engine/dataplane/backends/backend.js'
import {SURGE_QUEUE_MAX, SurgeQueue, type SurgeWaiter} from '../../../../src/engine/dataplane/backends/surge-queue.js'
import {parseClearRequest, parseFaultRequest} from '../../../../src/engine/faults/request.js'

/** A waiter that records the back end it was admitted to. */
function waiter(node = ''): SurgeWaiter & {admitted: Backend | undefined} {
  const w = {node, admitted: undefined as Backend | undefined, admit: (backend: Backend) => { w.admitted = backend }}
  return w
}

describe('SurgeQueue', () => {
  const backend = new Backend('i-1', '127.0.0.2', 'us-east-1a', true)

  test('holds 1,024 requests; the next one spills over', () => {
    const queue = new SurgeQueue(() => undefined)
    for (let i = 0; i < SURGE_QUEUE_MAX; i++) expect(queue.offer(waiter())).toBe(true)
    expect(queue.offer(waiter())).toBe(false)
    expect(queue.length).toBe(1024)
  })

  test('admits in arrival order while a back end has room, and stops when none has', () => {
    let room = 2
    const queue = new SurgeQueue(() => (room-- > 0 ? backend : undefined))
    const [a, b, c] = [waiter(), waiter(), waiter()]
    for (const w of [a, b, c]) queue.offer(w)
    queue.drain()
    expect([a.admitted, b.admitted, c.admitted]).toEqual([backend, backend, undefined])
    expect(queue.length).toBe(1)
  })

  test('a waiter that leaves is never admitted; a drain from inside an admission does not run twice', () => {
    const queue = new SurgeQueue(() => backend)
    const gone = waiter()
    const reentrant: SurgeWaiter & {admitted: Backend | undefined} = {node: '', admitted: undefined, admit: (b) => { reentrant.admitted = b; queue.drain() }}
    const last = waiter()
    for (const w of [gone, reentrant, last]) queue.offer(w)
    expect(queue.remove(gone)).toBe(true)
    expect(queue.remove(gone)).toBe(false)
    queue.drain()
    expect([gone.admitted, reentrant.admitted, last.admitted]).toEqual([undefined, backend, backend])
    expect(queue.length).toBe(0)
  })
})

describe('fault requests', () => {
  test('each kind takes its own parameter and no other; ranges are checked', () => {
    expect(parseFaultRequest({kind: 'delay', instanceId: 'i-1', delayMs: 10, durationSeconds: 1.5, probability: 0.25}))
      .toEqual({kind: 'delay', instanceId: 'i-1', delayMs: 10, durationSeconds: 1.5, probability: 0.25})
    expect(() => parseFaultRequest({kind: 'capacity', instanceId: 'i-1', capacity: 0})).toThrow('capacity must be a whole number from 1 to 100000.')
    expect(() => parseFaultRequest({kind: 'capacity', instanceId: 'i-1', capacity: 1, probability: 0.5})).toThrow('takes no probability')
    expect(() => parseFaultRequest({kind: 'status', instanceId: 'i-1', status: 600})).toThrow('status must be a whole number from 100 to 599.')
    expect(() => parseFaultRequest({kind: 'zone-outage', instanceId: 'i-1'})).toThrow('A zone-outage fault needs availabilityZone.')
    expect(() => parseFaultRequest({kind: 'refuse', instanceId: 'i-1', extra: 1})).toThrow('Unknown fault parameter: extra.')
    expect(() => parseFaultRequest({kind: 'refuse', instanceId: 'x'.repeat(65)})).toThrow('instanceId must be a string of 1 to 64 characters.')
  })

  test('a clear names its faults one way only', () => {
    expect(parseClearRequest({all: true})).toEqual({all: true})
    expect(() => parseClearRequest({})).toThrow('Name the faults to clear')
    expect(() => parseClearRequest({id: 'fault-1', all: true})).toThrow('one way only')
  })
})
