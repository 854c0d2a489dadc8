/**
 * Keeps this engine's block in the hosts file current while `elb-local hosts --sync` is on: the
 * switch is a file in the engine home (`hosts-sync`), so a restarted engine carries on. Changes are
 * coalesced: however many load balancers a burst of writes touches, the file is written once.
 */
import {existsSync, rmSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'
import type {ChangeSet} from '../model/store.js'
import {syncHostsFile} from './hosts-file.js'
import type {LoadBalancerNames} from './names.js'

const SWITCH_FILE = 'hosts-sync'

/** Removes the block of an engine that is not running, and its switch (a later start does not put it back). */
export function removeHostsBlockOffline(home: string, file: string): boolean {
  rmSync(join(home, SWITCH_FILE), {force: true})
  return syncHostsFile(file, home, undefined)
}

export interface HostsSyncStatus {
  readonly file: string
  readonly enabled: boolean
  readonly names: number
}

export class HostsFileError extends Error {
  constructor(readonly file: string, cause: unknown) {
    const code = (cause as NodeJS.ErrnoException | undefined)?.code
    const reason = code === 'EACCES' || code === 'EPERM' || code === 'EROFS'
      ? 'no permission to write it (run the engine as root, or point ELB_LOCAL_HOSTS_FILE elsewhere)'
      : cause instanceof Error ? cause.message : String(cause)
    super(`Cannot update ${file}: ${reason}.`, {cause})
    this.name = 'HostsFileError'
  }
}

export class HostsSync {
  private enabled: boolean
  private pending: Promise<void> | undefined

  constructor(private readonly options: {
    readonly home: string
    readonly file: string
    readonly names: LoadBalancerNames
    readonly log: (line: string) => void
  }) {
    this.enabled = existsSync(join(options.home, SWITCH_FILE))
  }

  status(): HostsSyncStatus {
    return {file: this.options.file, enabled: this.enabled, names: this.options.names.size}
  }

  /** Writes the block now and keeps it current; throws HostsFileError if the file cannot be written. */
  enable(): HostsSyncStatus {
    this.write(this.options.names.entries())
    writeFileSync(join(this.options.home, SWITCH_FILE), `${this.options.file}\n`, {mode: 0o600})
    this.enabled = true
    return this.status()
  }

  /** Removes the block and stops keeping it. */
  disable(): HostsSyncStatus {
    this.enabled = false
    rmSync(join(this.options.home, SWITCH_FILE), {force: true})
    this.write(undefined)
    return this.status()
  }

  /** After a snapshot: rewrites the block once the current burst of writes is over. */
  apply(changes: ChangeSet): Promise<void> {
    if (!this.enabled || (!changes.all && changes.loadBalancers.length === 0)) return Promise.resolve()
    this.pending ??= new Promise((resolve) => {
      setImmediate(() => {
        this.pending = undefined
        if (this.enabled) this.flush()
        resolve()
      })
    })
    return this.pending
  }

  private flush(): void {
    try {
      this.write(this.options.names.entries())
    } catch (error) {
      this.options.log(`WARN ${error instanceof Error ? error.message : String(error)}`)
    }
  }

  private write(lines: readonly {address: string; dnsName: string}[] | undefined): void {
    try {
      syncHostsFile(this.options.file, this.options.home, lines)
    } catch (error) {
      throw new HostsFileError(this.options.file, error)
    }
  }
}
