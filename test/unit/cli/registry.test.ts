import {existsSync, readdirSync, readFileSync} from 'node:fs'
import {join} from 'node:path'
import {describe, expect, it} from '@jest/globals'
import {commandFiles, generatedRegistries, SPECS_DIR} from '../../../src/lib/bundle/command-registries.js'
import {shimText} from '../../../src/lib/bundle/shim.js'
import {HELP_TEXTS} from '../../../src/lib/cli/help/texts.js'
import {IAM_COMMANDS} from '../../../src/lib/cli/iam/commands.js'
import {loadElbCommand} from '../../../src/lib/cli/main.js'
import {ALL_BINARIES, ELB_COMMAND_NAMES, IAM_COMMAND_NAMES} from '../../../src/lib/cli/registry.js'
import {REPO} from '../../helpers/processes.js'

/** One registry per command: everything that names the binaries must agree with src/lib/cli/registry.ts. */
describe('the command registry', () => {
  const packageJson = JSON.parse(readFileSync(join(REPO, 'package.json'), 'utf8')) as {bin: Record<string, string>; files: string[]}

  it('package.json bin lists exactly the registered binaries, each at bin/<name> (npm run gen:bin)', () => {
    expect(Object.keys(packageJson.bin).sort()).toEqual([...ALL_BINARIES])
    for (const [name, path] of Object.entries(packageJson.bin)) expect(path).toBe(`bin/${name}`)
  })

  it('bin/ holds one generated shim per binary and nothing else', () => {
    const files = readdirSync(join(REPO, 'bin')).filter((name) => name !== 'lib').sort()
    expect(files).toEqual([...ALL_BINARIES])
    for (const name of ALL_BINARIES) expect(readFileSync(join(REPO, 'bin', name), 'utf8')).toBe(shimText(name))
  })

  it('every elb-* and mon-* spec is registered under its own name and has a help text (an alias, its target\'s)', async () => {
    for (const name of ELB_COMMAND_NAMES) {
      const spec = await loadElbCommand(name)
      expect(spec?.name).toBe(name)
      expect(HELP_TEXTS[spec?.helpOf ?? name]).toBeDefined()
    }
    // and no help text is left over for a command that does not exist
    for (const name of Object.keys(HELP_TEXTS)) expect([...ELB_COMMAND_NAMES, 'elb-version', 'mon-version']).toContain(name)
  })

  it('the spec and help loaders and the IAM names are what `npm run gen:bin` writes from the command files', () => {
    const generated = generatedRegistries(REPO, Object.keys(IAM_COMMANDS))
    expect([...generated.keys()].length).toBe(3)
    for (const [path, text] of generated) expect(`${path}:\n${readFileSync(join(REPO, path), 'utf8')}`).toBe(`${path}:\n${text}`)
    expect(ELB_COMMAND_NAMES).toEqual(commandFiles(REPO, SPECS_DIR))
  })

  it('the iam-* names are those of the IAM specs', () => {
    expect([...IAM_COMMAND_NAMES].sort()).toEqual(Object.keys(IAM_COMMANDS).sort())
    for (const [name, spec] of Object.entries(IAM_COMMANDS)) expect(spec.name).toBe(name)
  })

  it('no oclif command shells remain (no shipped binary reached them)', () => {
    expect(existsSync(join(REPO, 'src', 'commands'))).toBe(false)
    expect(packageJson.files).not.toContain('oclif.manifest.json')
  })
})
