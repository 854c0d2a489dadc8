/**
 * Terraform's `aws_security_group` and `aws_security_group_rule` against the engine's EC2 API, in
 * the default VPC: apply, a second plan with no changes, the rules as EC2 shows them, destroy.
 * The provider's debug log is checked for calls the engine did not answer (an unknown Action).
 * Skipped, saying why, where terraform or the provider mirror is absent.
 */
import {copyFileSync, mkdtempSync, readFileSync, rmSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {DescribeSecurityGroupsCommand, EC2Client} from '@aws-sdk/client-ec2'
import {startTestEngine, TEST_CREDENTIALS, type TestEngine} from '../helpers/engine.js'
import {REPO, type RunResult} from '../helpers/processes.js'
import {terraformIn} from '../helpers/terraform.js'
import {findTerraform} from '../helpers/provisioning-tools.js'
import {ensureDefaultNetwork} from '../helpers/vpc-records.js'

const FIXTURE = join(REPO, 'test', 'e2e', 'fixtures', 'terraform-security-groups', 'main.tf')

const {version, mirror, skipReason} = findTerraform()
if (skipReason !== undefined) console.warn(`test/e2e/terraform-security-groups.test.ts skipped: ${skipReason}`)
const maybe = skipReason === undefined ? describe : describe.skip

maybe(`terraform (${version ?? 'absent'}): security groups and their rules against the engine`, () => {
  let api: TestEngine
  let ec2: EC2Client
  let work: string
  let vpcId: string
  let terraform: (...args: string[]) => Promise<RunResult>

  beforeAll(async () => {
    api = await startTestEngine()
    ec2 = new EC2Client({endpoint: api.endpoint, region: api.region, credentials: TEST_CREDENTIALS, maxAttempts: 1})
    vpcId = ensureDefaultNetwork(api.engine.store, api.region).vpc.vpcId
    work = mkdtempSync(join(tmpdir(), 'elb-terraform-sg-'))
    copyFileSync(FIXTURE, join(work, 'main.tf'))
    terraform = terraformIn(work, mirror ?? '', () => ({TF_LOG: 'DEBUG', TF_LOG_PATH: join(work, 'terraform.log'), TF_VAR_endpoint: api.endpoint, TF_VAR_vpc_id: vpcId}))
  })

  afterAll(async () => {
    ec2.destroy()
    await api.close()
    rmSync(work, {recursive: true, force: true})
  })

  test('init, apply, plan with no changes, destroy; every call answered', async () => {
    const init = await terraform('init', '-input=false')
    expect({code: init.code, stderr: init.stderr}).toEqual({code: 0, stderr: ''})

    const apply = await terraform('apply', '-auto-approve', '-input=false')
    expect({code: apply.code, stderr: apply.stderr}).toEqual({code: 0, stderr: ''})
    expect(apply.stdout).toContain('Apply complete! Resources: 5 added, 0 changed, 0 destroyed.')

    const plan = await terraform('plan', '-detailed-exitcode', '-input=false')
    expect({code: plan.code, stderr: plan.stderr}).toEqual({code: 0, stderr: ''})
    expect(plan.stdout).toContain('No changes.')

    const groups = (await ec2.send(new DescribeSecurityGroupsCommand({Filters: [{Name: 'group-name', Values: ['tf-lb', 'tf-app']}]}))).SecurityGroups ?? []
    const lb = groups.find((g) => g.GroupName === 'tf-lb')
    const app = groups.find((g) => g.GroupName === 'tf-app')
    expect(lb?.IpPermissions).toEqual([{IpProtocol: 'tcp', FromPort: 80, ToPort: 80, UserIdGroupPairs: [], IpRanges: [{CidrIp: '0.0.0.0/0', Description: 'HTTP'}], Ipv6Ranges: [], PrefixListIds: []}])
    expect(lb?.Tags).toEqual([{Key: 'Name', Value: 'tf-lb'}])
    const appIngress = (app?.IpPermissions ?? []).map((p) => [p.IpProtocol, p.FromPort, p.IpRanges?.map((r) => r.CidrIp), p.UserIdGroupPairs?.map((g) => g.GroupId)])
    expect(appIngress).toEqual(expect.arrayContaining([
      ['tcp', 8080, [], [lb?.GroupId]],
      ['tcp', 22, ['10.0.0.0/8', '192.168.0.0/16'], []],
      ['icmp', -1, [], [lb?.GroupId]],
    ]))
    expect(app?.IpPermissionsEgress?.map((p) => [p.IpProtocol, p.IpRanges?.map((r) => r.CidrIp), p.Ipv6Ranges?.map((r) => r.CidrIpv6)])).toEqual([['-1', ['0.0.0.0/0'], ['::/0']]])

    const destroy = await terraform('destroy', '-auto-approve', '-input=false')
    expect({code: destroy.code, stderr: destroy.stderr}).toEqual({code: 0, stderr: ''})
    expect(destroy.stdout).toContain('Destroy complete! Resources: 5 destroyed.')
    expect(api.engine.store.region(api.region).network?.securityGroups.map((g) => g.groupName)).toEqual(['default'])
    // No call the engine did not know (EC2 answers an unknown Action with InvalidAction).
    expect(readFileSync(join(work, 'terraform.log'), 'utf8')).not.toMatch(/InvalidAction|UnsupportedOperation|is not valid for this web service/)
  }, 300_000)
})
