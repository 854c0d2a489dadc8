/**
 * A small tmpfs for full-disk tests: mounted where the test may mount one (root, `mount` present),
 * filled on demand by a filler file written until the kernel says ENOSPC, then freed again.
 */
import {execFileSync} from 'node:child_process'
import {closeSync, mkdtempSync, openSync, rmdirSync, rmSync, statfsSync, writeSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {afterAll, describe, it} from '@jest/globals'

export interface SmallDisk {
  readonly dir: string
  /** Writes a filler file until the disk is full (ENOSPC). */
  fill(): void
  /** Removes the filler file. */
  free(): void
  unmount(): void
}

/**
 * `describe` with a tmpfs of `bytes` mounted for its tests (unmounted after them); where mounting
 * is not permitted, the block is skipped and the reason printed.
 */
export function describeOnSmallDisk(title: string, bytes: number, body: (disk: SmallDisk) => void): void {
  const mounted = mountSmallDisk(bytes)
  if (mounted.disk === undefined) {
    process.stderr.write(`SKIPPED "${title}": ${mounted.skipReason ?? 'no tmpfs'}\n`)
    describe.skip(title, () => { it.todo('needs a tmpfs it can mount') })
    return
  }
  const disk = mounted.disk
  describe(title, () => {
    afterAll(() => { disk.unmount(); })
    body(disk)
  })
}

/** Mounts a tmpfs of `bytes`; no disk (and the reason) where mounting is not permitted. */
function mountSmallDisk(bytes: number): {disk?: SmallDisk; skipReason?: string} {
  const dir = mkdtempSync(join(tmpdir(), 'elb-local-small-disk-'))
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${bytes},mode=0700`, 'tmpfs', dir], {stdio: 'pipe'})
  } catch (error) {
    rmdirSync(dir)
    const detail = (error as {stderr?: Buffer}).stderr?.toString().trim() ?? String(error)
    return {skipReason: `cannot mount a tmpfs here (${detail}); the full-disk tests need root and mount`}
  }
  assertSmallTmpfs(dir, bytes)
  const filler = join(dir, 'filler')
  return {
    disk: {
      dir,
      fill: () => {
        // Never fill anything but this small tmpfs: were it gone (unmounted under us), the filler
        // would fill the real disk under every other process.
        assertSmallTmpfs(dir, bytes)
        const fd = openSync(filler, 'a')
        const chunk = Buffer.alloc(4096, 0x78)
        try {
          for (let written = 0; written <= bytes; written += writeSync(fd, chunk));
          throw new Error(`${dir} took more than ${bytes} bytes without ENOSPC: it is not the small disk`)
        } catch (error) {
          if ((error as NodeJS.ErrnoException).code !== 'ENOSPC') throw error
        } finally {
          closeSync(fd)
        }
      },
      free: () => { rmSync(filler, {force: true}); },
      unmount: () => {
        rmSync(filler, {force: true})
        try {
          execFileSync('umount', ['-l', dir], {stdio: 'pipe'})
        } finally {
          rmSync(dir, {recursive: true, force: true})
        }
      },
    },
  }
}

/** The tmpfs magic number (linux/magic.h). */
const TMPFS_MAGIC = 0x01021994

function assertSmallTmpfs(dir: string, bytes: number): void {
  const stats = statfsSync(dir)
  if (stats.type !== TMPFS_MAGIC || stats.blocks * stats.bsize > bytes) {
    throw new Error(`${dir} is not the ${bytes}-byte tmpfs this test mounted (type ${stats.type.toString(16)}, ` +
      `${stats.blocks * stats.bsize} bytes): refusing to fill it`)
  }
}
