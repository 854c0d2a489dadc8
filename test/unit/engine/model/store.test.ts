import {mkdtempSync, readFileSync, rmSync, statSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {STATE_FILE, StateFileError, Store} from '../../../../src/engine/model/store.js'

describe('Store', () => {
  let dir: string
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'elb-store-'))
  })
  afterEach(() => {
    rmSync(dir, {recursive: true, force: true})
  })

  it('persists an acknowledged write and reads it back on reopen', () => {
    const store = Store.open(dir)
    store.update((state) => {
      state.accountId = '555555555555'
    })
    expect(Store.open(dir).state.accountId).toBe('555555555555')
    expect(statSync(join(dir, STATE_FILE)).mode & 0o777).toBe(0o600)
  })

  it('changes nothing when a mutation throws', () => {
    const store = Store.open(dir)
    store.update((state) => {
      state.accountId = '111111111111'
    })
    expect(() =>
      store.update((state) => {
        state.accountId = '222222222222'
        throw new Error('rejected')
      }),
    ).toThrow('rejected')
    expect(store.state.accountId).toBe('111111111111')
    expect(JSON.parse(readFileSync(join(dir, STATE_FILE), 'utf8'))).toMatchObject({accountId: '111111111111'})
  })

  it('refuses an unreadable state file and leaves it untouched', () => {
    writeFileSync(join(dir, STATE_FILE), '{"formatVersion": 1, "regi')
    expect(() => Store.open(dir)).toThrow(StateFileError)
    expect(readFileSync(join(dir, STATE_FILE), 'utf8')).toBe('{"formatVersion": 1, "regi')
  })

  it('publishes frozen snapshots to change listeners', () => {
    const store = Store.inMemory()
    const seen: string[] = []
    store.onChange((state) => seen.push(Object.keys(state.regions).join(',')))
    store.updateRegion('eu-west-1', () => undefined)
    expect(seen).toEqual(['eu-west-1'])
    expect(Object.isFrozen(store.state.regions)).toBe(true)
  })
})
