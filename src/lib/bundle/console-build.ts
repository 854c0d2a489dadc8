/**
 * `npm run build:console` (after tsc): bundles the web console (src/console/, preact + uPlot) with
 * esbuild into dist/console/ — index.html, console.js, console.css — which the engine serves at
 * `/console/`. Everything the page needs is in these three files: no CDN, no web fonts.
 */
import {copyFileSync, mkdirSync, rmSync} from 'node:fs'
import {dirname, join} from 'node:path'
import {fileURLToPath} from 'node:url'
import {build} from 'esbuild'

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..')
export const CONSOLE_OUT = join(ROOT, 'dist', 'console')

export async function buildConsole(): Promise<void> {
  rmSync(CONSOLE_OUT, {recursive: true, force: true})
  mkdirSync(CONSOLE_OUT, {recursive: true})
  await build({
    absWorkingDir: ROOT,
    entryPoints: {console: 'src/console/main.tsx'},
    bundle: true,
    format: 'esm',
    platform: 'browser',
    target: ['chrome110', 'firefox110', 'safari16'],
    minify: true,
    jsx: 'automatic',
    jsxImportSource: 'preact',
    tsconfig: 'src/console/tsconfig.json',
    outdir: CONSOLE_OUT,
    legalComments: 'none',
    logLevel: 'warning',
    define: {'process.env.NODE_ENV': '"production"'},
  })
  copyFileSync(join(ROOT, 'src', 'console', 'index.html'), join(CONSOLE_OUT, 'index.html'))
}

if (process.argv[1] !== undefined && fileURLToPath(import.meta.url) === process.argv[1]) {
  await buildConsole()
}
