import {closeSync, mkdirSync, openSync, readdirSync, readFileSync, statSync} from 'node:fs'
import {join} from 'node:path'
import {expect, it} from '@jest/globals'
import {LogWriter} from '../../../../src/engine/log-writer.js'
import {ServiceError} from '../../../../src/engine/model/errors.js'
import {listSegments} from '../../../../src/engine/model/persistence/journal.js'
import {STATE_FILE, Store, type Draft} from '../../../../src/engine/model/store.js'
import type {LoadBalancerRecord} from '../../../../src/engine/model/types.js'
import {testLoadBalancer} from '../../../helpers/records.js'
import {describeOnSmallDisk} from '../../../helpers/tmpfs.js'

/** A load balancer whose journal record is about `bytes` long (tags pad it), so it crosses a page. */
function lb(name: string, bytes = 200): Draft<LoadBalancerRecord> {
  const tags = Array.from({length: Math.ceil(bytes / 300)}, (_, index) => ({key: `k${index}`, value: 'v'.repeat(250)}))
  return testLoadBalancer(name, {tags})
}

const names = (store: Store) => store.region('us-east-1').loadBalancers.map((record) => record.name)
const add = (store: Store, name: string, bytes?: number) => {
  store.updateRegion('us-east-1', (region) => { region.loadBalancers.push(lb(name, bytes)) })
}

function refusal(run: () => void): ServiceError {
  try {
    run()
  } catch (error) {
    if (error instanceof ServiceError) return error
    throw error
  }
  throw new Error('the write was accepted on a full disk')
}

describeOnSmallDisk('the store on a full disk (2 MiB tmpfs)', 2 * 1024 * 1024, (small) => {
  let case_ = 0
  const freshDir = () => {
    const dir = join(small.dir, `case-${case_++}`)
    mkdirSync(dir)
    return dir
  }

  it('never acknowledges a short write, never zero-extends the journal, and writes again once space is back', async () => {
    const dir = freshDir()
    const store = Store.open(dir)
    add(store, 'before')
    await store.durable()
    const [segment] = listSegments(dir)
    if (segment === undefined) throw new Error('no journal segment')
    const intact = statSync(segment.file).size
    small.fill()
    try {
      // 8 KiB: the first part fits the page the journal already has, the rest finds no space.
      for (const name of ['big-1', 'big-2', 'big-3']) {
        const error = refusal(() => { add(store, name, 8192) })
        expect(error.code).toBe('ServiceUnavailable')
        expect(error.status).toBe(503)
        expect(error.message).toMatch(/no space left on device/)
        expect(names(store)).toEqual(['before'])
        // Cut back to the last whole record: no half record, and no zeros after it.
        expect(statSync(segment.file).size).toBe(intact)
      }
    } finally {
      small.free()
    }
    add(store, 'after', 8192)
    await store.durable()
    expect(names(store)).toEqual(['before', 'after'])
    expect(names(Store.open(dir))).toEqual(['before', 'after'])
    await store.close()
  })

  it('survives a compaction on a full disk and leaves no half-written snapshot behind', async () => {
    const dir = freshDir()
    const lines: string[] = []
    const store = Store.open(dir, (line) => lines.push(line))
    for (let n = 0; n < 20; n++) add(store, `lb-${n}`, 2000)
    await store.durable()
    small.fill()
    try {
      await store.compact()
      expect(lines.join('\n')).toMatch(/WARN state compaction failed \(.*no space left on device/)
      expect(readdirSync(dir).filter((name) => name.startsWith(`${STATE_FILE}.`))).toEqual([])
    } finally {
      small.free()
    }
    expect(names(Store.open(dir))).toHaveLength(20)
    await store.compact()
    expect(JSON.parse(readFileSync(join(dir, STATE_FILE), 'utf8'))).toMatchObject({journalSeq: 20})
    expect(names(Store.open(dir))).toHaveLength(20)
    await store.close()
  })

  it('drops log lines while the disk is full, counts them, and says so once it can write again', () => {
    const file = join(freshDir(), 'engine.log')
    const fd = openSync(file, 'a')
    const log = new LogWriter(fd)
    log.write('first\n')
    small.fill()
    try {
      for (let n = 0; n < 5; n++) log.write(`${'x'.repeat(5000)}\n`)
      expect(log.droppedLines).toBeGreaterThanOrEqual(4)
    } finally {
      small.free()
    }
    log.write('back\n')
    closeSync(fd)
    expect(log.droppedLines).toBe(0)
    const text = readFileSync(file, 'utf8')
    expect(text.startsWith('first\n')).toBe(true)
    expect(text).toMatch(/WARN \d+ log line\(s\) dropped: the log could not be written \(.*no space left on device/)
    expect(text.endsWith('back\n')).toBe(true)
  })
})
