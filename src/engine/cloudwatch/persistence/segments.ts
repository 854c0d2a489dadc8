import {mkdir, open, readdir, unlink, type FileHandle} from 'node:fs/promises'
import {join} from 'node:path'
import {crc32} from 'node:zlib'

/**
 * Append-only segment files of one CloudWatch stream (elb, custom, alarms) under
 * `<home>/cloudwatch/`: `<stream>-<hour>-<run>.seg`, one file per hour of writing and engine run,
 * so an engine only ever appends to its own files and a torn record can only be a file's last.
 * A file is the magic line, then frames `[u32 LE length][u32 LE crc32][payload]`. Reading is
 * bounded (MAX_FRAME_BYTES per frame) and never throws on a bad file: a torn last frame (kill -9
 * in the middle of a write) is ignored, a damaged one ends that file with a log line, and the
 * other files load. Files whose hour is past the retention are deleted by the writer.
 */

const MAGIC = Buffer.from('ELBCW1\n')
const HEADER = 8
export const MAX_FRAME_BYTES = 64 * 1024 * 1024
const NAME = /^([a-z]+)-(\d{8})-(\d{13})\.seg$/

export const segmentName = (stream: string, hour: number, run: number) =>
  `${stream}-${String(hour).padStart(8, '0')}-${String(run).padStart(13, '0')}.seg`

interface SegmentFile {
  readonly name: string
  readonly hour: number
}

/** The stream's files, oldest first (by hour, then run). */
export async function segmentFiles(dir: string, stream: string): Promise<SegmentFile[]> {
  const names = await readdir(dir).catch(() => [] as string[])
  return names.flatMap((name) => {
    const match = NAME.exec(name)
    return match?.[1] === stream ? [{name, hour: Number(match[2])}] : []
  }).sort((a, b) => a.name.localeCompare(b.name))
}

export function frame(payload: Buffer): Buffer {
  const header = Buffer.alloc(HEADER)
  header.writeUInt32LE(payload.length, 0)
  header.writeUInt32LE(crc32(payload), 4)
  return Buffer.concat([header, payload])
}

/**
 * Every whole frame of the stream's files in order. A damaged file is reported through `log`
 * (file, byte offset, what) and left; reading goes on with the next file.
 */
export async function* readFrames(dir: string, stream: string, log: (line: string) => void): AsyncGenerator<Buffer> {
  for (const file of await segmentFiles(dir, stream)) {
    const path = join(dir, file.name)
    let handle: FileHandle | undefined
    try {
      handle = await open(path, 'r')
      const size = (await handle.stat()).size
      const magic = Buffer.alloc(MAGIC.length)
      if ((await handle.read(magic, 0, MAGIC.length, 0)).bytesRead < MAGIC.length || !magic.equals(MAGIC)) {
        log(`WARN CloudWatch history: ${path} is not a segment file (no magic line): skipped`)
        continue
      }
      let offset = MAGIC.length
      while (offset < size) {
        const problem = size - offset < HEADER ? 'torn' : undefined
        const header = Buffer.alloc(HEADER)
        if (problem === undefined) await handle.read(header, 0, HEADER, offset)
        const length = header.readUInt32LE(0)
        if (problem === 'torn' || offset + HEADER + length > size) {
          log(`CloudWatch history: ignored the torn last record of ${path} (${size - offset} bytes at offset ${offset})`)
          break
        }
        if (length > MAX_FRAME_BYTES) {
          log(`WARN CloudWatch history: ${path} is damaged at byte ${offset} (a record of ${length} bytes): the rest of the file is skipped`)
          break
        }
        const payload = Buffer.alloc(length)
        await handle.read(payload, 0, length, offset + HEADER)
        if (crc32(payload) !== header.readUInt32LE(4)) {
          log(`WARN CloudWatch history: ${path} is damaged at byte ${offset} (checksum mismatch): the rest of the file is skipped`)
          break
        }
        offset += HEADER + length
        yield payload
      }
    } catch (error) {
      log(`WARN CloudWatch history: ${path} could not be read (${error instanceof Error ? error.message : String(error)}): skipped`)
    } finally {
      await handle?.close().catch(() => undefined)
    }
  }
}

/**
 * Appends frames to this run's file of the current hour (a new file each hour), each append
 * fdatasync'd before the next: what was written survives kill -9 and power loss. A failed write
 * (a full disk) is cut back to the last whole frame and reported once; the next append tries again.
 */
export class SegmentWriter {
  private handle: FileHandle | undefined
  private hour = -1
  private size = 0
  private warned = false

  constructor(private readonly dir: string, private readonly stream: string, private readonly run: number, private readonly log: (line: string) => void) {}

  async append(hour: number, payload: Buffer): Promise<void> {
    try {
      if (this.handle === undefined || hour !== this.hour) {
        await this.handle?.close()
        this.handle = undefined
        await mkdir(this.dir, {recursive: true})
        this.handle = await open(join(this.dir, segmentName(this.stream, hour, this.run)), 'a')
        this.hour = hour
        this.size = (await this.handle.stat()).size
        if (this.size === 0) this.size += (await this.handle.write(MAGIC)).bytesWritten
      }
      const bytes = frame(payload)
      let written = 0
      while (written < bytes.length) written += (await this.handle.write(bytes, written, bytes.length - written)).bytesWritten
      await this.handle.datasync()
      this.size += written
    } catch (error) {
      await this.handle?.truncate(this.size).catch(() => undefined)
      if (!this.warned) {
        this.warned = true
        this.log(`WARN CloudWatch history: could not write ${this.stream} data under ${this.dir} ` +
          `(${error instanceof Error ? error.message : String(error)}): a restart loses what was not written`)
      }
    }
  }

  /** Deletes the stream's files written before `oldestHour` (every record in them is older than the retention). */
  async deleteBefore(oldestHour: number): Promise<void> {
    for (const file of await segmentFiles(this.dir, this.stream)) {
      if (file.hour < oldestHour && !(file.hour === this.hour && this.handle !== undefined)) await unlink(join(this.dir, file.name)).catch(() => undefined)
    }
  }

  async close(): Promise<void> {
    await this.handle?.close().catch(() => undefined)
    this.handle = undefined
  }
}
