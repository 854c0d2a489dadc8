/**
 * The snapshot file `state.json`: the whole state as JSON plus `journalSeq`, the last journal record
 * it contains. It is written in the background from an immutable snapshot, a record at a time with
 * the writes handed to the thread pool, so the event loop is never held for more than one chunk;
 * then fsync, rename over the old one, fsync of the directory. A crash at any point leaves the old
 * snapshot and the journal, which together still hold everything.
 */
import {readFileSync} from 'node:fs'
import {open, readdir, rename, unlink} from 'node:fs/promises'
import {join} from 'node:path'
import type {EngineState} from '../types.js'

export const STATE_FILE = 'state.json'
/** A temp file a snapshot write leaves if it dies before its rename (never acknowledged). */
export const STALE_TEMP = /^state\.json\.\d+\.tmp$/
/** Bytes stringified between two writes: small enough that no listener waits long. */
const CHUNK_BYTES = 64 * 1024

export interface SnapshotContents {
  readonly state: unknown
  readonly journalSeq: number
}

/** The snapshot in `dir`, or undefined when there is none yet. Throws what reading or parsing threw. */
export function readSnapshot(dir: string): SnapshotContents | undefined {
  let text: string
  try {
    text = readFileSync(join(dir, STATE_FILE), 'utf8')
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined
    throw error
  }
  const parsed = JSON.parse(text) as unknown
  if (typeof parsed !== 'object' || parsed === null) return {state: parsed, journalSeq: 0}
  const {journalSeq, ...state} = parsed as {journalSeq?: unknown}
  // A state file written before the journal existed has no journalSeq: it is the whole state.
  const seq = journalSeq === undefined ? 0 : journalSeq
  if (typeof seq !== 'number' || !Number.isSafeInteger(seq) || seq < 0) throw new Error(`journalSeq ${JSON.stringify(seq)} is not a sequence number`)
  return {state, journalSeq: seq}
}

/** Writes `state` (complete up to journal record `journalSeq`) as the new snapshot. Returns its size. */
export async function writeSnapshot(dir: string, state: EngineState, journalSeq: number): Promise<number> {
  const file = join(dir, STATE_FILE)
  const temp = `${file}.${process.pid}.tmp`
  const handle = await open(temp, 'w', 0o600)
  let size = 0
  try {
    try {
      let pending = ''
      for (const piece of snapshotPieces(state, journalSeq)) {
        pending += piece
        if (pending.length < CHUNK_BYTES) continue
        size += await writeAll(handle, pending)
        pending = ''
      }
      size += await writeAll(handle, pending)
      await handle.sync()
    } finally {
      await handle.close()
    }
    await rename(temp, file)
  } catch (error) {
    // A full disk must not stay full of a snapshot that will never be used.
    await unlink(temp).catch(() => undefined)
    throw error
  }
  const dirHandle = await open(dir, 'r')
  try {
    await dirHandle.sync()
  } finally {
    await dirHandle.close()
  }
  return size
}

/** Temporary files a crashed snapshot left behind. */
export async function removeStaleTemporaries(dir: string): Promise<void> {
  for (const name of await readdir(dir)) {
    if (STALE_TEMP.test(name)) await unlink(join(dir, name)).catch(() => undefined)
  }
}

async function writeAll(handle: Awaited<ReturnType<typeof open>>, text: string): Promise<number> {
  const bytes = Buffer.from(text)
  let offset = 0
  while (offset < bytes.length) offset += (await handle.write(bytes, offset)).bytesWritten
  return bytes.length
}

/** The snapshot's JSON in pieces, one record at a time. */
function* snapshotPieces(state: EngineState, journalSeq: number): Generator<string> {
  const head = {
    formatVersion: state.formatVersion,
    accountId: state.accountId,
    ...(state.platform === undefined ? {} : {platform: state.platform}),
    journalSeq,
  }
  yield `${JSON.stringify(head).slice(0, -1)},"regions":{`
  let firstRegion = true
  for (const [name, region] of Object.entries(state.regions)) {
    yield `${firstRegion ? '' : ','}${JSON.stringify(name)}:{"loadBalancers":`
    firstRegion = false
    yield* arrayPieces(region.loadBalancers)
    yield ',"instances":'
    yield* arrayPieces(region.instances)
    if (region.network !== undefined) {
      yield ',"network":{'
      let firstCollection = true
      for (const [collection, records] of Object.entries(region.network)) {
        yield `${firstCollection ? '' : ','}${JSON.stringify(collection)}:`
        firstCollection = false
        yield* arrayPieces(records as readonly unknown[])
      }
      yield '}'
    }
    if (region.acmCertificates !== undefined) {
      yield ',"acmCertificates":'
      yield* arrayPieces(region.acmCertificates)
    }
    if (region.alarms !== undefined) {
      yield ',"alarms":'
      yield* arrayPieces(region.alarms)
    }
    yield '}'
  }
  yield '},"iam":{"serverCertificates":'
  yield* arrayPieces(state.iam.serverCertificates)
  yield '}}'
}

function* arrayPieces(items: readonly unknown[]): Generator<string> {
  yield '['
  for (let index = 0; index < items.length; index++) yield (index === 0 ? '' : ',') + JSON.stringify(items[index])
  yield ']'
}
