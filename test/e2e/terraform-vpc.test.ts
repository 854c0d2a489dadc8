/**
 * Terraform's AWS provider building a VPC against the engine's EC2 API (issue 18):
 * test/e2e/fixtures/terraform-vpc/main.tf makes an `aws_vpc` (DNS host names on), an
 * `aws_internet_gateway`, two `aws_subnet`s mapping public addresses, an `aws_route_table` with a
 * default route to the gateway and two `aws_route_table_association`s, and two `aws_instance`s
 * with `subnet_id` and no elb-local tags. Apply, a second plan with no changes, destroy — with
 * TF_LOG=debug, every call the provider made answered (no unknown Action, no error but the
 * NotFound its deletion waiters expect). Skipped, saying why, where terraform or the provider
 * mirror is absent.
 */
import {copyFileSync, mkdtempSync, readFileSync, rmSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {DescribeInstancesCommand, DescribeRouteTablesCommand, DescribeSubnetsCommand, DescribeVpcsCommand, EC2Client} from '@aws-sdk/client-ec2'
import {startTestEngine, TEST_CREDENTIALS, type TestEngine} from '../helpers/engine.js'
import {REPO, type RunResult} from '../helpers/processes.js'
import {terraformIn} from '../helpers/terraform.js'
import {findTerraform} from '../helpers/provisioning-tools.js'

const FIXTURE = join(REPO, 'test', 'e2e', 'fixtures', 'terraform-vpc', 'main.tf')

const {version, mirror, skipReason} = findTerraform()
if (skipReason !== undefined) console.warn(`test/e2e/terraform-vpc.test.ts skipped: ${skipReason}`)
const maybe = skipReason === undefined ? describe : describe.skip

/** The EC2 error codes in a TF_LOG=debug log (the response bodies it prints). */
function errorCodes(log: string): string[] {
  return [...log.matchAll(/<Code>([^<]+)<\/Code><Message>([^<]*)<\/Message>/g)].map((match) => `${match[1] ?? ''}: ${match[2] ?? ''}`)
}

/**
 * What a debug log may hold: the NotFound answers the provider's deletion waiters wait for, and
 * (until the security-group API of issue 18 lands) DescribeSecurityGroups' `vpc-id` filter, which
 * the provider reads only to log the VPC's default group.
 */
const EXPECTED = /^(InvalidVpcID\.NotFound|InvalidSubnetID\.NotFound|InvalidRouteTableID\.NotFound|InvalidInternetGatewayID\.NotFound|InvalidAssociationID\.NotFound|InvalidInstanceID\.NotFound): |^InvalidParameterValue: The filter 'vpc-id' is invalid$/

maybe(`terraform (${version ?? 'absent'}) builds a VPC on the engine`, () => {
  let api: TestEngine
  let ec2: EC2Client
  let work: string
  let run: (...args: string[]) => Promise<RunResult>
  let logName = 'terraform.log'

  beforeAll(async () => {
    api = await startTestEngine()
    ec2 = new EC2Client({endpoint: api.endpoint, region: api.region, credentials: TEST_CREDENTIALS, maxAttempts: 1})
    work = mkdtempSync(join(tmpdir(), 'elb-terraform-vpc-'))
    copyFileSync(FIXTURE, join(work, 'main.tf'))
    run = terraformIn(work, mirror ?? '', () => ({TF_LOG: 'debug', TF_LOG_PATH: join(work, logName), TF_VAR_endpoint: api.endpoint}))
  })

  afterAll(async () => {
    ec2.destroy()
    await api.close()
    rmSync(work, {recursive: true, force: true})
  })

  /** terraform ARGS with its debug log in `work/log` (runs are sequential). */
  function terraform(log: string, ...args: string[]): Promise<RunResult> {
    logName = log
    return run(...args)
  }

  test('apply, plan with no changes, destroy without warnings; every call answered', async () => {
    const init = await terraform('init.log', 'init', '-input=false')
    expect({code: init.code, stderr: init.stderr}).toEqual({code: 0, stderr: ''})

    const apply = await terraform('apply.log', 'apply', '-auto-approve', '-input=false')
    expect({code: apply.code, stderr: apply.stderr}).toEqual({code: 0, stderr: ''})
    expect(apply.stdout).toContain('Apply complete! Resources: 9 added, 0 changed, 0 destroyed.')
    expect(apply.stdout).not.toContain('Warning')

    const [vpc] = (await ec2.send(new DescribeVpcsCommand({Filters: [{Name: 'tag:Name', Values: ['tf-vpc']}]}))).Vpcs ?? []
    expect(vpc).toMatchObject({CidrBlock: '10.0.0.0/16', IsDefault: false})
    // Terraform makes the two subnets in parallel: in either order.
    const subnets = ((await ec2.send(new DescribeSubnetsCommand({Filters: [{Name: 'vpc-id', Values: [vpc?.VpcId ?? '']}]}))).Subnets ?? [])
      .sort((a, b) => (a.CidrBlock ?? '').localeCompare(b.CidrBlock ?? ''))
    expect(subnets.map((s) => [s.CidrBlock, s.AvailabilityZone, s.MapPublicIpOnLaunch])).toEqual([
      ['10.0.1.0/24', 'us-east-1a', true], ['10.0.2.0/24', 'us-east-1b', true],
    ])
    const [table] = (await ec2.send(new DescribeRouteTablesCommand({Filters: [{Name: 'tag:Name', Values: ['tf-public']}]}))).RouteTables ?? []
    expect(table?.Associations?.map((a) => a.SubnetId).sort()).toEqual(subnets.map((s) => s.SubnetId).sort())
    expect(table?.Routes?.map((r) => [r.DestinationCidrBlock, r.State])).toEqual([['10.0.0.0/16', 'active'], ['0.0.0.0/0', 'active']])
    const instances = ((await ec2.send(new DescribeInstancesCommand({Filters: [{Name: 'vpc-id', Values: [vpc?.VpcId ?? '']}]}))).Reservations ?? [])
      .flatMap((r) => r.Instances ?? []).sort((a, b) => (a.PrivateIpAddress ?? '').localeCompare(b.PrivateIpAddress ?? ''))
    expect(instances.map((i) => [i.SubnetId, i.PrivateIpAddress?.split('.').slice(0, 3).join('.'), i.State?.Name]))
      .toEqual(subnets.map((s) => [s.SubnetId, s.CidrBlock?.split('.').slice(0, 3).join('.'), 'running']))

    const plan = await terraform('plan.log', 'plan', '-detailed-exitcode', '-input=false')
    expect({code: plan.code, stderr: plan.stderr}).toEqual({code: 0, stderr: ''})
    expect(plan.stdout).toContain('No changes.')

    const destroy = await terraform('destroy.log', 'destroy', '-auto-approve', '-input=false')
    expect({code: destroy.code, stderr: destroy.stderr}).toEqual({code: 0, stderr: ''})
    expect(destroy.stdout).toContain('Destroy complete! Resources: 9 destroyed.')
    expect(destroy.stdout).not.toContain('Warning')
    expect((await ec2.send(new DescribeVpcsCommand({}))).Vpcs?.map((v) => v.IsDefault)).toEqual([true])

    const logs = ['apply.log', 'plan.log', 'destroy.log'].map((log) => readFileSync(join(work, log), 'utf8')).join('\n')
    expect(logs).toContain('rpc.method=AssociateRouteTable')
    expect(errorCodes(logs).filter((error) => !EXPECTED.test(error))).toEqual([])
  }, 300_000)
})
