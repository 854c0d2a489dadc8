/**
 * `npm run build:cli` (after tsc): bundles the CLI for the `bin/` shims.
 *
 * 1. `dist/lib/bundle/main.js` — ES modules split per command, loaded by `bin/lib/run-legacy.js`
 *    when a shim runs without a snapshot (`node bin/<name>`, or no blob).
 * 2. `dist/lib/bundle/snapshot.cjs` — the CLI and the AWS SDK in one CommonJS script, and
 *    `snapshot.key` naming this build. `node --build-snapshot` turns the script into the heap a
 *    shim starts Node from, in the cache directory of the machine that runs the commands
 *    (snapshot-cache.ts): made here at once for this machine, and by an installed package on its
 *    first run — never shipped, since a blob only loads in the Node that made it.
 *
 * A failing snapshot build is reported and leaves no blob: the shims then take path 1.
 */
import {createHash} from 'node:crypto'
import {createRequire, isBuiltin} from 'node:module'
import {readFileSync, rmSync, writeFileSync} from 'node:fs'
import {dirname, join, relative} from 'node:path'
import {fileURLToPath} from 'node:url'
import {build, type BuildOptions, type Plugin} from 'esbuild'
import {BEFORE_TLS_HOOK} from './extra-ca-certs.js'
import {makeSnapshot, snapshotBlobPath, SNAPSHOT_KEY_FILE, SNAPSHOT_SCRIPT} from './snapshot-cache.js'

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..')
const SRC = join(ROOT, 'src')
const OUT = join(ROOT, 'dist', 'lib', 'bundle')

const shared: BuildOptions = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  mainFields: ['module', 'main'],
  minify: true,
  logLevel: 'warning',
  absWorkingDir: ROOT,
}

async function buildSplitBundle(): Promise<void> {
  await build({
    ...shared,
    entryPoints: ['src/lib/cli/main.ts'],
    format: 'esm',
    splitting: true,
    outdir: OUT,
    // Resolved next to tsc's output at run time: the engine entry and data/ are found from there.
    external: ['../client/local-engine.js', '../../common/data.js', '../../common/regions.js'],
  })
}

/** Gives every source module its own `import.meta.url`, computed when the command runs. */
const moduleUrlPlugin: Plugin = {
  name: 'bundled-module-url',
  setup(context) {
    const helper = join(SRC, 'lib', 'bundle', 'module-url.ts')
    context.onLoad({filter: /\/src\/.*\.ts$/}, (args) => {
      const source = readFileSync(args.path, 'utf8')
      if (!source.includes('import.meta.url')) return {contents: source, loader: 'ts'}
      const distPath = `dist/${relative(SRC, args.path).replace(/\.ts$/, '.js')}`
      const contents =
        `import {bundledModuleUrl as __bundledModuleUrl} from ${JSON.stringify(helper)};\n` +
        source.replaceAll('import.meta.url', `__bundledModuleUrl(${JSON.stringify(distPath)})`)
      return {contents, loader: 'ts'}
    })
  },
}

/**
 * Node built-ins whose native state cannot be serialised (`node:http`'s parser binding makes
 * `--build-snapshot` abort) or that hold sockets: each becomes an object of getters that requires
 * the real module on first use — when a command runs, never at build time.
 */
const RUN_TIME_BUILTINS = new Set(['child_process', 'crypto', 'dns', 'http', 'http2', 'https', 'net', 'tls', 'zlib'])
/** Loading these may open a TLS connection: deferred CA certificates are trusted first. */
const TLS_BUILTINS = new Set(['http2', 'https', 'tls'])

/**
 * Every built-in goes through a small bundled module, so a dynamic `import('node:…')` becomes a
 * `require` too: a snapshot has no dynamic-import callback.
 */
