/**
 * `elb-local fault set | list | clear` and the faults in `elb-local status`, through real child
 * processes of bin/elb-local against an in-process engine: what the commands print, their exits,
 * their usage errors, and that the fault they set is the engine's.
 */
import {afterAll, beforeAll, describe, expect, it} from '@jest/globals'
import type {ActiveFault} from '../../src/engine/faults/vocabulary.js'
import {startTestEngine, type TestEngine} from '../helpers/engine.js'
import {elbLocal, ensureBuilt} from '../helpers/processes.js'

let t: TestEngine
let env: NodeJS.ProcessEnv
let instanceId: string

beforeAll(async () => {
  ensureBuilt()
  t = await startTestEngine()
  env = {ELB_LOCAL_ENDPOINT: t.endpoint, ELB_LOCAL_AUTOSTART: '0', ELB_LOCAL_HOME: t.home}
  const [instance] = await t.runInstances({serve: [{protocol: 'http', port: 80}]})
  instanceId = instance?.instanceId ?? ''
}, 120_000)

afterAll(async () => {
  await t.close()
})

describe('elb-local fault', () => {
  it('sets a fault, lists it (table and JSON), shows it in status, clears it', async () => {
    const set = await elbLocal(['fault', 'set', 'delay', instanceId, '--delay-ms', '250', '--duration', '600', '--probability', '0.5'], env)
    expect(set).toMatchObject({code: 0, stderr: ''})
    expect(set.stdout).toMatch(new RegExp(`fault-1 +│ delay +│ ${instanceId} +│ 250 ms +│ 0\\.5`))
    const listed = JSON.parse((await elbLocal(['fault', 'list', '--json'], env)).stdout) as ActiveFault[]
    expect(listed).toMatchObject([{id: 'fault-1', kind: 'delay', instanceId, delayMs: 250, probability: 0.5, region: 'us-east-1'}])
    expect(listed[0]?.expiresAt).toBeDefined()
    const status = await elbLocal(['status'], env)
    expect(status.stdout).toContain('fault-1')
    expect(await elbLocal(['fault', 'set', 'zone-outage', 'us-east-1b'], env)).toMatchObject({code: 0})
    expect(await elbLocal(['fault', 'clear', 'fault-1'], env)).toMatchObject({code: 0, stdout: 'Cleared 1 fault(s).\n'})
    expect(await elbLocal(['fault', 'clear', '--all'], env)).toMatchObject({code: 0, stdout: 'Cleared 1 fault(s).\n'})
    expect(await elbLocal(['fault', 'list'], env)).toMatchObject({code: 0, stdout: 'No faults.\n'})
  }, 60_000)

  it('refuses bad words with one line and exit 1, and sets nothing', async () => {
    const unknownKind = await elbLocal(['fault', 'set', 'explode', instanceId], env)
    expect(unknownKind.code).toBe(1)
    expect(unknownKind.stderr).toContain('unknown fault kind \'explode\'')
    const missing = await elbLocal(['fault', 'set', 'status', instanceId], env)
    expect(missing).toMatchObject({code: 1})
    expect(missing.stderr).toContain('MissingParameter: A status fault needs status.')
    const notFound = await elbLocal(['fault', 'set', 'refuse', 'i-00000000'], env)
    expect(notFound.stderr).toContain('InvalidInstanceID.NotFound')
    const clearNothing = await elbLocal(['fault', 'clear', 'fault-77'], env)
    expect(clearNothing).toMatchObject({code: 1})
    expect(clearNothing.stderr).toContain('InvalidFault.NotFound')
    const noVerb = await elbLocal(['fault', 'explain'], env)
    expect(noVerb.code).toBe(1)
    expect(noVerb.stderr).toContain('fault takes list, set KIND INSTANCE-ID|ZONE')
    expect(noVerb.stderr).not.toMatch(/\n\s+at /)
    expect((await t.admin.call('faults', {})).faults).toEqual([])
  }, 60_000)
})
