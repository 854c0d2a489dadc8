import {readdirSync, rmSync} from 'node:fs'
import {join} from 'node:path'
import {STALE_TEMP} from './model/persistence/snapshot.js'

/**
 * A kill -9 in the middle of a state write can leave `state.json.<pid>.tmp` behind (0600, holding
 * private keys). The rename never happened, so its content was never acknowledged: at start, before
 * the store opens, every such file is removed and the removal logged.
 */

export function removeStaleTempFiles(home: string, log: (line: string) => void): string[] {
  let names: string[]
  try {
    names = readdirSync(home)
  } catch {
    return []
  }
  const removed: string[] = []
  for (const name of names) {
    if (!STALE_TEMP.test(name)) continue
    try {
      rmSync(join(home, name), {force: true})
      removed.push(name)
      log(`removed ${name}, left by an engine that stopped in the middle of a state write (its write was never acknowledged)`)
    } catch (error) {
      log(`WARN could not remove the stale temporary file ${name}: ${error instanceof Error ? error.message : String(error)}`)
    }
  }
  return removed
}