const builtinPlugin: Plugin = {
  name: 'snapshot-builtins',
  setup(context) {
    const requireHere = createRequire(import.meta.url)
    context.onResolve({filter: /^[a-z_:/]+$/}, (args) => {
      if (!isBuiltin(args.path)) return undefined
      const name = args.path.replace(/^node:/, '')
      // The stand-in's own `require` is the real module.
      return args.namespace === 'builtin' ? {path: `node:${name}`, external: true} : {path: name, namespace: 'builtin'}
    })
    context.onLoad({filter: /.*/, namespace: 'builtin'}, (args) => {
      const real = JSON.stringify(`node:${args.path}`)
      if (!RUN_TIME_BUILTINS.has(args.path)) return {contents: `module.exports = require(${real});\n`, loader: 'js'}
      const names = Object.keys(requireHere(args.path) as object)
      const getters = names.map((key) => `${JSON.stringify(key)}: {enumerable: true, get: () => load()[${JSON.stringify(key)}]}`)
      const beforeLoad = TLS_BUILTINS.has(args.path) ? `globalThis.${BEFORE_TLS_HOOK}?.(), ` : ''
      const contents =
        `let real; const load = () => (real ??= (${beforeLoad}require(${real})));\n` +
        `module.exports = Object.defineProperties({}, {${getters.join(', ')}});\n`
      return {contents, loader: 'js'}
    })
  },
}

/**
 * The CloudWatch SDK stays out of the snapshot: only the `mon-*` commands use it, and bundled it
 * would grow the heap every `elb-*` run deserialises (+0.45 MB, ~5 ms of CPU per start). The one
 * module that imports it, `client/cloudwatch-sdk.ts`, becomes a `require` of the same two names
 * from the package's node_modules, made when a mon-* command first calls the service.
 */
const runTimePackagePlugin: Plugin = {
  name: 'run-time-packages',
  setup(context) {
    context.onResolve({filter: /\/cloudwatch-sdk\.js$/}, (args) => ({path: args.path, namespace: 'run-time-package'}))
    context.onLoad({filter: /.*/, namespace: 'run-time-package'}, () => ({
      contents: [
        "const {createRequire} = require('node:module')",
        "const {bundledModuleUrl} = require('./module-url.ts')",
        "const load = createRequire(bundledModuleUrl('package.json'))",
        "module.exports = {CloudWatch: load('@aws-sdk/client-cloudwatch').CloudWatch, AwsQueryProtocol: load('@aws-sdk/core/protocols').AwsQueryProtocol}",
      ].join('\n'),
      loader: 'js',
      resolveDir: join(SRC, 'lib', 'bundle'),
    }))
  },
}

async function buildSnapshotScript(): Promise<void> {
  await build({
    ...shared,
    entryPoints: ['src/lib/bundle/snapshot-entry.ts'],
    format: 'cjs',
    outfile: SNAPSHOT_SCRIPT,
    plugins: [moduleUrlPlugin, runTimePackagePlugin, builtinPlugin],
  })
}

/** The build's name in the cache: the package version and a hash of the bundled script. */
function writeSnapshotKey(): void {
  const {version} = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as {version: string}
  const hash = createHash('sha256').update(readFileSync(SNAPSHOT_SCRIPT)).digest('hex').slice(0, 16)
  writeFileSync(SNAPSHOT_KEY_FILE, `${version}-${hash}\n`)
}

await buildSplitBundle()
// Blobs of earlier builds lived in dist/: a package must never carry one.
rmSync(join(OUT, 'cli.blob'), {force: true})
rmSync(join(OUT, 'cli.blob.node'), {force: true})
try {
  await buildSnapshotScript()
  writeSnapshotKey()
  const blob = snapshotBlobPath()
  const failure = blob === undefined ? 'no snapshot key' : makeSnapshot(blob)
  if (failure !== undefined) {
    process.stderr.write(`build:cli: no start-up snapshot (the bin/ shims load dist/lib/bundle/main.js instead):\n${failure}\n`)
  }
} catch (error) {
  rmSync(SNAPSHOT_KEY_FILE, {force: true})
  process.stderr.write(`build:cli: no start-up snapshot: ${error instanceof Error ? error.message : String(error)}\n`)
}
