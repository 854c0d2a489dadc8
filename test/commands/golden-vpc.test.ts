import {execFile, execFileSync} from 'node:child_process'
import {mkdirSync, readFileSync, writeFileSync} from 'node:fs'
import {dirname} from 'node:path'
import {promisify} from 'node:util'
import {castDraft} from 'immer'
import type {SecurityGroupRecord} from '../../src/engine/model/network-types.js'
import type {RegionState} from '../../src/engine/model/types.js'
import {startApiServer, type ApiServerHandle} from '../helpers/api-server.js'
import {vpcNetwork} from '../unit/engine/elb/vpc-fixture.js'
import {runCli, type CliRun} from './run-cli.js'

/**
 * The VPC command lines against the real engine in a VPC account, byte for byte what the legacy
 * 1.0.17.0 jar printed for the same engine answers. The fixtures were captured by running this file
 * with ELB_LEGACY_CAPTURE=$AWS_ELB_HOME (the unpacked jar, never committed): each step then runs the
 * jar instead of our command and writes what it printed.
 */
const CAPTURE_HOME = process.env.ELB_LEGACY_CAPTURE
const FIXTURES = new URL('../unit/cli/fixtures/vpc/', import.meta.url)
const FIXED_NOW = new Date('2026-11-24T01:02:03.456Z')
const HTTP = 'protocol=http,lb-port=80,instance-port=8080'

/** Each step runs after the ones before it, on the same engine. */
const STEPS: readonly [string, string, readonly string[]][] = [
  ['create-by-subnets', 'elb-create-lb', ['web', '--headers', '--listener', HTTP, '--subnets', 'subnet-da,subnet-dc', '--security-groups', 'sg-web']],
  ['create-internal', 'elb-create-lb', ['inside', '--listener', HTTP, '--subnets', 'subnet-ca', '--scheme', 'internal']],
  ['create-by-zones', 'elb-create-lb', ['zoned', '--listener', HTTP, '--availability-zones', 'us-east-1b']],
  ['create-both', 'elb-create-lb', ['both', '--listener', HTTP, '--availability-zones', 'us-east-1a', '--subnets', 'subnet-da']],
  ['create-same-zone', 'elb-create-lb', ['twin', '--listener', HTTP, '--subnets', 'subnet-ca,subnet-ca2', '--scheme', 'internal']],
  ['create-no-gateway', 'elb-create-lb', ['public', '--listener', HTTP, '--subnets', 'subnet-ca']],
  ['create-unknown-group', 'elb-create-lb', ['nogroup', '--listener', HTTP, '--subnets', 'subnet-da', '--security-groups', 'sg-nope']],
  ['attach', 'elb-attach-lb-to-subnets', ['inside', '--headers', '--subnets', 'subnet-cb']],
  ['detach', 'elb-detach-lb-from-subnets', ['inside', '--subnets', 'subnet-ca']],
  ['detach-last', 'elb-detach-lb-from-subnets', ['inside', '--subnets', 'subnet-cb']],
  ['apply-groups', 'elb-apply-security-groups-to-lb', ['web', '--headers', '--security-groups', 'sg-default,sg-web']],
  ['describe', 'elb-describe-lbs', []],
  ['describe-long', 'elb-describe-lbs', ['--show-long', '--headers']],
  ['describe-long-empty', 'elb-describe-lbs', ['inside', '--show-long', '--show-empty-fields']],
  ['describe-table', 'elb-describe-lbs', ['zoned', '--headers']],
]

let api: ApiServerHandle

beforeAll(async () => {
  api = await startApiServer({now: () => FIXED_NOW})
  api.store.update((state) => {
    state.platform = 'vpc'
    // ELB's own group of the default VPC exists already, so every run shows the same ids.
    const network = vpcNetwork()
    const elbGroup = {...network.securityGroups[0] as SecurityGroupRecord, groupId: 'sg-0e1b2c3d4e5f60718', groupName: 'default_elb_fc5fbed3-0405-3b7d-a328-ea290EXAMPLE'}
    const region: RegionState = {loadBalancers: [], instances: [], network: {...network, securityGroups: [...network.securityGroups, elbGroup]}}
    state.regions['us-east-1'] = castDraft(region)
  })
})

afterAll(async () => {
  await api.close()
})

async function runLegacy(home: string, name: string, argv: readonly string[]): Promise<CliRun> {
  const javaHome = dirname(dirname(execFileSync('readlink', ['-f', '/usr/bin/java'], {encoding: 'utf8'}).trim()))
  try {
    const {stdout, stderr} = await promisify(execFile)(`${home}/bin/${name}`, [...argv, '-U', api.endpoint, '-I', 'AKIDEXAMPLE', '-S', 'secretsecret'], {
      env: {...process.env, AWS_ELB_HOME: home, JAVA_HOME: process.env.JAVA_HOME ?? javaHome},
    })
    return {stdout, stderr, code: 0}
  } catch (error) {
    const failed = error as {stdout: string; stderr: string; code: number}
    return {stdout: failed.stdout, stderr: failed.stderr, code: failed.code}
  }
}

/** Request ids are the engine's (random per request), not the command's. */
const withoutRequestId = (text: string) => text.replace(/AWSRequestId:[0-9a-f-]{36}/g, 'AWSRequestId:<id>')

const fixturePath = (step: string) => new URL(`${step}.json`, FIXTURES)

describe('the VPC command lines print what 1.0.17.0 printed for the same engine answers', () => {
  test.each(STEPS)('%s: %s', async (step, name, argv) => {
    if (CAPTURE_HOME !== undefined) {
      const legacy = await runLegacy(CAPTURE_HOME, name, argv)
      mkdirSync(FIXTURES, {recursive: true})
      writeFileSync(fixturePath(step), `${JSON.stringify({command: [name, ...argv].join(' '), ...legacy}, null, 2)}\n`)
      return
    }
    const expected = JSON.parse(readFileSync(fixturePath(step), 'utf8')) as CliRun
    const run = await runCli(name, [...argv, '-U', api.endpoint, '-I', 'AKIDEXAMPLE', '-S', 'secretsecret'])
    expect({...run, stderr: withoutRequestId(run.stderr)}).toEqual({stdout: expected.stdout, stderr: withoutRequestId(expected.stderr), code: expected.code})
  })
})
