/**
 * Terraform's AWS provider against the engine, as a user would point it at a local endpoint:
 * custom `endpoints { elb, iam, ec2 }`, the skip_* settings, dummy credentials, and the provider
 * from a filesystem mirror (no network). test/e2e/fixtures/terraform/main.tf launches two
 * `aws_instance`s, uploads an `aws_iam_server_certificate`, creates an `aws_elb` with an HTTP and an
 * HTTPS listener, an SSL negotiation policy on 443 and back-end server authentication; the test
 * applies it, plans again (no changes), sends traffic through both listeners and destroys it all.
 * Skipped, saying why, where terraform or the provider mirror is absent.
 */
import {execFileSync} from 'node:child_process'
import {X509Certificate} from 'node:crypto'
import {copyFileSync, mkdirSync, readFileSync, rmSync} from 'node:fs'
import {join} from 'node:path'
import {DescribeInstanceHealthCommand, DescribeLoadBalancersCommand} from '@aws-sdk/client-elastic-load-balancing'
import {startTestEngine, type TestEngine} from '../helpers/engine.js'
import {REPO, type RunResult} from '../helpers/processes.js'
import {getRoot} from '../helpers/http-get.js'
import {findTerraform} from '../helpers/provisioning-tools.js'
import {runTerraform, terraformWorkspace} from '../helpers/terraform.js'

const FIXTURE = join(REPO, 'test', 'e2e', 'fixtures', 'terraform', 'main.tf')
const INSTANCES = ['i-4f8cf126', 'i-0bb7ca62']

const {version, mirror, skipReason} = findTerraform()
if (skipReason !== undefined) console.warn(`test/e2e/terraform.test.ts skipped: ${skipReason}`)
const maybe = skipReason === undefined ? describe : describe.skip

function openssl(args: string[], cwd: string): string {
  return execFileSync('openssl', args, {cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore']})
}

maybe(`terraform (${version ?? 'absent'}) with the AWS provider against the engine`, () => {
  let api: TestEngine
  let work: string
  const offset = 20_000 + 100 * Math.floor(Math.random() * 300)

  beforeAll(async () => {
    // The fixture is a 2011-style configuration (no security groups): on a default-VPC account the
    // instances' default group would keep ELB's default_elb_ group out, as on AWS; terraform-elb-in-vpc.test.ts is the VPC one.
    api = await startTestEngine({portOffset: offset, platform: 'ec2-classic'})
    work = terraformWorkspace(FIXTURE, mirror)
    openssl(['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-sha256', '-days', '30', '-subj', '/CN=www.example.com', '-keyout', 'key.pem', '-out', 'cert.pem'], work)
    // One back-end certificate on both instances (they take ELB_LOCAL_HOME/instances/ID/{cert,key}.pem), its key pinned by the policy.
    openssl(['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-sha256', '-days', '30', '-subj', '/CN=backend', '-keyout', 'backend-key.pem', '-out', 'backend-cert.pem'], work)
    for (const id of INSTANCES) {
      mkdirSync(join(api.home, 'instances', id), {recursive: true})
      copyFileSync(join(work, 'backend-cert.pem'), join(api.home, 'instances', id, 'cert.pem'))
      copyFileSync(join(work, 'backend-key.pem'), join(api.home, 'instances', id, 'key.pem'))
    }
  })

  afterAll(async () => {
    await api.close()
    rmSync(work, {recursive: true, force: true})
  })

  function terraform(...args: string[]): Promise<RunResult> {
    const publicKey = new X509Certificate(readFileSync(join(work, 'backend-cert.pem'))).publicKey.export({type: 'spki', format: 'der'}).toString('base64')
    return runTerraform(work, api.endpoint, args, {public_key: publicKey})
  }

  test('init, apply, plan with no changes, traffic through both listeners, destroy', async () => {
    const init = await terraform('init', '-input=false')
    expect({code: init.code, stderr: init.stderr}).toEqual({code: 0, stderr: ''})

    const apply = await terraform('apply', '-auto-approve', '-input=false')
    expect({code: apply.code, stderr: apply.stderr}).toEqual({code: 0, stderr: ''})
    expect(apply.stdout).toContain('Apply complete! Resources: 9 added, 0 changed, 0 destroyed.')

    const plan = await terraform('plan', '-detailed-exitcode', '-input=false')
    expect({code: plan.code, stderr: plan.stderr}).toEqual({code: 0, stderr: ''})
    expect(plan.stdout).toContain('No changes.')

    const [lb] = (await api.elb.send(new DescribeLoadBalancersCommand({LoadBalancerNames: ['tf-web']}))).LoadBalancerDescriptions ?? []
    expect(lb?.Instances?.map((i) => i.InstanceId).sort()).toEqual([...INSTANCES].sort())
    expect(lb?.ListenerDescriptions?.find((l) => l.Listener?.LoadBalancerPort === 443)?.PolicyNames).toEqual(['tf-tls12'])
    expect(lb?.BackendServerDescriptions).toEqual([{InstancePort: 443, PolicyNames: ['tf-backend-auth']}])

    // Traffic once both instances are InService (bounded wait on the health checker's answer).
    const deadline = Date.now() + 30_000
    for (;;) {
      const states = (await api.elb.send(new DescribeInstanceHealthCommand({LoadBalancerName: 'tf-web'}))).InstanceStates ?? []
      if (states.length === 2 && states.every((s) => s.State === 'InService')) break
      if (Date.now() > deadline) throw new Error(`instances not InService: ${JSON.stringify(states)}`)
      await new Promise((resolve) => setTimeout(resolve, 100))
    }
    const address = api.engine.store.region(api.region).loadBalancers.find((l) => l.name === 'tf-web')?.localAddress ?? ''
    for (const secure of [false, true]) {
      const served = new Set<string>()
      for (let i = 0; i < 6; i++) {
        const answer = await getRoot(secure, address, (secure ? 443 : 80) + offset)
        expect(answer.status).toBe(200)
        const body = JSON.parse(answer.body) as {instanceId: string; protocol: string}
        expect(body.protocol).toBe(secure ? 'https' : 'http')
        served.add(body.instanceId)
      }
      expect([...served].sort()).toEqual([...INSTANCES].sort())
    }

    const destroy = await terraform('destroy', '-auto-approve', '-input=false')
    expect({code: destroy.code, stderr: destroy.stderr}).toEqual({code: 0, stderr: ''})
    expect(destroy.stdout).toContain('Destroy complete! Resources: 9 destroyed.')
    expect(api.engine.store.region(api.region).loadBalancers).toEqual([])
    expect(api.engine.store.region(api.region).instances.map((i) => i.state)).toEqual(['terminated', 'terminated'])
    expect(api.engine.store.state.iam.serverCertificates).toEqual([])
  }, 300_000)
})
