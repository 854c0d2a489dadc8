/**
 * The write-ahead journal: one line per write, `<crc32 hex> <json>\n`, appended before the write is
 * published and fdatasync'ed before it is acknowledged. Segments are named by the first sequence number
 * they hold (`journal-000000000042.log`); compaction starts a new segment, writes a snapshot of
 * everything before it, then deletes the older segments.
 *
 * Reading is strict except at the very end: the last record of the last segment may be torn (no
 * newline yet: a crash during its append, so it was never acknowledged) and is ignored; any other
 * damage — a whole line with a bad checksum included, even the last — or a gap in the sequence
 * refuses the state and leaves every file as it is.
 */
import {closeSync, fdatasync, fsyncSync, ftruncateSync, openSync, readdirSync, readFileSync, constants} from 'node:fs'
import {join} from 'node:path'
import {crc32} from 'node:zlib'
import type {ChangeOp} from './changes.js'
import {writeFully} from './write-fully.js'

export interface JournalRecord {
  readonly seq: number
  readonly ops: readonly ChangeOp[]
}

/** Where the next append goes: the last segment and the length of its intact records. */
export interface JournalTail {
  readonly file: string
  readonly length: number
  /** Bytes after `length` (a torn record) that the first append cuts off. */
  readonly torn: boolean
}

export class JournalError extends Error {
  constructor(readonly file: string, message: string) {
    super(message)
    this.name = 'JournalError'
  }
}

/** The error's own message (duck-typed: errors from another realm are not `instanceof Error`). */
function reasonOf(cause: unknown): string {
  const message = (cause as {message?: unknown} | null)?.message
  return typeof message === 'string' ? message : String(cause)
}

/** An append that did not reach the journal (ENOSPC, EIO, EMFILE, …): nothing of it was kept. */
export class JournalWriteError extends Error {
  constructor(readonly dir: string, cause: unknown) {
    super(`the journal in ${dir} could not be written (${reasonOf(cause)})`, {cause})
    this.name = 'JournalWriteError'
  }
}

/** A failed fdatasync: the kernel may have dropped written pages, so the journal takes no more writes. */
export class JournalSyncError extends Error {
  constructor(readonly dir: string, cause: unknown) {
    super(`the journal in ${dir} could not be synced to disk (${reasonOf(cause)})`, {cause})
    this.name = 'JournalSyncError'
  }
}

/** An append after a failed sync (fail-stop). */
export class JournalStoppedError extends Error {
  constructor(readonly failure: Error) {
    super(`the journal stopped after a failed sync: ${failure.message}`, {cause: failure})
    this.name = 'JournalStoppedError'
  }
}

const SEGMENT = /^journal-(\d{12})\.log$/
const NEWLINE = 0x0a

export const segmentName = (firstSeq: number) => `journal-${String(firstSeq).padStart(12, '0')}.log`

/** The journal's segments in `dir`, oldest first. */
export function listSegments(dir: string): {readonly file: string; readonly firstSeq: number}[] {
  return readdirSync(dir)
    .map((name) => ({name, match: SEGMENT.exec(name)}))
    .filter((entry): entry is {name: string; match: RegExpExecArray} => entry.match !== null)
    .map(({name, match}) => ({file: join(dir, name), firstSeq: Number(match[1])}))
    .sort((a, b) => a.firstSeq - b.firstSeq)
}

export function encodeRecord(record: JournalRecord): string {
  const json = JSON.stringify(record)
  return `${crc32(json).toString(16).padStart(8, '0')} ${json}\n`
}

/** Every record after `afterSeq`, in order, and where the journal ends. Throws JournalError. */
export function readJournal(dir: string, afterSeq: number): {records: JournalRecord[]; lastSeq: number; tail?: JournalTail} {
  const segments = listSegments(dir)
  const records: JournalRecord[] = []
  let lastSeq = afterSeq
  let tail: JournalTail | undefined
  segments.forEach(({file}, index) => {
    const isLast = index === segments.length - 1
    const bytes = readFileSync(file)
    let start = 0
    while (start < bytes.length) {
      const end = bytes.indexOf(NEWLINE, start)
      const record = end < 0 ? undefined : decodeRecord(bytes.toString('utf8', start, end))
      if (record === undefined) {
        // Only a final record without its newline is torn (its append never finished, so it was never
        // acknowledged). A whole line that fails its check is damage, wherever it is: never dropped silently.
        if (isLast && end < 0) break
        throw new JournalError(file, damageMessage(file, start, end === bytes.length - 1))
      }
      if (record.seq > lastSeq) {
        if (record.seq !== lastSeq + 1) throw new JournalError(file, `journal record ${record.seq} follows ${lastSeq}: records are missing`)
        records.push(record)
        lastSeq = record.seq
      }
      start = end + 1
    }
    if (isLast) tail = {file, length: start, torn: start < bytes.length}
  })
  return tail === undefined ? {records, lastSeq} : {records, lastSeq, tail}
}

function damageMessage(file: string, offset: number, isFinal: boolean): string {
  const what = `damaged journal record at byte ${offset} of ${file} (a complete line whose checksum or content is wrong)`
  // The last record is the one a failing disk or an outside edit most likely hit: say how to drop just it.
  return isFinal
    ? `${what}; if losing that one last write is acceptable, cut it off with \`truncate -s ${offset} ${file}\``
    : what
}

/** Makes a created or renamed directory entry durable. */
export function syncDirectory(dir: string): void {
  const fd = openSync(dir, constants.O_RDONLY)
  try {
    fsyncSync(fd)
  } finally {
    closeSync(fd)
  }
}

