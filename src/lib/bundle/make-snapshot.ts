/** `node dist/lib/bundle/make-snapshot.js BLOB LOCK`: the background maker `scheduleSnapshot` starts. */
import {rmSync} from 'node:fs'
import {makeSnapshot} from './snapshot-cache.js'

const [blob, lock] = process.argv.slice(2)
if (blob !== undefined) {
  try {
    makeSnapshot(blob)
  } finally {
    if (lock !== undefined) rmSync(lock, {force: true})
  }
}
