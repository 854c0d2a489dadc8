/**
 * Issue 18's Terraform configuration, applied as it would be to AWS: a VPC with an internet gateway,
 * two subnets with a route table, two security groups (the instances admit only the load
 * balancer's group), two instances in the subnets with no `elb-local:*` tag, an imported ACM
 * certificate, and an `aws_elb` placed by subnets and groups with HTTP and HTTPS listeners. Apply,
 * traffic through both listeners, a second plan with no changes, destroy with no warnings.
 * Skipped, saying why, where terraform or the provider mirror is absent.
 */
import {X509Certificate} from 'node:crypto'
import {readFileSync, rmSync} from 'node:fs'
import {join} from 'node:path'
import {DescribeInstanceHealthCommand, DescribeLoadBalancersCommand} from '@aws-sdk/client-elastic-load-balancing'
import {eventually, startTestEngine, type TestEngine} from '../helpers/engine.js'
import {getRoot, presentedCertificate} from '../helpers/http-get.js'
import {REPO, type RunResult} from '../helpers/processes.js'
import {findTerraform} from '../helpers/provisioning-tools.js'
import {runTerraform, terraformWorkspace, writeSiteCertificate} from '../helpers/terraform.js'

const FIXTURE = join(REPO, 'test', 'e2e', 'fixtures', 'terraform-elb-in-vpc', 'main.tf')

const {version, mirror, skipReason} = findTerraform()
if (skipReason !== undefined) console.warn(`test/e2e/terraform-elb-in-vpc.test.ts skipped: ${skipReason}`)
const maybe = skipReason === undefined ? describe : describe.skip


maybe(`terraform (${version ?? 'absent'}): a Classic ELB in a VPC with subnets, security groups and an ACM certificate`, () => {
  let api: TestEngine
  let work: string
  const offset = 24_000 + 100 * Math.floor(Math.random() * 200)

  beforeAll(async () => {
    api = await startTestEngine({portOffset: offset})
    work = terraformWorkspace(FIXTURE, mirror)
    writeSiteCertificate(work)
  })

  afterAll(async () => {
    await api.close()
    rmSync(work, {recursive: true, force: true})
  })

  const terraform = (...args: string[]): Promise<RunResult> => runTerraform(work, api.endpoint, args)

  test('apply, traffic through HTTP and HTTPS, plan with no changes, destroy without warnings', async () => {
    const init = await terraform('init', '-input=false')
    expect({code: init.code, stderr: init.stderr}).toEqual({code: 0, stderr: ''})
    const apply = await terraform('apply', '-auto-approve', '-input=false')
    expect({code: apply.code, stderr: apply.stderr}).toEqual({code: 0, stderr: ''})
    expect(apply.stdout).toContain('Apply complete! Resources: 13 added, 0 changed, 0 destroyed.')
    expect(apply.stdout).not.toContain('Warning')

    const plan = await terraform('plan', '-detailed-exitcode', '-input=false')
    expect({code: plan.code, stderr: plan.stderr}).toEqual({code: 0, stderr: ''})
    expect(plan.stdout).toContain('No changes.')

    const [lb] = (await api.elb.send(new DescribeLoadBalancersCommand({LoadBalancerNames: ['tf-vpc-web']}))).LoadBalancerDescriptions ?? []
    const vpc = api.engine.store.region(api.region).network?.vpcs.find((record) => record.cidrBlock === '10.20.0.0/16')
    expect(lb?.VPCId).toBe(vpc?.vpcId)
    expect(lb?.Subnets).toHaveLength(2)
    expect([...(lb?.AvailabilityZones ?? [])].sort()).toEqual(['us-east-1a', 'us-east-1b'])
    expect(lb?.SecurityGroups).toHaveLength(1)
    expect(lb?.SourceSecurityGroup?.GroupName).toBe('web-elb')

    // The instances admit only the load balancer's group: health checks and traffic come from it.
    await eventually(async () => {
      const states = (await api.elb.send(new DescribeInstanceHealthCommand({LoadBalancerName: 'tf-vpc-web'}))).InstanceStates ?? []
      return states.length === 2 && states.every((state) => state.State === 'InService') ? true : undefined
    }, 60_000, 'both instances InService')
    const address = api.engine.store.region(api.region).loadBalancers.find((record) => record.name === 'tf-vpc-web')?.localAddress ?? ''
    const imported = new X509Certificate(readFileSync(join(work, 'cert.pem')))
    expect((await presentedCertificate(address, 443 + offset))?.fingerprint256).toBe(imported.fingerprint256)
    for (const secure of [false, true]) {
      const answer = await getRoot(secure, address, (secure ? 443 : 80) + offset)
      expect(answer.status).toBe(200)
      expect(JSON.parse(answer.body)).toMatchObject({port: secure ? 8443 : 8080, protocol: secure ? 'https' : 'http'})
    }

    const destroy = await terraform('destroy', '-auto-approve', '-input=false')
    expect({code: destroy.code, stderr: destroy.stderr}).toEqual({code: 0, stderr: ''})
    expect(destroy.stdout).toContain('Destroy complete! Resources: 13 destroyed.')
    // Terraform's ENI clean-up after aws_elb (DescribeNetworkInterfaces by attachment.instance-owner-id) finds what it expects.
    expect(destroy.stdout).not.toContain('Warning')
    const region = api.engine.store.region(api.region)
    expect(region.loadBalancers).toEqual([])
    expect(region.acmCertificates).toEqual([])
    expect(region.network?.vpcs.map((record) => record.cidrBlock)).toEqual(['172.31.0.0/16'])
  }, 420_000)
})
