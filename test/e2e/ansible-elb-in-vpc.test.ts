/**
 * Issue 18 with Ansible's amazon.aws collection (test/e2e/fixtures/ansible-elb-in-vpc/playbook.yml):
 * a VPC with a gateway, two subnets and a route table, two security groups (the instances admit
 * only the load balancer's group), an instance in each subnet, and elb_classic_lb by subnets and
 * groups with `wait: true` — both instances InService, which needs the groups to admit the health
 * checks — then everything deleted. Skipped, saying why, where ansible-playbook, amazon.aws or a
 * Python with boto3 is missing.
 */
import {mkdtempSync, rmSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {startTestEngine, type TestEngine} from '../helpers/engine.js'
import {REPO, runProcess} from '../helpers/processes.js'
import {ansibleEnv, findAnsible} from '../helpers/provisioning-tools.js'

const PLAYBOOK = join(REPO, 'test', 'e2e', 'fixtures', 'ansible-elb-in-vpc', 'playbook.yml')

const {version: ansible, python, skipReason} = findAnsible()
if (skipReason !== undefined) console.warn(`test/e2e/ansible-elb-in-vpc.test.ts skipped: ${skipReason}`)
const maybe = skipReason === undefined ? describe : describe.skip

maybe(`${ansible ?? 'ansible'} (amazon.aws): a Classic ELB in a VPC with subnets and security groups`, () => {
  let api: TestEngine
  let work: string

  beforeAll(async () => {
    api = await startTestEngine()
    work = mkdtempSync(join(tmpdir(), 'elb-ansible-elb-vpc-'))
  })

  afterAll(async () => {
    await api.close()
    rmSync(work, {recursive: true, force: true})
  })

  test('ec2_vpc_net, subnets, route table, groups, instances, elb_classic_lb with wait, then all deleted', async () => {
    const result = await runProcess('ansible-playbook', [
      '-e', `endpoint=${api.endpoint}`, '-e', `ansible_python_interpreter=${python ?? 'python3'}`, PLAYBOOK,
    ], {cwd: work, timeoutMs: 400_000, env: ansibleEnv(work)})
    expect({code: result.code, failed: result.stdout.split('\n').filter((line) => /fatal:|FAILED!/.test(line))}).toEqual({code: 0, failed: []})
    expect(result.stdout).toMatch(/localhost +: ok=\d+ +changed=\d+ +unreachable=0 +failed=0/)

    const state = api.engine.store.region(api.region)
    expect(state.loadBalancers).toEqual([])
    expect(state.network?.vpcs.map((vpc) => vpc.cidrBlock)).toEqual(['172.31.0.0/16'])
    expect(state.network?.securityGroups.map((group) => group.groupName)).not.toContain('web-elb')
    expect(state.instances.map((instance) => instance.state)).toEqual(['terminated', 'terminated'])
    expect(state.instances.map((instance) => instance.subnetIp?.slice(0, 8)).sort()).toEqual(['10.30.1.', '10.30.2.'])
  }, 430_000)
})
