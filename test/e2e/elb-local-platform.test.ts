/**
 * `elb-local start --platform` through the real command (issue 18): a new state is a VPC account
 * unless `--platform ec2-classic` is asked for; a bad value is a usage error that starts nothing;
 * aws-cli sees the account the flag chose.
 */
import {mkdtempSync, rmSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {afterAll, beforeAll, describe, expect, it} from '@jest/globals'
import {elbLocal, ensureBuilt, runProcess} from '../helpers/processes.js'

async function platforms(endpoint: string): Promise<string> {
  const out = await runProcess('aws', ['--endpoint-url', endpoint, '--output', 'text', 'ec2', 'describe-account-attributes',
    '--attribute-names', 'supported-platforms', 'default-vpc', '--query', 'AccountAttributes[].AttributeValues[].AttributeValue'], {
    env: {AWS_ACCESS_KEY_ID: 'AKIDLOCAL', AWS_SECRET_ACCESS_KEY: 'local', AWS_DEFAULT_REGION: 'us-east-1', AWS_CONFIG_FILE: '/dev/null', AWS_SHARED_CREDENTIALS_FILE: '/dev/null'},
    timeoutMs: 60_000,
  })
  expect(out.code).toBe(0)
  return out.stdout.trim()
}

describe('elb-local start --platform', () => {
  let home: string
  const base = () => ({ELB_LOCAL_AUTOSTART: '0', ELB_LOCAL_HOME: home, ELB_LOCAL_INSTANCE_NETWORK: `127.0.${2 + Math.floor(Math.random() * 250)}`})

  beforeAll(() => {
    ensureBuilt()
    home = mkdtempSync(join(tmpdir(), 'elb-local-platform-'))
  })
  afterAll(() => { rmSync(home, {recursive: true, force: true}) })

  it('refuses a platform it does not know, starting nothing', async () => {
    const bad = await elbLocal(['start', '--platform', 'mainframe', '--port', '0'], base())
    expect(bad.code).not.toBe(0)
    expect(bad.stderr).toContain("--platform takes vpc or ec2-classic, not 'mainframe'.")
    expect(bad.stdout).toBe('')
  }, 30_000)

  it.each([
    [[], /^VPC\tvpc-[0-9a-f]{17}$/],
    [['--platform', 'ec2-classic'], /^EC2\tVPC\tnone$/],
  ])('start --ephemeral %j: aws-cli sees that account', async (flags, expected) => {
    const started = await elbLocal(['start', '--ephemeral', '--port', '0', '--dns-port', '0', ...flags], base())
    expect(started.code).toBe(0)
    const endpoint = /started at (http:\/\/\S+) /.exec(started.stdout)?.[1] ?? ''
    try {
      expect(await platforms(endpoint)).toMatch(expected)
    } finally {
      await elbLocal(['stop'], {...base(), ELB_LOCAL_ENDPOINT: endpoint})
    }
  }, 90_000)
})
