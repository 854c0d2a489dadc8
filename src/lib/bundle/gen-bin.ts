/**
 * `npm run gen:bin` (after `npm run build`): writes the command registries from the files that
 * define commands (command-registries.ts: the spec and help loaders, the IAM names), then
 * `bin/<name>` for every binary and package.json's `bin`, and removes shims of names no longer
 * registered. test/unit/cli/registry.test.ts fails when any of them drifts. Run `npm run build`
 * again afterwards so dist/ holds the new registries.
 */
import {chmodSync, readdirSync, readFileSync, rmSync, writeFileSync} from 'node:fs'
import {dirname, join} from 'node:path'
import {fileURLToPath} from 'node:url'
import {IAM_COMMANDS} from '../cli/iam/commands.js'
import {allBinaries} from '../cli/registry.js'
import {commandFiles, generatedRegistries, SPECS_DIR} from './command-registries.js'
import {shimText} from './shim.js'

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..')
const BIN = join(ROOT, 'bin')

const iamNames = Object.keys(IAM_COMMANDS)
for (const [path, text] of generatedRegistries(ROOT, iamNames)) writeFileSync(join(ROOT, path), text)

const binaries = allBinaries(commandFiles(ROOT, SPECS_DIR), iamNames)
for (const name of readdirSync(BIN)) {
  if (name !== 'lib' && !binaries.includes(name)) rmSync(join(BIN, name))
}
for (const name of binaries) {
  writeFileSync(join(BIN, name), shimText(name))
  chmodSync(join(BIN, name), 0o755)
}
const packageFile = join(ROOT, 'package.json')
const packageJson = JSON.parse(readFileSync(packageFile, 'utf8')) as {bin?: Record<string, string>}
packageJson.bin = Object.fromEntries(binaries.map((name) => [name, `bin/${name}`]))
writeFileSync(packageFile, `${JSON.stringify(packageJson, null, 2)}\n`)
