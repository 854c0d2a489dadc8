/**
 * Ansible's amazon.aws collection building a VPC on the engine (issue 18,
 * test/e2e/fixtures/ansible-vpc/playbook.yml): ec2_vpc_net (twice: the second run changes
 * nothing), ec2_vpc_subnet, ec2_instance with no subnet (the default VPC's default subnet: no
 * workaround; it used to crash in get_default_subnet) and one in the new subnet, then everything
 * removed. Skipped, saying why, where ansible-playbook, amazon.aws or a Python with boto3 is missing.
 */
import {mkdtempSync, rmSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {startTestEngine, type TestEngine} from '../helpers/engine.js'
import {REPO, runProcess} from '../helpers/processes.js'
import {ansibleEnv, findAnsible} from '../helpers/provisioning-tools.js'

const PLAYBOOK = join(REPO, 'test', 'e2e', 'fixtures', 'ansible-vpc', 'playbook.yml')

const {version: ansible, python, skipReason} = findAnsible()
if (skipReason !== undefined) console.warn(`test/e2e/ansible-vpc.test.ts skipped: ${skipReason}`)
const maybe = skipReason === undefined ? describe : describe.skip

maybe(`${ansible ?? 'ansible'} (amazon.aws) builds a VPC on the engine`, () => {
  let api: TestEngine
  let work: string

  beforeAll(async () => {
    api = await startTestEngine()
    work = mkdtempSync(join(tmpdir(), 'elb-ansible-vpc-'))
  })

  afterAll(async () => {
    await api.close()
    rmSync(work, {recursive: true, force: true})
  })

  test('ec2_vpc_net, ec2_vpc_subnet, ec2_instance with and without a subnet, then all removed', async () => {
    const result = await runProcess('ansible-playbook', [
      '-e', `endpoint=${api.endpoint}`, '-e', `ansible_python_interpreter=${python ?? 'python3'}`, PLAYBOOK,
    ], {cwd: work, timeoutMs: 300_000, env: ansibleEnv(work)})
    expect({code: result.code, failed: result.stdout.split('\n').filter((line) => /fatal:|FAILED!/.test(line))}).toEqual({code: 0, failed: []})
    expect(result.stdout).toMatch(/localhost +: ok=10 +changed=7 +unreachable=0 +failed=0/)

    const state = api.engine.store.region(api.region)
    expect(state.network?.vpcs.map((vpc) => vpc.isDefault)).toEqual([true])
    expect(state.instances.map((i) => [i.tags?.find((t) => t.key === 'Name')?.value, i.state])).toEqual([
      ['ansible-default', 'terminated'], ['ansible-subnet', 'terminated'],
    ])
    expect(state.instances[0]?.subnetIp).toMatch(/^172\.31\./)
    expect(state.instances[1]?.subnetIp).toMatch(/^10\.8\.1\./)
  }, 330_000)
})
