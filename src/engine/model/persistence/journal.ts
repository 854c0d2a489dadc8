/**
 * The write-ahead journal: one line per write, `<crc32 hex> <json>\n`, appended before the write is
 * published and fdatasync'ed before it is acknowledged. Segments are named by the first sequence number
 * they hold (`journal-000000000042.log`); compaction starts a new segment, writes a snapshot of
 * everything before it, then deletes the older segments.
 *
 * Reading is strict except at the very end: the last record of the last segment may be torn (a
 * crash during its append, so it was never acknowledged) and is ignored; any other damage, or a
 * gap in the sequence, refuses the state and leaves every file as it is.
 */
import {closeSync, fdatasync, fsyncSync, ftruncateSync, openSync, readdirSync, readFileSync, writeSync, constants} from 'node:fs'
import {join} from 'node:path'
import {crc32} from 'node:zlib'
import type {ChangeOp} from './changes.js'

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
        // Only the final record can be torn; anything else is damage we must not paper over.
        const isFinal = end < 0 || end === bytes.length - 1
        if (!(isLast && isFinal)) throw new JournalError(file, `damaged journal record at byte ${start}`)
        break
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
 * covering every append made before it starts (group commit). A failed append cuts the segment
 * back so no half record is left; a failed sync stops the journal for good (fail-stop: after a
 * failed fsync the kernel may have dropped the data, so retrying could acknowledge a lost write).
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

  constructor(private readonly dir: string, private tail: JournalTail | undefined) {}

  append(record: JournalRecord): void {
    if (this.failure !== undefined) throw new Error(`the journal cannot be written after a failed sync: ${this.failure.message}`)
    const line = Buffer.from(encodeRecord(record))
    const fd = this.open(record.seq)
    try {
      writeSync(fd, line, 0, line.length, this.length)
    } catch (error) {
      try {
        ftruncateSync(fd, this.length)
      } catch {
        // The append failed and so did the cut: the next open sees a torn tail, which is ignored.
      }
      throw error
    }
    this.length += line.length
    this.bytesSinceSnapshot += line.length
    this.dirty.add(fd)
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
      this.failure = error instanceof Error ? error : new Error(String(error))
      throw this.failure
    }
  }

  private open(seq: number): number {
    if (this.fd !== undefined) return this.fd
    if (this.tail !== undefined) {
      const fd = openSync(this.tail.file, constants.O_WRONLY, 0o600)
      if (this.tail.torn) ftruncateSync(fd, this.tail.length)
      this.fd = fd
      this.length = this.tail.length
      this.tail = undefined
      return fd
    }
    this.fd = openSync(join(this.dir, segmentName(seq)), constants.O_WRONLY | constants.O_CREAT | constants.O_TRUNC, 0o600)
    this.length = 0
    // The new name must survive a crash too (once, per segment).
    syncDirectory(this.dir)
    return this.fd
  }
}

function fdatasyncAsync(fd: number): Promise<void> {
  return new Promise((resolve, reject) => {
    fdatasync(fd, (error) => { if (error === null) resolve(); else reject(error) })
  })
}
