import {writeSync} from 'node:fs'

/**
 * Writes every byte of `bytes` (at `position`, or at the end of an append-mode file), continuing
 * after short writes: a disk filling up may take part of a buffer and then fail. Throws the error
 * of the write that failed; what was written before it stays in the file (the caller cuts it off).
 */
export function writeFully(fd: number, bytes: Uint8Array, position?: number): void {
  for (let written = 0; written < bytes.length;) {
    const count = writeSync(fd, bytes, written, bytes.length - written, position === undefined ? null : position + written)
    if (count === 0) throw Object.assign(new Error('no space left on device, write'), {code: 'ENOSPC'})
    written += count
  }
}
