import {spawn} from 'node:child_process'
import {mkdtempSync, rmSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {DescribeLoadBalancersCommand, ElasticLoadBalancingClient} from '@aws-sdk/client-elastic-load-balancing'
import {elbRejection} from '../../helpers/api-server.js'
import {ENGINE_ENTRY, ensureBuilt, REPO, runProcess} from '../../helpers/processes.js'

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
