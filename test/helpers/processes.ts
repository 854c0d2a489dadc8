/**
 * Child-process helpers for tests that run the built engine and `elb-local` (from dist/, which
 * `npm test` builds first; rebuilt here if missing or older than src/ or data/).
 */
import {execFileSync, spawn} from 'node:child_process'
import {existsSync, mkdirSync, readdirSync, rmdirSync, statSync, utimesSync} from 'node:fs'
import {dirname, join} from 'node:path'
import {fileURLToPath} from 'node:url'
import {claimPort} from './networks.js'

export const REPO = join(dirname(fileURLToPath(import.meta.url)), '..', '..')
export const ENGINE_ENTRY = join(REPO, 'dist', 'engine', 'cli-entry.js')

/** The newest modification time of any file under `dir` (0 when there is none). */
function newestMtime(dir: string): number {
  let newest = 0
  for (const entry of readdirSync(dir, {withFileTypes: true})) {
    const path = join(dir, entry.name)
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(path) : statSync(path).mtimeMs)
  }
  return newest
}

const BUILD_OUTPUTS = [ENGINE_ENTRY, join(REPO, 'dist', 'lib', 'bundle', 'main.js')]

/** dist/ is missing, or older than a source or data file: process tests would run stale code. */
export function isBuildStale(): boolean {
  if (!BUILD_OUTPUTS.every((file) => existsSync(file))) return true
  const built = Math.min(...BUILD_OUTPUTS.map((file) => statSync(file).mtimeMs))
  return Math.max(newestMtime(join(REPO, 'src')), newestMtime(join(REPO, 'data'))) > built
}

/**
 * Builds dist/ (as `npm run build` does) when it is missing or older than the sources, so process
 * tests never run stale code. Jest workers build one at a time (a lock directory); the others wait.
 */
export function ensureBuilt(): void {
  if (!isBuildStale()) return
  const lock = join(REPO, 'dist-build.lock')
  const deadline = Date.now() + 180_000
  for (;;) {
    try {
      mkdirSync(lock)
      break
    } catch {
      if (Date.now() > deadline) throw new Error(`${lock} is held for over 3 minutes: remove it if no build is running`)
      execFileSync('sleep', ['0.2'])
    }
  }
  try {
    if (!isBuildStale()) return
    try {
      execFileSync(process.execPath, [join(REPO, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', 'tsconfig.build.json'], {cwd: REPO, stdio: 'ignore'})
    } catch {
      // tsc exits non-zero on type errors elsewhere but still emits; the checks below decide.
    }
    execFileSync(process.execPath, [join(REPO, 'dist', 'lib', 'bundle', 'build.js')], {cwd: REPO, stdio: 'ignore'})
    for (const file of BUILD_OUTPUTS) {
      if (!existsSync(file)) throw new Error(`${file} is missing: run \`npm run build\``)
    }
    // tsc leaves unchanged outputs alone: mark the build as current.
    const now = new Date()
    for (const file of BUILD_OUTPUTS) utimesSync(file, now, now)
  } finally {
    rmdirSync(lock)
  }
}

/**
 * A port on 127.0.0.1 for a child process (or a server that must be closed) to bind, claimed for
 * the rest of this test process (`networks.ts` — outside the ephemeral range, respected by
 * parallel test processes).
 */
export async function freePort(): Promise<number> {
  return (await claimPort()).port
}

export interface RunResult {
  code: number | null
  stdout: string
  stderr: string
}

/** Runs `node bin/elb-local ARGS…`. */
export function elbLocal(args: string[], env: NodeJS.ProcessEnv, timeoutMs = 30_000): Promise<RunResult> {
  return runNode([join(REPO, 'bin', 'elb-local'), ...args], env, timeoutMs)
}

export function runNode(argv: string[], env: NodeJS.ProcessEnv, timeoutMs = 30_000): Promise<RunResult> {
  return runProcess(process.execPath, argv, {env: {AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true', ...env}, timeoutMs})
}

export interface RunOptions {
  /** Over process.env (with NODE_OPTIONS cleared, so jest's flags don't reach the child). */
  env?: NodeJS.ProcessEnv
  cwd?: string
  timeoutMs?: number
  /** What a timed-out child gets (SIGTERM lets a script clean up after itself). */
  killSignal?: NodeJS.Signals
}

/** Runs `file ARGS…` to completion and collects its output; rejects if it outlives `timeoutMs`. */
export function runProcess(file: string, args: readonly string[], options: RunOptions = {}): Promise<RunResult> {
  const timeoutMs = options.timeoutMs ?? 30_000
  return new Promise((resolve, reject) => {
    const child = spawn(file, args, {
      cwd: options.cwd ?? REPO,
      env: {...process.env, NODE_OPTIONS: '', ...options.env},
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    let stdout = ''
    let stderr = ''
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()))
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()))
    const timer = setTimeout(() => {
      child.kill(options.killSignal ?? 'SIGKILL')
      reject(new Error(`timed out after ${timeoutMs} ms: ${file} ${args.join(' ')}\n${stdout}\n${stderr}`))
    }, timeoutMs)
    child.once('error', reject)
    child.once('close', (code) => {
      clearTimeout(timer)
      resolve({code, stdout, stderr})
    })
  })
}

/** Whether `command --version` runs (an optional tool such as aws-cli is installed). */
export function isInstalled(command: string): boolean {
  try {
    execFileSync(command, ['--version'], {stdio: 'ignore'})
    return true
  } catch {
    return false
  }
}