function decodeRecord(line: string): JournalRecord | undefined {
  const space = line.indexOf(' ')
  if (space !== 8) return undefined
  const json = line.slice(9)
  if (crc32(json).toString(16).padStart(8, '0') !== line.slice(0, 8)) return undefined
  try {
    const record = JSON.parse(json) as Partial<JournalRecord>
    return Number.isSafeInteger(record.seq) && Array.isArray(record.ops) ? (record as JournalRecord) : undefined
  } catch {
    return undefined
  }
}

/**
 * Appends records to the current segment. `append` writes synchronously (into the kernel, so a
 * `kill -9` right after it loses nothing); `durable` resolves once everything appended so far has
 * been fdatasync'ed, in the thread pool (so the event loop never waits for the disk), one sync
 * covering every append made before it starts (group commit). An append counts only once all of
 * it is written (short writes are continued); a failed one (ENOSPC, EIO) cuts the segment back to
 * the last whole record, so no half record is left, and the next append can succeed. A failed sync
 * stops the journal for good (fail-stop: after a failed fsync the kernel may have dropped the data,
 * so retrying could acknowledge a lost write).
 */
export class JournalWriter {
  private fd: number | undefined
  private length = 0
  /** Bytes appended to this journal since the last snapshot. */
  bytesSinceSnapshot = 0
  /** Descriptors with appends that no started sync covers, and old segments to close once synced. */
  private readonly dirty = new Set<number>()
  private readonly retired = new Set<number>()
  private lastSync: Promise<void> = Promise.resolve()
  private nextSync: Promise<void> | undefined
  private failure: Error | undefined
  /** The segment may hold bytes of a failed append after `length`. */
  private cutPending = false
  /** The current segment's directory entry is not synced yet (its first sync failed). */
  private directoryPending = false

  constructor(private readonly dir: string, private tail: JournalTail | undefined) {}

  append(record: JournalRecord): void {
    if (this.failure !== undefined) throw new JournalStoppedError(this.failure)
    const line = Buffer.from(encodeRecord(record))
    try {
      const fd = this.open(record.seq)
      this.syncNewName()
      this.cutBack(fd)
      // A write may be short (a disk filling up): the record counts only once every byte is written.
      writeFully(fd, line, this.length)
      this.dirty.add(fd)
    } catch (error) {
      this.cutPending = this.fd !== undefined
      if (this.fd !== undefined) this.tryCutBack(this.fd)
      throw new JournalWriteError(this.dir, error)
    }
    this.length += line.length
    this.bytesSinceSnapshot += line.length
  }

  /** Opens the segment the next record goes to now, so a start that runs out of descriptors later still can write. */
  prepare(nextSeq: number): void {
    if (this.failure === undefined) this.open(nextSeq)
  }

  /** Resolves once every record appended so far is on disk; rejects if that can no longer be. */
  durable(): Promise<void> {
    if (this.dirty.size === 0 && this.nextSync === undefined) return this.lastSync
    if (this.nextSync === undefined) {
      const next = this.lastSync.then(() => this.sync())
      this.nextSync = next
      this.lastSync = next
    }
    return this.nextSync
  }

  /** The next append starts a new segment; the current one is closed once its data is synced. */
  rotate(): void {
    this.tail = undefined
    if (this.fd === undefined) return
    this.retired.add(this.fd)
    this.dirty.add(this.fd)
    this.fd = undefined
    this.durable().catch(() => undefined)
  }

  /** Syncs what is left and closes every segment. */
  async close(): Promise<void> {
    this.rotate()
    await this.durable()
  }

  private async sync(): Promise<void> {
    this.nextSync = undefined
    const fds = [...this.dirty]
    this.dirty.clear()
    try {
      for (const fd of fds) {
        await fdatasyncAsync(fd)
        if (this.retired.delete(fd)) closeSync(fd)
      }
    } catch (error) {
      this.failure = new JournalSyncError(this.dir, error)
      throw this.failure
    }
  }

  /** A failed append leaves bytes after the last whole record: they go before anything else is written. */
  private cutBack(fd: number): void {
    if (!this.cutPending) return
    ftruncateSync(fd, this.length)
    this.cutPending = false
  }

  private tryCutBack(fd: number): void {
    try {
      this.cutBack(fd)
    } catch {
      // Still pending: the next append cuts first, and fails if it cannot (a torn tail is ignored at start anyway).
    }
  }

  private open(seq: number): number {
    if (this.fd !== undefined) return this.fd
    if (this.tail !== undefined) {
      this.fd = openSync(this.tail.file, constants.O_WRONLY, 0o600)
      this.length = this.tail.length
      this.cutPending = this.tail.torn
      this.tail = undefined
      return this.fd
    }
    this.fd = openSync(join(this.dir, segmentName(seq)), constants.O_WRONLY | constants.O_CREAT | constants.O_TRUNC, 0o600)
    this.length = 0
    // The new name must survive a crash too (once per segment; until it has, no append counts).
    this.directoryPending = true
    this.syncNewName()
    return this.fd
  }

  private syncNewName(): void {
    if (!this.directoryPending) return
    syncDirectory(this.dir)
    this.directoryPending = false
  }
}

function fdatasyncAsync(fd: number): Promise<void> {
  return new Promise((resolve, reject) => {
    fdatasync(fd, (error) => { if (error === null) resolve(); else reject(error) })
  })
}
