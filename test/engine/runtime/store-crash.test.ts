/**
 * kill -9 against the real store in a child process (the built one in dist/): while it appends
 * journal records as fast as it can, and while it writes a snapshot. Every write the child
 * acknowledged (printed after `update` returned) must be there after a reopen.
 */
import {spawn, type ChildProcess} from 'node:child_process'
import {mkdtempSync, rmSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {afterAll, describe, expect, it} from '@jest/globals'
import {Store} from '../../../src/engine/model/store.js'
import {ensureBuilt, REPO} from '../../helpers/processes.js'

const STORE_MODULE = join(REPO, 'dist', 'engine', 'model', 'store.js')

/** Appends instances one write at a time, printing each acknowledged id; compacts every `compactEvery` writes. */
const CHILD = `
const {Store} = await import(process.argv[1])
const store = Store.open(process.argv[2])
const compactEvery = Number(process.argv[3])
for (let n = 0; ; n++) {
  const instanceId = 'i-' + n.toString(16).padStart(8, '0')
  store.updateRegion('us-east-1', (region) => {
    region.instances.push({instanceId, privateIp: '127.0.0.2', availabilityZone: 'us-east-1a', state: 'running', launchTime: 'x'.repeat(200), serve: []})
  })
  process.stdout.write(instanceId + '\\n')
  if (compactEvery > 0 && n % compactEvery === compactEvery - 1) {
    process.stdout.write('compacting\\n')
    await store.compact()
  }
}
`

/** Children still running when the file ends (a test that timed out): killed, never left looping. */
const running = new Set<ChildProcess>()
afterAll(() => { for (const child of running) child.kill('SIGKILL') })

/** Runs the child until `shouldKill(acked, lines)` says so, then SIGKILLs it; returns the acknowledged ids. */
function runUntilKilled(home: string, compactEvery: number, shouldKill: (acked: number, line: string) => boolean): Promise<string[]> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--input-type=module', '-e', CHILD, STORE_MODULE, home, String(compactEvery)], {
      cwd: REPO, env: {...process.env, NODE_OPTIONS: ''}, stdio: ['ignore', 'pipe', 'pipe'],
    })
    running.add(child)
    const acked: string[] = []
    let buffered = ''
    let stderr = ''
    let killed = false
    const timer = setTimeout(() => { child.kill('SIGKILL'); reject(new Error(`child never reached the kill point: ${stderr}`)) }, 60_000)
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()))
    child.stdout.on('data', (chunk: Buffer) => {
      buffered += chunk.toString()
      const lines = buffered.split('\n')
      buffered = lines.pop() ?? ''
      for (const line of lines) {
        if (killed) return
        if (line.startsWith('i-')) acked.push(line)
        if (shouldKill(acked.length, line)) {
          killed = true
          child.kill('SIGKILL')
        }
      }
    })
    child.once('exit', (_code, signal) => {
      running.delete(child)
      clearTimeout(timer)
      if (signal === 'SIGKILL') resolve(acked)
      else reject(new Error(`child exited on its own: ${stderr}`))
    })
  })
}

describe('store: kill -9 at any point loses no acknowledged write', () => {
  const homes: string[] = []
  const home = () => {
    const dir = mkdtempSync(join(tmpdir(), 'elb-store-crash-'))
    homes.push(dir)
    return dir
  }
  afterAll(() => {
    for (const dir of homes) rmSync(dir, {recursive: true, force: true})
  })

  it('in the middle of a stream of journal appends', async () => {
    ensureBuilt()
    const dir = home()
    const acked = await runUntilKilled(dir, 0, (count) => count >= 300)
    const recovered = new Set(Store.open(dir).region('us-east-1').instances.map((instance) => instance.instanceId))
    for (const id of acked) expect(recovered.has(id)).toBe(true)
    // Writes are replayed in order: what is there is a run from the first write, with no hole.
    const expected = [...recovered].map((_id, n) => `i-${n.toString(16).padStart(8, '0')}`)
    expect([...recovered]).toEqual(expected)
  }, 90_000) // 300 fdatasync'ed appends: slow on a busy disk; runUntilKilled's own 60 s limit reports first

  it('while a compaction is writing the snapshot, again and again', async () => {
    ensureBuilt()
    const dir = home()
    let compactions = 0
    const acked = await runUntilKilled(dir, 200, (_count, line) => line === 'compacting' && ++compactions === 3)
    const store = Store.open(dir)
    const recovered = new Set(store.region('us-east-1').instances.map((instance) => instance.instanceId))
    for (const id of acked) expect(recovered.has(id)).toBe(true)
    // The recovered state compacts and reopens to the same thing.
    await store.compact()
    expect(Store.open(dir).state).toEqual(store.state)
  }, 90_000)
})
