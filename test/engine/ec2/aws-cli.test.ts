import {afterAll, beforeAll, describe, expect, test} from '@jest/globals'
import {startTestEngine, TEST_CREDENTIALS, type TestEngine} from '../../helpers/engine.js'
import {runProcess, type RunResult} from '../../helpers/processes.js'
import {findAwsCliOnPath, printedError, readsEndpointUrlVariable} from '../../helpers/aws-cli.js'

/**
 * aws-cli (botocore's own EC2 and ELB models) against the engine: EC2 calls, the answers it parses,
 * EC2's error envelope as aws-cli prints it, and ELB through AWS_ENDPOINT_URL. Either generation:
 * one too old to read AWS_ENDPOINT_URL (Debian's aws-cli 2.9.19) is given `--endpoint-url` instead.
 */

const cli = findAwsCliOnPath()
const available = cli.command !== undefined
if (!available) console.warn('aws-cli is not installed: the aws-cli tests are skipped (apt-get install awscli, or pip install awscli)')
const maybe = available ? describe : describe.skip
const endpointVariable = readsEndpointUrlVariable(cli)
if (available && !endpointVariable) console.warn(`${cli.version ?? 'aws-cli'} does not read AWS_ENDPOINT_URL: its test is skipped`)
const testWithEndpointVariable = endpointVariable ? test : test.skip

let api: TestEngine
/** aws-cli starts Python for every call (1-4 s each on a loaded machine). */
const CLI_TEST_TIMEOUT_MS = 180_000

