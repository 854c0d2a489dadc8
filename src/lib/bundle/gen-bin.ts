/**
 * `npm run gen:bin`: writes `bin/<name>` for every registered binary and package.json's `bin`
 * from the registry (src/lib/cli/registry.ts), and removes shims of names no longer registered.
 * test/unit/cli/registry.test.ts fails when they drift apart.
 */
import {chmodSync, readdirSync, readFileSync, rmSync, writeFileSync} from 'node:fs'
import {dirname, join} from 'node:path'
import {fileURLToPath} from 'node:url'
import {ALL_BINARIES} from '../cli/registry.js'
import {shimText} from './shim.js'

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..')
const BIN = join(ROOT, 'bin')

for (const name of readdirSync(BIN)) {
  if (name !== 'lib' && !ALL_BINARIES.includes(name)) rmSync(join(BIN, name))
}
for (const name of ALL_BINARIES) {
  writeFileSync(join(BIN, name), shimText(name))
  chmodSync(join(BIN, name), 0o755)
}
const packageFile = join(ROOT, 'package.json')
const packageJson = JSON.parse(readFileSync(packageFile, 'utf8')) as {bin?: Record<string, string>}
packageJson.bin = Object.fromEntries(ALL_BINARIES.map((name) => [name, `bin/${name}`]))
writeFileSync(packageFile, `${JSON.stringify(packageJson, null, 2)}\n`)
