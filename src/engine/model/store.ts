import {mkdirSync, openSync, closeSync, fsyncSync, readFileSync, renameSync, writeSync, constants} from 'node:fs'
import {join} from 'node:path'
import type {EngineState, RegionState} from './types.js'

/** A deep-mutable copy of a readonly record: what a mutation callback edits. */
export type Draft<T> = T extends readonly (infer U)[]
  ? Draft<U>[]
  : T extends object
    ? {-readonly [K in keyof T]: Draft<T[K]>}
    : T

export class StateFileError extends Error {
  constructor(readonly file: string, cause: unknown) {
    super(`The state file ${file} cannot be read (${cause instanceof Error ? cause.message : String(cause)}). ` +
      'It was left untouched: move it away or repair it, then start the engine again.', {cause})
    this.name = 'StateFileError'
  }
}

export const STATE_FILE = 'state.json'

export function emptyState(accountId = '123456789012'): EngineState {
  return {formatVersion: 1, accountId, regions: {}, iam: {serverCertificates: []}}
}

export const EMPTY_REGION: RegionState = {loadBalancers: [], instances: []}

type ChangeListener = (state: EngineState) => void

/**
 * The engine's durable desired state. Readers get the current immutable snapshot; writers pass a
 * mutation that edits a private copy. The copy replaces the snapshot only once it is on disk
 * (temporary file, fsync, rename, fsync of the directory), so an acknowledged write survives
 * `kill -9`, the file is never half-written, and a mutation that throws changes nothing.
 *
 * Mutations run one at a time, synchronously, so each sees the result of the one before.
 */
export class Store {
  private current: EngineState
  private readonly listeners = new Set<ChangeListener>()

  private constructor(readonly dir: string, state: EngineState) {
    this.current = deepFreeze(state)
  }

  /** Opens (or creates) the state in `dir`. An unreadable state file throws StateFileError. */
  static open(dir: string): Store {
    mkdirSync(dir, {recursive: true, mode: 0o700})
    const file = join(dir, STATE_FILE)
    let text: string | undefined
    try {
      text = readFileSync(file, 'utf8')
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw new StateFileError(file, error)
    }
    if (text === undefined) return new Store(dir, emptyState())
    let parsed: unknown
    try {
      parsed = JSON.parse(text)
    } catch (error) {
      throw new StateFileError(file, error)
    }
    if (!isEngineState(parsed)) {
      throw new StateFileError(file, new Error('not an elb-local state file of format version 1'))
    }
    return new Store(dir, parsed)
  }

  /** An in-memory store for unit tests: nothing touches the disk. */
  static inMemory(state: EngineState = emptyState()): Store {
    const store = new Store('', state)
    store.persist = () => undefined
    return store
  }

  get state(): EngineState {
    return this.current
  }

  region(name: string): RegionState {
    return this.current.regions[name] ?? EMPTY_REGION
  }

  /**
   * Applies `mutate` to a copy of the state, makes it durable, then publishes it. Returns what
   * `mutate` returned. If `mutate` throws, the state and the disk are unchanged.
   */
  update<T>(mutate: (draft: Draft<EngineState>) => T): T {
    const draft = structuredClone(this.current) as Draft<EngineState>
    const result = mutate(draft)
    this.persist(draft)
    this.current = deepFreeze(draft as EngineState)
    for (const listener of this.listeners) listener(this.current)
    return result
  }

  /** Like update, scoped to one region (created on first write). */
  updateRegion<T>(region: string, mutate: (draft: Draft<RegionState>, state: Draft<EngineState>) => T): T {
    return this.update((state) => {
      const regionState = (state.regions[region] ??= {loadBalancers: [], instances: []})
      return mutate(regionState, state)
    })
  }

  onChange(listener: ChangeListener): () => void {
    this.listeners.add(listener)
    return () => this.listeners.delete(listener)
  }

  private persist(state: EngineState): void {
    const file = join(this.dir, STATE_FILE)
    const temp = `${file}.${process.pid}.tmp`
    const fd = openSync(temp, constants.O_WRONLY | constants.O_CREAT | constants.O_TRUNC, 0o600)
    try {
      writeSync(fd, JSON.stringify(state))
      fsyncSync(fd)
    } finally {
      closeSync(fd)
    }
    renameSync(temp, file)
    const dirFd = openSync(this.dir, constants.O_RDONLY)
    try {
      fsyncSync(dirFd)
    } finally {
      closeSync(dirFd)
    }
  }
}

function isEngineState(value: unknown): value is EngineState {
  if (typeof value !== 'object' || value === null) return false
  const state = value as Partial<Record<keyof EngineState, unknown>>
  return state.formatVersion === 1 && typeof state.regions === 'object' && state.regions !== null &&
    typeof state.iam === 'object' && state.iam !== null
}

function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value)
    for (const child of Object.values(value)) deepFreeze(child)
  }
  return value
}