maybe('aws-cli against the engine', () => {
  beforeAll(async () => { api = await startTestEngine() })
  afterAll(async () => { await api.close() })

  function aws(...args: string[]): Promise<RunResult> {
    return runProcess(cli.command ?? 'aws', ['--output', 'json', ...(endpointVariable ? [] : ['--endpoint-url', api.endpoint]), ...args], {
      env: {
        AWS_ACCESS_KEY_ID: TEST_CREDENTIALS.accessKeyId, AWS_SECRET_ACCESS_KEY: TEST_CREDENTIALS.secretAccessKey,
        AWS_DEFAULT_REGION: api.region, AWS_ENDPOINT_URL: api.endpoint, AWS_CONFIG_FILE: '/dev/null',
        AWS_SHARED_CREDENTIALS_FILE: '/dev/null', AWS_MAX_ATTEMPTS: '1', AWS_PAGER: '',
      },
      timeoutMs: 60_000,
    })
  }

  test('ec2 run-instances / describe-instances / stop / start / terminate', async () => {
    const run = await aws('ec2', 'run-instances', '--image-id', 'ami-12345678', '--count', '2', '--placement', 'AvailabilityZone=us-east-1a',
      '--tag-specifications', 'ResourceType=instance,Tags=[{Key=elb-local:serve,Value=http:8080},{Key=team,Value=web}]')
    expect(run.stderr).toBe('')
    expect(run.code).toBe(0)
    const launched = JSON.parse(run.stdout) as {Instances: {InstanceId: string; State: {Name: string}; PrivateIpAddress: string}[]}
    expect(launched.Instances.map((i) => i.State.Name)).toEqual(['running', 'running'])
    const ids = launched.Instances.map((i) => i.InstanceId)

    const described = await aws('ec2', 'describe-instances', '--filters', 'Name=tag:team,Values=web', 'Name=instance-state-name,Values=running',
      '--query', 'Reservations[].Instances[].[InstanceId,Placement.AvailabilityZone,PublicDnsName]')
    expect(described.code).toBe(0)
    const rows = JSON.parse(described.stdout) as string[][]
    expect(rows.map((row) => row[0]).sort()).toEqual([...ids].sort())
    expect(rows.every((row) => row[1] === 'us-east-1a' && /\.compute-1\.amazonaws\.com$/.test(row[2] ?? ''))).toBe(true)

    const stopped = await aws('ec2', 'stop-instances', '--instance-ids', ids[0] ?? '')
    expect(JSON.parse(stopped.stdout)).toEqual({StoppingInstances: [{InstanceId: ids[0], CurrentState: {Code: 80, Name: 'stopped'}, PreviousState: {Code: 16, Name: 'running'}}]})
    const waited = await aws('ec2', 'wait', 'instance-stopped', '--instance-ids', ids[0] ?? '')
    expect(waited.code).toBe(0)
    const started = await aws('ec2', 'start-instances', '--instance-ids', ids[0] ?? '')
    expect(started.code).toBe(0)
    const terminated = await aws('ec2', 'terminate-instances', '--instance-ids', ...ids)
    expect((JSON.parse(terminated.stdout) as {TerminatingInstances: unknown[]}).TerminatingInstances).toHaveLength(2)
    const status = await aws('ec2', 'describe-instance-status', '--instance-ids', ...ids, '--include-all-instances',
      '--query', 'InstanceStatuses[].InstanceState.Name')
    expect(JSON.parse(status.stdout)).toEqual(['terminated', 'terminated'])
  }, CLI_TEST_TIMEOUT_MS)

  test('errors: EC2 codes and messages as aws-cli prints them, non-zero exit', async () => {
    const missing = await aws('ec2', 'describe-instances', '--instance-ids', 'i-0123456789abcdef0')
    expect(missing.code).not.toBe(0)
    expect(missing.stderr).toMatch(printedError('InvalidInstanceID.NotFound', 'DescribeInstances', "The instance ID 'i-0123456789abcdef0' does not exist"))
    const malformed = await aws('ec2', 'terminate-instances', '--instance-ids', 'web-1')
    expect(malformed.stderr).toContain('(InvalidInstanceID.Malformed)')
    const badFilter = await aws('ec2', 'describe-instances', '--filters', 'Name=colour,Values=red')
    expect(badFilter.stderr).toMatch(printedError('InvalidParameterValue', 'DescribeInstances', "The filter 'colour' is invalid"))
  }, CLI_TEST_TIMEOUT_MS)

  test('account, zones, regions, security groups, network interfaces', async () => {
    const platforms = await aws('ec2', 'describe-account-attributes', '--attribute-names', 'supported-platforms',
      '--query', 'AccountAttributes[0].AttributeValues[].AttributeValue')
    expect(JSON.parse(platforms.stdout)).toEqual(['VPC'])
    const zones = await aws('ec2', 'describe-availability-zones', '--query', 'AvailabilityZones[].ZoneName')
    expect(JSON.parse(zones.stdout)).toContain('us-east-1a')
    const regions = await aws('ec2', 'describe-regions', '--region-names', 'eu-west-1', '--query', 'Regions[0].Endpoint')
    expect(JSON.parse(regions.stdout)).toBe('ec2.eu-west-1.amazonaws.com')
    const group = await aws('ec2', 'describe-security-groups', '--group-names', 'default', '--query', 'SecurityGroups[0].VpcId')
    expect(JSON.parse(group.stdout)).toMatch(/^vpc-[0-9a-f]{17}$/)
    const enis = await aws('ec2', 'describe-network-interfaces', '--filters', 'Name=description,Values=ELB nothing')
    expect(JSON.parse(enis.stdout)).toEqual({NetworkInterfaces: []})
  }, CLI_TEST_TIMEOUT_MS)

  testWithEndpointVariable('ELB and EC2 through one AWS_ENDPOINT_URL: register an EC2-launched instance', async () => {
    const run = await aws('ec2', 'run-instances', '--image-id', 'ami-12345678', '--count', '1', '--query', 'Instances[0].InstanceId')
    const id = JSON.parse(run.stdout) as string
    const created = await aws('elb', 'create-load-balancer', '--load-balancer-name', 'cli-lb', '--availability-zones', 'us-east-1a',
      '--listeners', 'Protocol=HTTP,LoadBalancerPort=80,InstanceProtocol=HTTP,InstancePort=8080')
    expect(created.code).toBe(0)
    const registered = await aws('elb', 'register-instances-with-load-balancer', '--load-balancer-name', 'cli-lb', '--instances', id)
    expect(JSON.parse(registered.stdout)).toEqual({Instances: [{InstanceId: id}]})
    const unknown = await aws('elb', 'register-instances-with-load-balancer', '--load-balancer-name', 'cli-lb', '--instances', 'i-0badbadbadbadbad0')
    expect(unknown.stderr).toContain('(InvalidInstance)')
    expect(unknown.stderr).toContain('Could not find EC2 instance i-0badbadbadbadbad0.')
    expect((await aws('elb', 'delete-load-balancer', '--load-balancer-name', 'cli-lb')).code).toBe(0)
  }, CLI_TEST_TIMEOUT_MS)
})
