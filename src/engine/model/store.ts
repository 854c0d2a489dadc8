import {mkdirSync, statSync, unlinkSync} from 'node:fs'
import {join} from 'node:path'
import {Immer, isDraft, original, type Draft as ImmerDraft} from 'immer'
import {diffStates, EVERYTHING, type ChangeSet} from './persistence/changes.js'
import {InternalFailure, ServiceUnavailable} from './errors.js'
import {JournalError, JournalStoppedError, JournalSyncError, JournalWriter, JournalWriteError, listSegments, readJournal} from './persistence/journal.js'
import {Replay} from './persistence/replay.js'
import {readSnapshot, removeStaleTemporaries, STATE_FILE, writeSnapshot} from './persistence/snapshot.js'
import type {EngineState, RegionState} from './types.js'
import type {NetworkState} from './network-types.js'
import {InvalidParameterValue} from './errors.js'
import {isKnownRegion, unknownRegionMessage} from './regions.js'
import {deepFreeze, type Draft} from './draft.js'
import {defaultNetwork, platformOf, withDefaultNetwork} from './network/default-vpc.js'

export {STATE_FILE}
export type {ChangeSet}
export {EVERYTHING}

export type {Draft}

export class StateFileError extends Error {
  constructor(readonly file: string, cause: unknown) {
    super(`The state file ${file} cannot be read (${cause instanceof Error ? cause.message : String(cause)}). ` +
      'It was left untouched: move it away or repair it, then start the engine again.', {cause})
    this.name = 'StateFileError'
  }
}

export function emptyState(accountId = '123456789012'): EngineState {
  return {formatVersion: 1, accountId, regions: {}, iam: {serverCertificates: []}}
}

export const EMPTY_REGION: RegionState = {loadBalancers: [], instances: []}

type ChangeListener = (state: EngineState, changes: ChangeSet) => void

/**
 * The snapshot a draft was made from, for reading: scanning a draft makes a proxy for every
 * element read, scanning its original costs nothing. Index into the draft only what you change.
 */
export function baseOf<T>(draft: T): T {
  return isDraft(draft) ? (original<T>(draft as ImmerDraft<T>) ?? draft) : draft
}

/** Journal bytes since the last snapshot that start a compaction (at least; see shouldCompact). */
const COMPACT_MIN_BYTES = 4 * 1024 * 1024
const COMPACT_RETRY_MS = 10_000

/** Freezing is ours (only what a write made is new, so only that is walked); immer's would walk every sibling. */
const immer = new Immer({autoFreeze: false})

/**
 * The engine's durable desired state. Readers get the current immutable snapshot; writers pass a
 * mutation that edits a draft (immer): the next snapshot shares every record the write did not
 * touch. Before a write is published, the records it changed are appended to the journal (so a
 * `kill -9` right after loses nothing); `durable()` resolves once they are fdatasync'ed, off the
 * event loop, and the write is acknowledged only then (so it survives a power cut too). A mutation
 * that throws changes nothing. A background compaction folds the journal into `state.json` when
 * the journal has grown as large as the snapshot. Work per write follows the size of the change.
 *
 * Mutations run one at a time, synchronously, so each sees the result of the one before.
 */
export class Store {
  private current: EngineState
  private seq: number
  private snapshotBytes = 0
  private compacting: Promise<void> | undefined
  /** After a failed compaction (a full disk, say), the next one waits this long rather than follow every write. */
  private compactionRetryAt = 0
  private readonly listeners = new Set<ChangeListener>()
  private openedEmpty = false

  private constructor(
    readonly dir: string,
    state: EngineState,
    seq: number,
    private readonly journal: JournalWriter | undefined,
    private readonly log: (line: string) => void = () => undefined,
  ) {
    this.current = deepFreeze(state)
    this.seq = seq
  }

