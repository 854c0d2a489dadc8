import {DescribeLoadBalancersCommand, ElasticLoadBalancingClient} from '@aws-sdk/client-elastic-load-balancing'
import {mockClient} from 'aws-sdk-client-mock'
import 'aws-sdk-client-mock-jest'
import {MOCK_TARGET, runCli} from './run-cli.js'

/** Behaviours compared byte for byte with the 1.0.17.0 jar (see docs/decisions.md › CLI). */
const elb = mockClient(ElasticLoadBalancingClient)
beforeEach(() => {
  elb.reset()
  elb.on(DescribeLoadBalancersCommand).resolves({LoadBalancerDescriptions: []})
})

const DESCRIBE_LBS_USAGE =
  'Usage:\nelb-describe-lbs\n       [LoadBalancerNames [LoadBalancerNames ...] ] [--marker  value ]\n        [General Options]\n' +
  'For more information and a full list of options, run "elb-describe-lbs --help"\n'

describe('help', () => {
  test('only a leading -h, --help or -? prints the help (stdout, exit 0)', async () => {
    for (const token of ['-h', '--help', '-?']) {
      const run = await runCli('elb-create-lb', [token, 'x'])
      expect(run.code).toBe(0)
      expect(run.stdout.startsWith('\nSYNOPSIS\n   elb-create-lb\n')).toBe(true)
      expect(run.stdout).toContain('\nGENERAL OPTIONS\n   --aws-credential-file VALUE\n')
    }
  })

  test('later, --help is an unknown option, -h an ignored letter, -help an unknown name', async () => {
    expect(await runCli('elb-describe-lbs', ['a', '--help'])).toEqual({
      stdout: '',
      stderr: `elb-describe-lbs:  Malformed input-Unrecognized option:  --help\n${DESCRIBE_LBS_USAGE}`,
      code: 1,
    })
    expect((await runCli('elb-describe-lbs', ['x', '-help'])).stderr).toContain('Malformed input-Unrecognized option:  -help\n')
    expect((await runCli('elb-create-lb', ['x', '-h'])).stderr).toContain('Malformed input-Missing argument(s): --listener\n')
  })

  test('an unknown --name=value is reported without its value', async () => {
    expect((await runCli('elb-describe-lbs', ['--foo=bar'])).stderr).toContain('Unrecognized option:  --foo\n')
  })
})

test('a non-numeric --connection-timeout: the jar\'s "program error", exit 99', async () => {
  expect(await runCli('elb-describe-lbs', ['--connection-timeout', 'abc', ...MOCK_TARGET])).toEqual({
    stdout: '',
    stderr: 'elb-describe-lbs:  program error\n\n',
    code: 99,
  })
})

test('--quiet also silences --show-request', async () => {
  expect(await runCli('elb-describe-lbs', ['--show-request', '--quiet', ...MOCK_TARGET])).toEqual({stdout: '', stderr: '', code: 0})
})

describe('credentials (no request is made when they are unusable)', () => {
  const endpoint = ['-U', 'http://127.0.0.1:9/']
  test('-I without -S', async () => {
    expect(await runCli('elb-describe-lbs', [...endpoint, '-I', 'AKIDONLY'])).toEqual({
      stdout: '',
      stderr: `elb-describe-lbs:  Malformed input-No Credentials were provided - cannot access the service\n${DESCRIBE_LBS_USAGE}`,
      code: 1,
    })
  })

  test('a credential file that is missing or lacks a key', async () => {
    expect((await runCli('elb-describe-lbs', [...endpoint, '--aws-credential-file', '/nope'])).stderr).toContain(
      'Malformed input-File not found: /nope\n',
    )
    const run = await runCli('elb-describe-lbs', [...endpoint], {env: {AWS_CREDENTIAL_FILE: '/c'}, files: {'/c': 'AWSAccessKeyId=AKIDONLY\n'}})
    expect(run.stderr).toContain('Malformed input-Bad credentials in file: /c [keyId: AKIDONLY | secretKey null]\n')
    expect(elb.calls()).toHaveLength(0)
  })
})

