/**
 * The CLI's start-up snapshot lives in a cache directory on the machine that runs the commands —
 * `$XDG_CACHE_HOME/elb-tools/` (else `~/.cache/elb-tools/`) — never in the package: a blob only
 * loads in the Node that made it. Its name carries the package build (`snapshot.key`, written by
 * the build: version + a hash of the bundled script) and the node binary's stamp (size and mtime,
 * as the shims' `stat -L -c '%s-%Y'` prints them), so upgrading either simply makes a new one.
 *
 * `npm run build` makes it at once; an installed package makes it on its first run, in the
 * background (`scheduleSnapshot`), and takes the module path until it is there.
 */
import {spawn, spawnSync} from 'node:child_process'
import {closeSync, existsSync, mkdirSync, openSync, readdirSync, readFileSync, renameSync, rmSync, statSync} from 'node:fs'
import {homedir} from 'node:os'
import {dirname, join} from 'node:path'
import {fileURLToPath} from 'node:url'

/** dist/lib/bundle/, where the build leaves snapshot.cjs and snapshot.key. */
export const BUNDLE_DIR = dirname(fileURLToPath(import.meta.url)).replace(/\/src\/lib\/bundle$/, '/dist/lib/bundle')
export const SNAPSHOT_SCRIPT = join(BUNDLE_DIR, 'snapshot.cjs')
export const SNAPSHOT_KEY_FILE = join(BUNDLE_DIR, 'snapshot.key')
/** A builder that has not finished after this long is taken for dead. */
const STALE_PARTIAL_MS = 120_000
/** Blobs of other builds or other nodes not read for this long are removed when a new one is made. */
const UNUSED_BLOB_MS = 7 * 24 * 3600_000

type Env = Readonly<Record<string, string | undefined>>

export function snapshotCacheDir(env: Env = process.env): string {
  const xdg = env['XDG_CACHE_HOME']
  return join(xdg !== undefined && xdg !== '' ? xdg : join(env['HOME'] ?? homedir(), '.cache'), 'elb-tools')
}

export function nodeBinaryStamp(): string {
  const node = statSync(process.execPath)
  return `${node.size}-${Math.floor(node.mtimeMs / 1000)}`
}

/** Where the shims look for the blob of this build and this node; undefined before a build. */
export function snapshotBlobPath(env: Env = process.env): string | undefined {
  let key: string
  try {
    key = readFileSync(SNAPSHOT_KEY_FILE, 'utf8').trim()
  } catch {
    return undefined
  }
  return join(snapshotCacheDir(env), `${key}-${nodeBinaryStamp()}.blob`)
}

/**
 * Runs `node --build-snapshot` with an empty environment (nothing of this machine's settings is
 * baked in), writing aside and renaming, so a shim never finds a half-written blob. Returns an
 * error text, or undefined on success.
 */
export function makeSnapshot(blob: string): string | undefined {
  mkdirSync(dirname(blob), {recursive: true, mode: 0o700})
  const partial = `${blob}.${process.pid}.partial`
  const result = spawnSync(process.execPath, ['--snapshot-blob', partial, '--build-snapshot', SNAPSHOT_SCRIPT], {
    cwd: BUNDLE_DIR,
    env: {},
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  if (result.status === 0) {
    renameSync(partial, blob)
    removeUnusedBlobs(dirname(blob), blob)
    return undefined
  }
  rmSync(partial, {force: true})
  return result.error?.message ?? `${result.stderr}${result.stdout}`.trim()
}

/** Each build and each node upgrade makes a ~6 MB blob: the ones nobody started from in a week go. */
export function removeUnusedBlobs(directory: string, keep: string): void {
  try {
    for (const name of readdirSync(directory)) {
      const file = join(directory, name)
      if (file === keep || !name.endsWith('.blob')) continue
      const {atimeMs, mtimeMs} = statSync(file)
      if (Date.now() - Math.max(atimeMs, mtimeMs) > UNUSED_BLOB_MS) rmSync(file, {force: true})
    }
  } catch {
    // Housekeeping only.
  }
}

/**
 * After a run down the module path: if this build has no snapshot for this node yet, makes one in
 * a detached background process (one at a time, via a lock file), so the next run starts fast.
 */
export function scheduleSnapshot(env: Env = process.env): void {
  const blob = snapshotBlobPath(env)
  if (blob === undefined || existsSync(blob) || !existsSync(SNAPSHOT_SCRIPT)) return
  const lock = `${blob}.lock`
  try {
    mkdirSync(dirname(blob), {recursive: true, mode: 0o700})
    if (existsSync(lock) && Date.now() - statSync(lock).mtimeMs < STALE_PARTIAL_MS) return
    closeSync(openSync(lock, 'w'))
    const child = spawn(process.execPath, [join(BUNDLE_DIR, 'make-snapshot.js'), blob, lock], {
      detached: true, stdio: 'ignore', env: {},
    })
    child.unref()
  } catch {
    // No cache directory we may write: the module path keeps working.
  }
}