  /**
   * Opens (or creates) the state in `dir`: the snapshot, then every journal record after it. An
   * unreadable snapshot or a damaged journal throws StateFileError and nothing is changed; a torn
   * last record (a write that was never acknowledged) is ignored and cut off by the next write.
   */
  static open(dir: string, log?: (line: string) => void): Store {
    mkdirSync(dir, {recursive: true, mode: 0o700})
    const file = join(dir, STATE_FILE)
    let snapshot
    try {
      snapshot = readSnapshot(dir)
    } catch (error) {
      throw new StateFileError(file, error)
    }
    if (snapshot !== undefined && !isEngineState(snapshot.state)) {
      throw new StateFileError(file, new Error('not an elb-local state file of format version 1'))
    }
    const base = (snapshot?.state as EngineState | undefined) ?? emptyState()
    let journal
    try {
      journal = readJournal(dir, snapshot?.journalSeq ?? 0)
    } catch (error) {
      throw new StateFileError(error instanceof JournalError ? error.file : dir, error)
    }
    let state = base
    if (journal.records.length > 0) {
      const replay = new Replay(base)
      for (const record of journal.records) for (const op of record.ops) replay.apply(op)
      state = replay.state()
    }
    const writer = new JournalWriter(dir, journal.tail)
    const store = new Store(dir, state, journal.lastSeq, writer, log)
    store.openedEmpty = snapshot === undefined && journal.records.length === 0
    store.snapshotBytes = snapshot === undefined ? 0 : statSync(file).size
    writer.bytesSinceSnapshot = listSegments(dir).reduce((sum, segment) => sum + statSync(segment.file).size, 0)
    return store
  }

  /** An in-memory store for unit tests: nothing touches the disk. */
  static inMemory(state: EngineState = emptyState()): Store {
    return new Store('', state, 0, undefined)
  }

  /** Opened on a directory with no state yet (no snapshot, no journal record): a new account. */
  get fresh(): boolean {
    return this.openedEmpty
  }

  get state(): EngineState {
    return this.current
  }

  /**
   * A VPC account's Region holds its default VPC from the start: a Region never written reads with
   * it (derived, nothing stored), and its first write stores it (updateRegion). See docs/decisions.md,
   * "The default VPC: seeded on first use".
   */
  region(name: string): RegionState {
    // Own keys only: a region named `__proto__` or `constructor` is no region.
    const own = Object.hasOwn(this.current.regions, name) ? this.current.regions[name] : undefined
    if (own?.network !== undefined || platformOf(this.current) !== 'vpc' || !isKnownRegion(name)) return own ?? EMPTY_REGION
    return withDefaultNetwork(this.current.accountId, name, own)
  }

  /**
   * Applies `mutate` to a draft of the state, makes the change durable, then publishes it. Returns
   * what `mutate` returned. If `mutate` throws (or the journal cannot be written), nothing changes.
   */
  update<T>(mutate: (draft: Draft<EngineState>) => T): T {
    let result: T | undefined
    const next: EngineState = immer.produce(this.current, (draft) => {
      result = mutate(draft)
    })
    if (next === this.current) return result as T
    const {ops, changes} = diffStates(this.current, next)
    try {
      this.journal?.append({seq: this.seq + 1, ops})
    } catch (error) {
      // Not journaled, so not published: the state stays as it was.
      throw this.storageFailure(error)
    }
    this.seq += 1
    this.current = deepFreeze(next)
    for (const listener of this.listeners) listener(this.current, changes)
    if (this.shouldCompact()) void this.compact()
    return result as T
  }

  /** Like update, scoped to one region (created on first write). */
  updateRegion<T>(region: string, mutate: (draft: Draft<RegionState>, state: Draft<EngineState>) => T): T {
    return this.update((state) => {
      if (!Object.hasOwn(state.regions, region) && !isKnownRegion(region)) throw new InvalidParameterValue(unknownRegionMessage(region))
      const regionState = (state.regions[region] ??= {loadBalancers: [], instances: []})
      if (state.platform === 'vpc') regionState.network ??= structuredClone(defaultNetwork(state.accountId, region)) as Draft<NetworkState>
      return mutate(regionState, state)
    })
  }

