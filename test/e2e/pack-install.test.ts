/**
 * The package as a user gets it: `npm pack` in a clean copy of the sources (prepack builds it),
 * `npm install -g --prefix TMP <tarball>`, then the installed `elb-describe-lbs` and `elb-local
 * status` against a private engine. The tarball carries no start-up snapshot; the first run makes
 * one in the user's cache directory, and the next run starts from it.
 */
import {execFileSync} from 'node:child_process'
import {copyFileSync, existsSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, symlinkSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {dirname, join} from 'node:path'
import {CreateLoadBalancerCommand} from '@aws-sdk/client-elastic-load-balancing'
import {afterAll, beforeAll, describe, expect, it} from '@jest/globals'
import {eventually, startTestEngine, type TestEngine} from '../helpers/engine.js'
import {REPO, runProcess} from '../helpers/processes.js'

const MAX_TARBALL_BYTES = 1_500_000

describe('npm pack → npm install -g <tarball>', () => {
  let work: string
  let tarball: string
  let prefix: string
  let engine: TestEngine | undefined
  let userEnv: NodeJS.ProcessEnv

  beforeAll(async () => {
    work = mkdtempSync(join(tmpdir(), 'elb-pack-'))
    const source = join(work, 'source')
    // The sources as a clone has them (tracked and new files, no dist/), with this repo's dependencies.
    const files = execFileSync('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard'], {cwd: REPO, encoding: 'utf8'})
      .split('\0').filter((file) => file !== '' && existsSync(join(REPO, file)) && lstatSync(join(REPO, file)).isFile())
    for (const file of files) {
      mkdirSync(dirname(join(source, file)), {recursive: true})
      copyFileSync(join(REPO, file), join(source, file))
    }
    symlinkSync(join(REPO, 'node_modules'), join(source, 'node_modules'))
    const npmEnv = {XDG_CACHE_HOME: join(work, 'build-cache'), npm_config_update_notifier: 'false'}
    const packed = await runProcess('npm', ['pack', '--pack-destination', work], {cwd: source, env: npmEnv, timeoutMs: 300_000})
    expect(packed.code).toBe(0)
    tarball = join(work, packed.stdout.trim().split('\n').at(-1) ?? '')
    prefix = join(work, 'prefix')
    // --prefer-offline: the dependencies' tarballs come from npm's cache (npm ci filled it); npm still
    // asks the registry for their metadata, which `npm ci` never caches, so --offline cannot work.
    const installed = await runProcess('npm', ['install', '-g', '--prefix', prefix, '--prefer-offline', '--no-audit', '--no-fund', tarball], {
      cwd: work, env: npmEnv, timeoutMs: 300_000,
    })
    expect(installed.code).toBe(0)
    // npm 11's install-script advisory names no dependency, only elb-tools' own prepare (a no-op in
    // the tarball, which carries dist/: the README says there is nothing to allow).
    const listed = installed.stderr.split('\n').filter((line) => /^npm warn install-scripts {3}\S/.test(line))
    expect(listed.every((line) => line.startsWith('npm warn install-scripts   elb-tools@'))).toBe(true)
    engine = await startTestEngine()
    await engine.elb.send(new CreateLoadBalancerCommand({
      LoadBalancerName: 'packed-lb', AvailabilityZones: ['us-east-1a'],
      Listeners: [{Protocol: 'HTTP', LoadBalancerPort: 8080, InstancePort: 8080}],
    }))
    userEnv = {
      PATH: `${join(prefix, 'bin')}:${dirname(process.execPath)}:/usr/bin:/bin`,
      ELB_LOCAL_ENDPOINT: engine.endpoint, ELB_LOCAL_AUTOSTART: '0', XDG_CACHE_HOME: join(work, 'user-cache'),
    }
  }, 600_000)

  afterAll(async () => {
    await engine?.close()
    rmSync(work, {recursive: true, force: true})
  })

  it('is small and carries no start-up snapshot, no source maps', () => {
    expect(statSync(tarball).size).toBeLessThan(MAX_TARBALL_BYTES)
    const listing = execFileSync('tar', ['tzf', tarball], {encoding: 'utf8'}).split('\n')
    expect(listing).toContain('package/dist/lib/bundle/main.js')
    expect(listing).toContain('package/dist/lib/bundle/snapshot.cjs')
    expect(listing.filter((file) => /\.(blob|map)$/.test(file))).toEqual([])
  })

  it('installs every command, and they work from the prefix', async () => {
    expect(readdirSync(join(prefix, 'bin')).sort()).toEqual(expect.arrayContaining(['elb-cmd', 'elb-describe-lbs', 'elb-local', 'iam-servercertupload']))
    const described = await runProcess(join(prefix, 'bin', 'elb-describe-lbs'), [], {env: userEnv, cwd: work})
    expect(described.stderr).toBe('')
    expect(described.stdout).toMatch(/^LOAD_BALANCER {2}packed-lb {2}packed-lb-\d+\.us-east-1\.elb\.amazonaws\.com {2}\S+ {2}internet-facing\n$/)
    expect(described.code).toBe(0)
    const status = await runProcess(join(prefix, 'bin', 'elb-local'), ['status'], {env: userEnv, cwd: work})
    expect(status.stderr).toBe('')
    expect(status.stdout).toContain(`│ Endpoint            │ ${engine?.endpoint ?? ''}`)
    expect(status.code).toBe(0)
  })

  it('the first run makes the start-up snapshot in the user\'s cache; later runs start from it', async () => {
    const cache = join(work, 'user-cache', 'elb-tools')
    const blob = await eventually(() => {
      const made = existsSync(cache) ? readdirSync(cache).find((name) => name.endsWith('.blob')) : undefined
      return Promise.resolve(made)
    }, 120_000, 'the start-up snapshot in the user cache')
    expect(blob).toMatch(/^0\.\d+\.\d+-[0-9a-f]{16}-\d+-\d+\.blob$/)
    // `sh -x` shows the shim's exec line: Node now starts from that blob.
    const again = await runProcess('sh', ['-x', join(prefix, 'bin', 'elb-local'), '--version'], {env: userEnv, cwd: work})
    expect(again.stdout).toMatch(/^elb-local \d+\.\d+\.\d+ \(elb-tools; node v\d+/)
    expect(again.stderr).toContain(`exec node --snapshot-blob ${join(cache, blob)} `)
  })
})
