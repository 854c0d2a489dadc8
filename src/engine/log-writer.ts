import {writeFully} from './model/persistence/write-fully.js'

/**
 * Appends the engine's log lines to a descriptor that stays open (so a process out of descriptors
 * can still log). A write that fails (a full disk, EIO) never throws: the line is dropped and
 * counted, and the first line that can be written again is preceded by how many were lost and why.
 * Synchronous on purpose: a line must be on its way before a crash, and a log line is small.
 */
export class LogWriter {
  private dropped = 0
  private lastError = ''

  constructor(private readonly fd: number) {}

  /** Lines lost since the last successful write. */
  get droppedLines(): number {
    return this.dropped
  }

  write(text: string): void {
    try {
      if (this.dropped > 0) {
        writeFully(this.fd, Buffer.from(`${new Date().toISOString()} WARN ${this.dropped} log line(s) dropped: ` +
          `the log could not be written (${this.lastError})\n`))
        this.dropped = 0
      }
      writeFully(this.fd, Buffer.from(text))
    } catch (error) {
      this.dropped += 1
      this.lastError = error instanceof Error ? error.message : String(error)
    }
  }
}
