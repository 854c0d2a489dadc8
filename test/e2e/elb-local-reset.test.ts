/**
 * `elb-local reset` (the `[Ny]` prompt, --force) and ELB_LOCAL_ACCOUNT_ID, through the real
 * commands against an engine started by `elb-local start` on a port the kernel picked.
 */
import {execFileSync, spawn} from 'node:child_process'
import {mkdtempSync, rmSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {afterAll, beforeAll, describe, expect, it} from '@jest/globals'
import {elbLocal, ensureBuilt, REPO, runNode, type RunResult} from '../helpers/processes.js'

const ACCOUNT = '000000000042'

/** `node bin/elb-local ARGS…` with `input` on stdin. */
function elbLocalWithInput(args: string[], env: NodeJS.ProcessEnv, input: string): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [join(REPO, 'bin', 'elb-local'), ...args], {env: {...process.env, NODE_OPTIONS: '', ...env}})
    let stdout = ''
    let stderr = ''
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()))
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()))
    child.once('error', reject)
    child.once('close', (code) => { resolve({code, stdout, stderr}) })
    child.stdin.end(input)
  })
}

describe('elb-local reset and ELB_LOCAL_ACCOUNT_ID', () => {
  let home: string
  let env: NodeJS.ProcessEnv
  const legacy = (name: string, args: string[]) => runNode([join(REPO, 'bin', name), ...args], env)

  beforeAll(async () => {
    ensureBuilt()
    home = mkdtempSync(join(tmpdir(), 'elb-local-reset-'))
    const base = {
      ELB_LOCAL_HOME: home, ELB_LOCAL_AUTOSTART: '0', ELB_LOCAL_ACCOUNT_ID: ACCOUNT,
      ELB_LOCAL_INSTANCE_NETWORK: `127.0.${2 + Math.floor(Math.random() * 250)}`,
      ELB_LOCAL_LB_NETWORK: `127.${100 + Math.floor(Math.random() * 150)}`,
    }
    const started = await elbLocal(['start', '--port', '0'], base)
    expect(started.code).toBe(0)
    const endpoint = /started at (http:\/\/\S+) /.exec(started.stdout)?.[1] ?? ''
    env = {...base, ELB_LOCAL_ENDPOINT: endpoint}
    execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'key.pem', '-out', 'cert.pem', '-days', '2', '-subj', '/CN=reset.example'], {cwd: home, stdio: 'ignore'})
  }, 60_000)

  afterAll(async () => {
    await elbLocal(['stop'], env)
    rmSync(home, {recursive: true, force: true})
  })

  it('a new state takes the account id: ARNs name it', async () => {
    const uploaded = await legacy('iam-servercertupload', ['-s', 'reset-cert', '-b', join(home, 'cert.pem'), '-k', join(home, 'key.pem'), '-v'])
    expect(uploaded.stdout.split('\n')[0]).toBe(`arn:aws:iam::${ACCOUNT}:server-certificate/reset-cert`)
  })

  it('asks first, like the legacy delete prompt; anything but y keeps everything (exit 2)', async () => {
    expect((await legacy('elb-create-lb', ['reset-lb', '--listener', 'protocol=http, lb-port=8080, instance-port=8080', '-z', 'us-east-1a'])).code).toBe(0)
    expect((await elbLocal(['run-instances', '--count', '1'], env)).code).toBe(0)
    const declined = await elbLocalWithInput(['reset'], env, 'n\n')
    expect(declined).toEqual({
      code: 2,
      stdout: '    \n    Warning: Resetting removes every load balancer, server certificate and\n' +
        `    instance of the local engine at ${env.ELB_LOCAL_ENDPOINT ?? ''}. Are you sure? [Ny]`,
      stderr: 'elb-local reset: User stopped the execution of elb-local reset.\n',
    })
    expect((await legacy('elb-describe-lbs', [])).stdout).toContain('reset-lb')
  })

  it('y removes every load balancer, certificate and instance', async () => {
    const accepted = await elbLocalWithInput(['reset'], env, 'y\n')
    expect(accepted.code).toBe(0)
    expect(accepted.stdout.endsWith('[Ny]Removed 1 load balancer, 1 server certificate and 1 instance.\n')).toBe(true)
    expect((await legacy('elb-describe-lbs', [])).stdout).toBe('')
    expect((await legacy('iam-servercertlistbypath', [])).stdout).not.toContain('reset-cert')
    expect((await elbLocal(['describe-instances'], env)).stdout).toBe('No instances.\n')
    expect(await elbLocal(['reset', '--force'], env)).toEqual({code: 0, stdout: 'Removed 0 load balancers, 0 server certificates and 0 instances.\n', stderr: ''})
  })

  it('ELB_LOCAL_ACCOUNT_ID must be 12 digits', async () => {
    expect(await elbLocal(['start'], {...env, ELB_LOCAL_ACCOUNT_ID: '12x'})).toEqual({
      code: 1, stdout: '',
      stderr: 'elb-local start: ELB_LOCAL_ACCOUNT_ID must be 12 digits (an AWS account id such as 123456789012), not \'12x\'.\n',
    })
  })
})
