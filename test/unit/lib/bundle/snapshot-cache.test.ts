import {existsSync, mkdtempSync, rmSync, utimesSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {expect, it} from '@jest/globals'
import {removeUnusedBlobs, snapshotCacheDir} from '../../../../src/lib/bundle/snapshot-cache.js'

it('the snapshot cache is $XDG_CACHE_HOME/elb-tools, else ~/.cache/elb-tools', () => {
  expect(snapshotCacheDir({XDG_CACHE_HOME: '/x/cache', HOME: '/home/u'})).toBe('/x/cache/elb-tools')
  expect(snapshotCacheDir({HOME: '/home/u'})).toBe('/home/u/.cache/elb-tools')
})

it('making a blob removes the blobs nobody started from in a week, and nothing else', () => {
  const dir = mkdtempSync(join(tmpdir(), 'elb-snapshot-cache-'))
  try {
    const [kept, recent, old, other] = ['new.blob', 'recent.blob', 'old.blob', 'notes.txt'].map((name) => join(dir, name))
    for (const file of [kept, recent, old, other]) writeFileSync(file ?? '', 'x')
    const eightDaysAgo = new Date(Date.now() - 8 * 24 * 3600_000)
    utimesSync(old ?? '', eightDaysAgo, eightDaysAgo)
    utimesSync(other ?? '', eightDaysAgo, eightDaysAgo)
    removeUnusedBlobs(dir, kept ?? '')
    expect([kept, recent, old, other].map((file) => existsSync(file ?? ''))).toEqual([true, true, false, true])
  } finally {
    rmSync(dir, {recursive: true, force: true})
  }
})
