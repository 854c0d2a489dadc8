import {spawn} from 'node:child_process'
import {mkdtempSync, readFileSync, rmSync, statSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {DescribeLoadBalancersCommand, ElasticLoadBalancingClient} from '@aws-sdk/client-elastic-load-balancing'
import {elbRejection} from '../../helpers/api-server.js'
import {elbLocal, ENGINE_ENTRY, ensureBuilt, freePort, REPO, runProcess} from '../../helpers/processes.js'

/** The built engine with `--credentials FILE` / ELB_LOCAL_CREDENTIALS: verification on, said in the log. */

let home: string
beforeAll(() => {
  ensureBuilt()
  home = mkdtempSync(join(tmpdir(), 'elb-credentials-'))
})
afterAll(() => {
  rmSync(home, {recursive: true, force: true})
})

it('ELB_LOCAL_CREDENTIALS turns verification on: the right key works, another is refused', async () => {
  const file = join(home, 'credentials')
  writeFileSync(file, '[default]\naws_access_key_id = AKIDFLAG\naws_secret_access_key = flag-secret\n', {mode: 0o600})
  const child = spawn(process.execPath, [ENGINE_ENTRY, '--home', home, '--port', '0', '--background'], {
    cwd: REPO, stdio: ['ignore', 'pipe', 'ignore'],
    env: {...process.env, NODE_OPTIONS: '', ELB_LOCAL_CREDENTIALS: file, ELB_LOCAL_INSTANCE_NETWORK: '127.0.249', ELB_LOCAL_LB_NETWORK: '127.249'},
  })
  let output = ''
  const endpoint = await new Promise<string>((resolve, reject) => {
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString()
      const found = /engine listening on (http:\/\/\S+)/.exec(output)?.[1]
      if (found !== undefined && output.includes('request signatures')) resolve(found)
    })
    child.once('exit', (code) => { reject(new Error(`engine exited ${String(code)}: ${output}`)); })
  })
  const client = (secretAccessKey: string) => new ElasticLoadBalancingClient({endpoint, region: 'us-east-1', credentials: {accessKeyId: 'AKIDFLAG', secretAccessKey}, maxAttempts: 1})
  const right = client('flag-secret')
  const wrong = client('other')
  try {
    expect(output).toContain('request signatures are verified against 1 access key(s)')
    expect((await right.send(new DescribeLoadBalancersCommand({}))).LoadBalancerDescriptions).toEqual([])
    expect((await elbRejection(wrong.send(new DescribeLoadBalancersCommand({})))).name).toBe('SignatureDoesNotMatch')
  } finally {
    right.destroy()
    wrong.destroy()
    child.kill('SIGTERM')
    await new Promise((resolve) => child.once('exit', resolve))
  }
})

it('--credentials naming a missing or empty file stops the engine with a clear message (exit 64)', async () => {
  const missing = await runProcess(process.execPath, [ENGINE_ENTRY, '--home', home, '--port', '0', '--credentials', join(home, 'nope')])
  expect([missing.code, missing.stderr]).toEqual([64, `elb-local engine: The credentials file ${join(home, 'nope')} does not exist.\n`])
  writeFileSync(join(home, 'empty'), '# nothing\n')
  const empty = await runProcess(process.execPath, [ENGINE_ENTRY, '--home', home, '--port', '0', '--credentials', join(home, 'empty')])
  expect(empty.code).toBe(64)
  expect(empty.stderr).toContain('holds no access key')
})

it('elb-local start --credentials: the admin API answers elb-local (it reads the 0600 token), not an unsigned curl', async () => {
  const ownHome = mkdtempSync(join(tmpdir(), 'elb-credentials-owner-'))
  const file = join(ownHome, 'credentials')
  writeFileSync(file, 'AWSAccessKeyId=AKIDOWNER\nAWSSecretKey=owner-secret\n', {mode: 0o600})
  const endpoint = `http://127.0.0.1:${await freePort()}`
  const env = {ELB_LOCAL_HOME: ownHome, ELB_LOCAL_ENDPOINT: endpoint, ELB_LOCAL_INSTANCE_NETWORK: '127.0.248', ELB_LOCAL_LB_NETWORK: '127.248'}
  try {
    const started = await elbLocal(['start', '--credentials', file], env)
    expect([started.code, started.stderr]).toEqual([0, ''])
    expect(statSync(join(ownHome, 'admin-token')).mode & 0o777).toBe(0o600)
    const status = await elbLocal(['status', '--json'], env)
    expect([status.code, (JSON.parse(status.stdout) as {signaturesRequired: boolean}).signaturesRequired]).toEqual([0, true])
    const curl = await runProcess('curl', ['-sS', '-X', 'POST', '-H', 'Content-Type: application/json', '-d', '{}', '-w', '\n%{http_code}', `${endpoint}/__elb-local/shutdown`])
    expect(curl.stdout).toMatch(/"code":"MissingAuthenticationToken"[\s\S]*\n403$/)
    const token = readFileSync(join(ownHome, 'admin-token'), 'utf8').trim()
    const withToken = await runProcess('curl', ['-sS', '-H', `Authorization: Bearer ${token}`, '-w', '\n%{http_code}', `${endpoint}/metrics`])
    expect(withToken.stdout).toMatch(/\n200$/)
    const stopped = await elbLocal(['stop'], env)
    expect([stopped.code, stopped.stdout]).toEqual([0, `Local engine at ${endpoint} stopped.\n`])
  } finally {
    await elbLocal(['stop'], env).catch(() => undefined)
    rmSync(ownHome, {recursive: true, force: true})
  }
}, 60_000)
