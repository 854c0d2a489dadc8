import {readFileSync} from 'node:fs'
import {join} from 'node:path'
import {expect, it} from '@jest/globals'
import {REPO} from '../../../helpers/processes.js'

/**
 * npm 11 ends `npm ci` with "install scripts not yet covered by allowScripts" for every dependency
 * with an install script that package.json's `allowScripts` does not name (npm 12 skips them):
 * every such package in the lockfile has its entry, so a clean `npm ci` prints no such warning.
 */
it('allowScripts names every locked package that has an install script', () => {
  const manifest = JSON.parse(readFileSync(join(REPO, 'package.json'), 'utf8')) as {allowScripts?: Record<string, boolean>}
  const lock = JSON.parse(readFileSync(join(REPO, 'package-lock.json'), 'utf8')) as {packages: Record<string, {hasInstallScript?: boolean}>}
  const named = new Set(Object.keys(manifest.allowScripts ?? {}).map((key) => key.replace(/(?<=.)@.*$/, '')))
  const withScripts = Object.entries(lock.packages)
    .filter(([path, entry]) => path !== '' && entry.hasInstallScript === true)
    .map(([path]) => path.slice(path.lastIndexOf('node_modules/') + 'node_modules/'.length))
  expect(withScripts.length).toBeGreaterThan(0)
  expect(withScripts.filter((name) => !named.has(name))).toEqual([])
  // esbuild's postinstall only checks (and on some systems swaps in) its platform binary, which the
  // optional @esbuild/<platform> package already provides: it is not needed, so it is not run.
  expect(manifest.allowScripts?.esbuild).toBe(false)
})
