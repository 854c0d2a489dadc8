/**
 * Message-body delimiters for the layer-7 proxy. Bodies are never parsed or changed, only
 * delimited, so the bytes an instance receives are exactly the bytes the framer accepted. The
 * chunked framer is therefore strict (RFC 9112 §7.1): anything a lenient parser behind the load
 * balancer could read differently — a bare LF, a NUL, a folded trailer, a malformed chunk size — is
 * a framing error before the byte is forwarded.
 */

/** Delimits one message body inside a byte stream without changing it. */
export interface BodyFramer {
  /**
   * Consume bytes of `chunk` from `start`; returns the index just past the last byte that belongs
   * to this body (`chunk.length` when all do), or -1 when the framing is invalid.
   */
  consume(chunk: Buffer, start: number): number
  readonly done: boolean
}

export class LengthFramer implements BodyFramer {
  private remaining: number
  constructor(length: number) {
    this.remaining = length
  }
  get done(): boolean {
    return this.remaining === 0
  }
  consume(chunk: Buffer, start: number): number {
    const take = Math.min(this.remaining, chunk.length - start)
    this.remaining -= take
    return start + take
  }
}

const enum Chunk {
  /** First hex digit of a chunk size. */
  SizeStart,
  Size,
  /** Whitespace after the size: only `;` (an extension) may follow (RFC 9112 BWS). */
  SizeBws,
  Extension,
  SizeLf,
  Data,
  DataCr,
  DataLf,
  TrailerStart,
  TrailerName,
  TrailerValue,
  TrailerLf,
  FinalLf,
  Done,
}

/** Sizes above this cannot be represented exactly (2^52); no real body comes near it. */
const MAX_CHUNK_SIZE = 2 ** 52
/** Bound on a chunk-size line's extensions and on the whole trailer section (bytes). */
const MAX_EXTENSION_BYTES = 4096
const MAX_TRAILER_BYTES = 64 * 1024
/** Trailer fields that describe framing or routing: a recipient merging them would desynchronise. */
const FORBIDDEN_TRAILERS = new Set(['content-length', 'transfer-encoding', 'host'])

/** RFC 9110 tchar as a byte table. */
const TCHAR = new Uint8Array(256)
for (const c of '!#$%&\'*+-.^_`|~0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ') TCHAR[c.charCodeAt(0)] = 1

/** HTAB, SP, VCHAR and obs-text: what a field value or chunk extension may contain. */
function isFieldByte(c: number): boolean {
  return c === 0x09 || (c >= 0x20 && c !== 0x7f)
}

/** RFC 9112 §7.1 chunked coding, validated byte by byte outside chunk data, skipped over data. */
export class ChunkedFramer implements BodyFramer {
  private state = Chunk.SizeStart
  private size = 0
  private lineBytes = 0
  private trailerBytes = 0
  private trailerName = ''
  private remaining = 0

  get done(): boolean {
    return this.state === Chunk.Done
  }

  consume(chunk: Buffer, start: number): number {
    let i = start
    const end = chunk.length
    while (i < end) {
      const c = chunk[i] ?? 0
      switch (this.state) {
        case Chunk.Data: {
          const take = Math.min(this.remaining, end - i)
          this.remaining -= take
          i += take
          if (this.remaining === 0) this.state = Chunk.DataCr
          continue
        }
        case Chunk.SizeStart:
        case Chunk.Size: {
          const v = hexValue(c)
          if (v >= 0) {
            if (this.size >= MAX_CHUNK_SIZE / 16) return -1
            this.size = this.size * 16 + v
            this.state = Chunk.Size
          } else if (this.state === Chunk.SizeStart) {
            return -1
          } else if (c === 0x0d) {
            this.state = Chunk.SizeLf
          } else if (c === 0x3b /* ; */) {
            this.state = Chunk.Extension
          } else if (c === 0x20 || c === 0x09) {
            this.state = Chunk.SizeBws
          } else {
            return -1
          }
          break
        }
        case Chunk.SizeBws:
          if (c === 0x3b) this.state = Chunk.Extension
          else if (c !== 0x20 && c !== 0x09) return -1
          break
        case Chunk.Extension:
          if (c === 0x0d) this.state = Chunk.SizeLf
          else if (!isFieldByte(c) || ++this.lineBytes > MAX_EXTENSION_BYTES) return -1
          break
        case Chunk.SizeLf:
          if (c !== 0x0a) return -1
          this.lineBytes = 0
          if (this.size === 0) {
            this.state = Chunk.TrailerStart
          } else {
            this.remaining = this.size
            this.size = 0
            this.state = Chunk.Data
          }
          break
        case Chunk.DataCr:
          if (c !== 0x0d) return -1
          this.state = Chunk.DataLf
          break
        case Chunk.DataLf:
          if (c !== 0x0a) return -1
          this.state = Chunk.SizeStart
          break
        case Chunk.TrailerStart:
          // A trailer line is a field line: no folding, no bare LF, a token name.
          if (c === 0x0d) this.state = Chunk.FinalLf
          else if (TCHAR[c] === 1) {
            this.trailerName = String.fromCharCode(c | 0x20)
            this.state = Chunk.TrailerName
          } else return -1
          break
        case Chunk.TrailerName:
          if (c === 0x3a /* : */) {
            if (FORBIDDEN_TRAILERS.has(this.trailerName)) return -1
            this.state = Chunk.TrailerValue
          } else if (TCHAR[c] === 1 && this.trailerName.length < 64) {
            this.trailerName += String.fromCharCode(c >= 0x41 && c <= 0x5a ? c | 0x20 : c)
          } else if (TCHAR[c] !== 1) {
            return -1
          }
          break
        case Chunk.TrailerValue:
          if (c === 0x0d) this.state = Chunk.TrailerLf
          else if (!isFieldByte(c)) return -1
          break
        case Chunk.TrailerLf:
          if (c !== 0x0a) return -1
          this.state = Chunk.TrailerStart
          break
        case Chunk.FinalLf:
          if (c !== 0x0a) return -1
          this.state = Chunk.Done
          return i + 1
        case Chunk.Done:
          return i
      }
      if (this.state >= Chunk.TrailerStart && ++this.trailerBytes > MAX_TRAILER_BYTES) return -1
      i++
    }
    return i
  }
}

function hexValue(c: number): number {
  if (c >= 0x30 && c <= 0x39) return c - 0x30
  if (c >= 0x61 && c <= 0x66) return c - 0x57
  if (c >= 0x41 && c <= 0x46) return c - 0x37
  return -1
}

/** A response body delimited by the instance closing the connection. */
export class UntilCloseFramer implements BodyFramer {
  readonly done = false
  consume(chunk: Buffer): number {
    return chunk.length
  }
}