  /** `listener` gets every published snapshot with what changed since the one before. */
  onChange(listener: ChangeListener): () => void {
    this.listeners.add(listener)
    return () => this.listeners.delete(listener)
  }

  /**
   * Folds the journal into a new `state.json` in the background: new writes go to a new journal
   * segment at once, the snapshot of this moment is written chunk by chunk, and the older
   * segments are deleted once it is durable. One compaction at a time; resolves when done.
   */
  compact(): Promise<void> {
    if (this.journal === undefined) return Promise.resolve()
    this.compacting ??= this.runCompaction(this.journal).finally(() => { this.compacting = undefined })
    return this.compacting
  }

  /**
   * Resolves once every write published so far is on disk (fdatasync'ed, in the thread pool). A
   * write must not be acknowledged before: the API and admin answers wait for it.
   */
  durable(): Promise<void> {
    return this.journal?.durable().catch((error: unknown) => { throw this.storageFailure(error) }) ?? Promise.resolve()
  }

  /** Opens the journal segment the next write goes to, now (start-up: before listeners take the descriptors). */
  prepareJournal(): void {
    this.journal?.prepare(this.seq + 1)
  }

  /** Waits for a running compaction, syncs and closes the journal. */
  async close(): Promise<void> {
    await this.compacting
    await this.journal?.close()
  }

  /** What a client is told when the journal fails it; the log gets the detail. */
  private storageFailure(error: unknown): unknown {
    if (error instanceof JournalWriteError) {
      this.log(`ERROR ${error.message}: the write was refused and nothing changed`)
      return new ServiceUnavailable(`The change was not saved: ${error.message}. Nothing was changed; ` +
        'free space on that disk (or repair it) and send the request again.')
    }
    if (error instanceof JournalSyncError || error instanceof JournalStoppedError) {
      this.log(`ERROR ${error.message}: the engine takes no more writes until it is restarted`)
      return new InternalFailure(`The change could not be made durable: ${error.message}. The engine takes no more ` +
        'writes, to protect what it acknowledged before: restart it (`elb-local stop`, then `elb-local start`).')
    }
    return error
  }

  private shouldCompact(): boolean {
    if (this.journal === undefined || this.compacting !== undefined || Date.now() < this.compactionRetryAt) return false
    return this.journal.bytesSinceSnapshot >= Math.max(COMPACT_MIN_BYTES, this.snapshotBytes)
  }

  private async runCompaction(journal: JournalWriter): Promise<void> {
    const state = this.current
    const seq = this.seq
    journal.rotate()
    journal.bytesSinceSnapshot = 0
    try {
      await removeStaleTemporaries(this.dir)
      this.snapshotBytes = await writeSnapshot(this.dir, state, seq)
      for (const segment of listSegments(this.dir)) {
        // Segments before the rotation hold only records up to `seq`, which the snapshot now has.
        if (segment.firstSeq <= seq) unlinkSync(segment.file)
      }
    } catch (error) {
      // Nothing is lost: the old snapshot and every segment are still there. Try again later.
      journal.bytesSinceSnapshot = COMPACT_MIN_BYTES
      this.compactionRetryAt = Date.now() + COMPACT_RETRY_MS
      this.log(`WARN state compaction failed (${error instanceof Error ? error.message : String(error)}); the journal keeps growing until it succeeds`)
    }
  }
}

function isEngineState(value: unknown): value is EngineState {
  if (typeof value !== 'object' || value === null) return false
  const state = value as Partial<Record<keyof EngineState, unknown>>
  return state.formatVersion === 1 && typeof state.regions === 'object' && state.regions !== null &&
    typeof state.iam === 'object' && state.iam !== null
}

