/**
 * `elb-local` as a person meets it (child processes of bin/elb-local and bin/elb-describe-lbs):
 * usage lines, --version, unknown commands, the full command list, a foreign program on the
 * engine's port, and endpoint mistakes — each with its exact message.
 */
import {createServer, type Server} from 'node:http'
import type {AddressInfo} from 'node:net'
import {join} from 'node:path'
import {afterAll, beforeAll, describe, expect, it} from '@jest/globals'
import {ALL_BINARIES} from '../../src/lib/cli/registry.js'
import {packageVersion} from '../../src/lib/cli/version.js'
import {elbLocal, ensureBuilt, REPO, runNode} from '../helpers/processes.js'

const COMMANDS = 'start, stop, status, hosts, wait, console, metrics, reset, logs, run-instances, describe-instances, stop-instances, start-instances, terminate-instances, fault, ca'
const noEngine = {ELB_LOCAL_AUTOSTART: '0', ELB_LOCAL_HOME: '/nonexistent/elb-local-cli-test'}
const legacy = (name: string, args: string[], env: NodeJS.ProcessEnv) => runNode([join(REPO, 'bin', name), ...args], env)

beforeAll(() => { ensureBuilt() })

describe('elb-local: help, version, usage', () => {
  it('--version names the package version', async () => {
    const result = await elbLocal(['--version'], noEngine)
    expect(result).toEqual({code: 0, stdout: `elb-local ${packageVersion()} (elb-tools; node ${process.version})\n`, stderr: ''})
  })

  it('an unknown command is listed with the valid ones', async () => {
    const result = await elbLocal(['bogus'], noEngine)
    expect(result).toEqual({
      code: 1, stdout: '',
      stderr: `elb-local: unknown command 'bogus'. The commands are: ${COMMANDS}.\nRun \`elb-local --help\` for what each does.\n`,
    })
  })

  it('--help shows real usage lines and ends with every command the package installs', async () => {
    const result = await elbLocal(['--help'], noEngine)
    expect(result.code).toBe(0)
    expect(result.stdout.startsWith('Usage: elb-local COMMAND [OPTIONS]\n')).toBe(true)
    expect(result.stdout).not.toContain('elb-cmd elb-local')
    const tail = result.stdout.slice(result.stdout.indexOf('Every command this package installs'))
    expect(tail.split('\n').slice(1).join(' ').split(/\s+/).filter((word) => word !== '')).toEqual([...ALL_BINARIES])
    expect(ALL_BINARIES).toEqual(expect.arrayContaining(['elb-local', 'elb-cmd', 'elb-describe-lbs', 'iam-servercertupload']))
  })

  it('a command\'s --help and its usage errors show `elb-local COMMAND …`', async () => {
    const help = await elbLocal(['status', '--help'], noEngine)
    expect(help.stdout.split('\n').slice(0, 3)).toEqual([
      'Usage: elb-local status [--wide] [--json]', '', 'Show the local engine: endpoint, pid, state dir, counts, load balancer addresses and listeners.',
    ])
    expect(await elbLocal(['status', '--bogus'], noEngine)).toEqual({
      code: 1, stdout: '', stderr: 'elb-local status: unknown option --bogus.\nUsage: elb-local status [--wide] [--json]\n',
    })
    const count = await elbLocal(['run-instances', '--count', 'x'], noEngine)
    expect(count.code).toBe(1)
    expect(count.stderr.split('\n')[0]).toBe('elb-local run-instances: --count takes a whole number from 1 to 50, not \'x\'.')
    const ids = await elbLocal(['stop-instances'], noEngine)
    expect(ids.stderr.split('\n')[0]).toBe('elb-local stop-instances: stop-instances needs ID….')
  })
})

describe('another program on the engine\'s port', () => {
  let server: Server
  let endpoint: string
  let env: NodeJS.ProcessEnv

  beforeAll(async () => {
    server = createServer((_req, res) => { res.end('<html>not an engine</html>') })
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
    endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
    env = {ELB_LOCAL_ENDPOINT: endpoint, ELB_LOCAL_HOME: '/nonexistent/elb-local-cli-test'}
  })
  afterAll(async () => { await new Promise((resolve) => server.close(resolve)) })

  const held = (): string => `Another program, not an elb-local engine, is answering at ${endpoint}. Give the engine another port: ` +
    'ELB_LOCAL_ENDPOINT=http://127.0.0.1:PORT for every command (`elb-local start` then starts it there; or ' +
    '`elb-local start --port PORT`), or stop that program.'

  it('start, stop and status say so, and exit 1', async () => {
    for (const command of ['start', 'stop', 'status']) {
      expect(await elbLocal([command], env)).toEqual({code: 1, stdout: '', stderr: `elb-local ${command}: ${held()}\n`})
    }
  })

  it('an elb-* command does not take it for the engine (nor start one)', async () => {
    const result = await legacy('elb-describe-lbs', [], env)
    expect(result.stdout).toBe('')
    expect(result.stderr.replace(/\n /g, ' ')).toBe(`elb-describe-lbs:  ${held()}\n\n`)
    expect(result.code).toBe(31)
  })
})

describe('endpoint mistakes get one sentence', () => {
  it('ELB_LOCAL_ENDPOINT without a scheme', async () => {
    expect(await elbLocal(['start'], {ELB_LOCAL_ENDPOINT: '127.0.0.1:8773'})).toEqual({
      code: 1, stdout: '', stderr: 'elb-local start: ELB_LOCAL_ENDPOINT \'127.0.0.1:8773\' has no scheme: write it as http://127.0.0.1:8773.\n',
    })
  })

  it('-U without a scheme, a bad port, a bad host', async () => {
    const cases: [string, string][] = [
      ['127.0.0.1:8773', '-U/--url \'127.0.0.1:8773\' has no scheme: write it as http://127.0.0.1:8773.'],
      ['http://127.0.0.1:99999', '-U/--url \'http://127.0.0.1:99999\' has a bad port \'99999\': a port is a number from 1 to 65535.'],
      ['http://no such host:80', '-U/--url \'http://no such host:80\' has a bad host \'no such host\': give a host name or an IP address.'],
    ]
    for (const [url, sentence] of cases) {
      const result = await legacy('elb-describe-lbs', ['-U', url], noEngine)
      // Exit 1, bad input as the README lists it (was the jar's `program error`, 99); one sentence.
      expect({code: result.code, stderr: result.stderr.replace(/\n /g, ' ')}).toEqual({code: 1, stderr: `elb-describe-lbs:  ${sentence}\n\n`})
    }
    const env = await legacy('elb-describe-lbs', [], {...noEngine, AWS_ELB_URL: 'localhost:1'})
    expect(env.stderr.replace(/\n /g, ' ')).toBe('elb-describe-lbs:  AWS_ELB_URL \'localhost:1\' has no scheme: write it as http://localhost:1.\n\n')
  })

  it('no engine and no autostart: says how to start it', async () => {
    const endpoint = 'http://127.0.0.1:9'
    const result = await legacy('elb-describe-lbs', [], {...noEngine, ELB_LOCAL_ENDPOINT: endpoint})
    expect(result.code).toBe(31)
    expect(result.stderr.replace(/\n /g, ' ')).toBe(
      'elb-describe-lbs:  Couldn\'t reach the service (reason: Connection refused) - please check your network settings and ' +
      `if the problem continues, contact support. No local engine answers at ${endpoint}: start it with \`elb-local start\`.\n\n`)
  })
})