describe('elb-cmd and elb-version', () => {
  test('version text', async () => {
    const expected = {stdout: 'Amazon ElasticLoadBalancing CLI version 1.0.17.0 (API 2012-06-01)\n\n', stderr: '', code: 0}
    expect(await runCli('elb-version', [])).toEqual(expected)
    expect(await runCli('elb-cmd', ['version'])).toEqual(expected)
  })

  test('an unknown command', async () => {
    expect(await runCli('elb-cmd', ['bogus'])).toEqual({
      stdout: '',
      stderr: " Malformed input-Unknown command: 'bogus'. Use '--help' to see a list of valid\n commands.\n\n",
      code: 1,
    })
  })

  test('dispatches to a command', async () => {
    elb.on(DescribeLoadBalancersCommand).resolves({
      LoadBalancerDescriptions: [{LoadBalancerName: 'a', DNSName: 'a-1.us-east-1.elb.amazonaws.com', CreatedTime: new Date('2013-05-24T21:15:31.280Z')}],
    })
    expect(await runCli('elb-cmd', ['elb-describe-lbs', ...MOCK_TARGET])).toEqual({
      stdout: 'LOAD_BALANCER  a  a-1.us-east-1.elb.amazonaws.com  2013-05-24T21:15:31.280Z\n',
      stderr: '',
      code: 0,
    })
  })
})

describe('failures without an HTTP response', () => {
  test('connection refused: exit 31 with the legacy text', async () => {
    const refused = Object.assign(new Error('connect ECONNREFUSED 192.0.2.1:80'), {code: 'ECONNREFUSED'})
    elb.on(DescribeLoadBalancersCommand).rejects(refused)
    // Off loopback (a loopback endpoint adds the `elb-local start` hint: test/e2e/endpoint-answers.test.ts).
    expect(await runCli('elb-describe-lbs', ['-U', 'http://192.0.2.1/', '-I', 'AKIDTEST', '-S', 'secret'])).toEqual({
      stdout: '',
      stderr:
        "elb-describe-lbs:  Couldn't reach the service (reason: Connection refused) - please check your\n" +
        ' network settings and if the problem continues, contact support.\n\n',
      code: 31,
    })
  })

  test('an unexpected error is the jar\'s "program error" (exit 99), not a network failure', async () => {
    elb.on(DescribeLoadBalancersCommand).rejects(new TypeError('boom'))
    expect(await runCli('elb-describe-lbs', [...MOCK_TARGET])).toEqual({stdout: '', stderr: 'elb-describe-lbs:  program error\n\n', code: 99})
  })
})

describe('inputs refused before any request (issue 9 #11, #12)', () => {
  test("elb-describe-lbs --region 'bad region': a legacy-style message, exit 1, not a program error", async () => {
    expect(await runCli('elb-describe-lbs', ['--region', 'bad region', ...MOCK_TARGET])).toEqual({
      stdout: '',
      // Wrapped at 80 columns, as the jar wraps its messages.
      stderr: "elb-describe-lbs:  Malformed input-Invalid region: 'bad region' is not an AWS Region name (such as\n us-east-1 or eu-west-1)\n" +
        DESCRIBE_LBS_USAGE,
      code: 1,
    })
    expect((await runCli('elb-describe-lbs', [...MOCK_TARGET], {env: {EC2_REGION: 'US_EAST_1'}})).stderr)
      .toContain("Malformed input-Invalid region: 'US_EAST_1' is not")
    expect(elb).toHaveReceivedCommandTimes(DescribeLoadBalancersCommand, 0)
    expect((await runCli('elb-describe-lbs', ['--region', 'us-gov-west-1', ...MOCK_TARGET])).code).toBe(0)
  })

  test("--instances '' and --availability-zones '' are missing arguments", async () => {
    const register = await runCli('elb-register-instances-with-lb', ['web', '--instances', '', ...MOCK_TARGET])
    expect([register.code, register.stderr.split('\n')[0]])
      .toEqual([1, 'elb-register-instances-with-lb:  Malformed input-Missing argument(s): --instances'])
    const zones = await runCli('elb-enable-zones-for-lb', ['web', '--availability-zones', '', ...MOCK_TARGET])
    expect([zones.code, zones.stderr.split('\n')[0]]).toEqual([1, 'elb-enable-zones-for-lb:  Malformed input-Missing argument(s): --availability-zones'])
    const create = await runCli('elb-create-lb', ['web', '--listener', 'protocol=http,lb-port=80,instance-port=80', '--availability-zones', ',', ...MOCK_TARGET])
    expect([create.code, create.stderr.split('\n')[0]]).toEqual([1, 'elb-create-lb:  Malformed input-Missing argument(s): --availability-zones'])
    expect(elb.calls()).toHaveLength(0)
  })
})
