/**
 * Issue 18 with Terraform's AWS provider: an imported `aws_acm_certificate` (private_key +
 * certificate_body) presented by an `aws_elb` HTTPS listener, in front of two `aws_instance`s that
 * carry no `elb-local:*` tag (they serve what the load balancer sends them). Apply, traffic through
 * both listeners (the HTTPS one presenting the imported certificate), a second plan with no
 * changes, destroy. Skipped, saying why, where terraform or the provider mirror is absent.
 */
import {X509Certificate} from 'node:crypto'
import {readFileSync, rmSync} from 'node:fs'
import {join} from 'node:path'
import {DescribeInstanceHealthCommand} from '@aws-sdk/client-elastic-load-balancing'
import {eventually, startTestEngine, type TestEngine} from '../helpers/engine.js'
import {REPO, type RunResult} from '../helpers/processes.js'
import {getRoot, presentedCertificate} from '../helpers/http-get.js'
import {findTerraform} from '../helpers/provisioning-tools.js'
import {runTerraform, terraformWorkspace, writeSiteCertificate} from '../helpers/terraform.js'

const FIXTURE = join(REPO, 'test', 'e2e', 'fixtures', 'terraform-acm', 'main.tf')

const {version, mirror, skipReason} = findTerraform()
if (skipReason !== undefined) console.warn(`test/e2e/terraform-acm.test.ts skipped: ${skipReason}`)
const maybe = skipReason === undefined ? describe : describe.skip


maybe(`terraform (${version ?? 'absent'}): aws_acm_certificate on an aws_elb HTTPS listener`, () => {
  let api: TestEngine
  let work: string
  const offset = 24_000 + 100 * Math.floor(Math.random() * 200)

  beforeAll(async () => {
    // No security groups in this configuration: EC2-Classic, where none filter (terraform-elb-in-vpc.test.ts uses ACM in a VPC).
    api = await startTestEngine({portOffset: offset, platform: 'ec2-classic'})
    work = terraformWorkspace(FIXTURE, mirror)
    writeSiteCertificate(work)
  })

  afterAll(async () => {
    await api.close()
    rmSync(work, {recursive: true, force: true})
  })

  const terraform = (...args: string[]): Promise<RunResult> => runTerraform(work, api.endpoint, args)

  test('apply, traffic through HTTP and HTTPS (the imported certificate), plan with no changes, destroy', async () => {
    const init = await terraform('init', '-input=false')
    expect({code: init.code, stderr: init.stderr}).toEqual({code: 0, stderr: ''})
    const apply = await terraform('apply', '-auto-approve', '-input=false')
    expect({code: apply.code, stderr: apply.stderr}).toEqual({code: 0, stderr: ''})
    expect(apply.stdout).toContain('Apply complete! Resources: 4 added, 0 changed, 0 destroyed.')

    const plan = await terraform('plan', '-detailed-exitcode', '-input=false')
    expect({code: plan.code, stderr: plan.stderr}).toEqual({code: 0, stderr: ''})
    expect(plan.stdout).toContain('No changes.')

    const [record] = api.engine.store.region(api.region).acmCertificates ?? []
    expect(record).toMatchObject({type: 'IMPORTED', domainName: 'www.example.com', tags: [{key: 'Team', value: 'web'}]})
    await eventually(async () => {
      const states = (await api.elb.send(new DescribeInstanceHealthCommand({LoadBalancerName: 'tf-acm'}))).InstanceStates ?? []
      return states.length === 2 && states.every((state) => state.State === 'InService') ? true : undefined
    }, 30_000, 'both instances InService')
    const address = api.engine.store.region(api.region).loadBalancers.find((lb) => lb.name === 'tf-acm')?.localAddress ?? ''
    const imported = new X509Certificate(readFileSync(join(work, 'cert.pem')))
    expect((await presentedCertificate(address, 443 + offset))?.fingerprint256).toBe(imported.fingerprint256)
    for (const secure of [false, true]) {
      const answer = await getRoot(secure, address, (secure ? 443 : 80) + offset)
      expect(answer.status).toBe(200)
      expect(JSON.parse(answer.body)).toMatchObject({port: secure ? 8443 : 8080, protocol: secure ? 'https' : 'http'})
    }

    const destroy = await terraform('destroy', '-auto-approve', '-input=false')
    expect({code: destroy.code, stderr: destroy.stderr}).toEqual({code: 0, stderr: ''})
    expect(destroy.stdout).toContain('Destroy complete! Resources: 4 destroyed.')
    expect(api.engine.store.region(api.region).acmCertificates).toEqual([])
    expect(api.engine.store.region(api.region).loadBalancers).toEqual([])
  }, 300_000)
})
