import {existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {startTestEngine} from '../../helpers/engine.js'

/**
 * Issue 9 #10: a kill -9 in the middle of a state write leaves `state.json.<pid>.tmp` (0600, with
 * private keys) that nothing removed. The engine removes such files at start and says so.
 */
it('removes stale state.json.<pid>.tmp files at start, logs each, and keeps everything else', async () => {
  const home = mkdtempSync(join(tmpdir(), 'elb-leftovers-'))
  try {
    writeFileSync(join(home, 'state.json.4242.tmp'), '{"half": ', {mode: 0o600})
    writeFileSync(join(home, 'state.json.77.tmp'), '', {mode: 0o600})
    writeFileSync(join(home, 'notes.tmp'), 'mine')
    writeFileSync(join(home, 'state.json.x.tmp'), 'not a pid')
    const lines: string[] = []
    const t = await startTestEngine({home, log: (line) => lines.push(line)})
    await t.close()
    expect(readdirSync(home).filter((name) => name.endsWith('.tmp')).sort()).toEqual(['notes.tmp', 'state.json.x.tmp'])
    expect(existsSync(join(home, 'state.json.4242.tmp'))).toBe(false)
    expect(lines.filter((line) => line.startsWith('removed state.json.')).sort()).toEqual([
      'removed state.json.4242.tmp, left by an engine that stopped in the middle of a state write (its write was never acknowledged)',
      'removed state.json.77.tmp, left by an engine that stopped in the middle of a state write (its write was never acknowledged)',
    ])
  } finally {
    rmSync(home, {recursive: true, force: true})
  }
})
