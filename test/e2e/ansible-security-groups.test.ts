/**
 * Ansible's amazon.aws ec2_security_group and ec2_security_group_info against the engine's EC2 API
 * (test/e2e/fixtures/ansible/security-groups.yml), in the default VPC: create, an idempotent
 * second run, a rule purged, facts by filter, delete. Skipped, saying why, where ansible-playbook,
 * amazon.aws or a Python with boto3 is missing (.ci/run installs ansible and python3-boto3).
 */
import {mkdtempSync, rmSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {startTestEngine, type TestEngine} from '../helpers/engine.js'
import {REPO, runProcess} from '../helpers/processes.js'
import {ansibleEnv, findAnsible} from '../helpers/provisioning-tools.js'
import {ensureDefaultNetwork} from '../helpers/vpc-records.js'

const PLAYBOOK = join(REPO, 'test', 'e2e', 'fixtures', 'ansible', 'security-groups.yml')

const {version: ansible, python, skipReason} = findAnsible()
if (skipReason !== undefined) console.warn(`test/e2e/ansible-security-groups.test.ts skipped: ${skipReason}`)
const maybe = skipReason === undefined ? describe : describe.skip

maybe(`${ansible ?? 'ansible'} (amazon.aws ec2_security_group) against the engine`, () => {
  let api: TestEngine
  let work: string

  beforeAll(async () => {
    api = await startTestEngine()
    work = mkdtempSync(join(tmpdir(), 'elb-ansible-sg-'))
  })

  afterAll(async () => {
    await api.close()
    rmSync(work, {recursive: true, force: true})
  })

  test('create two groups, run again with no change, purge a rule, list by filter, delete', async () => {
    const vpcId = ensureDefaultNetwork(api.engine.store, api.region).vpc.vpcId
    const result = await runProcess('ansible-playbook', [
      '-e', `endpoint=${api.endpoint}`, '-e', `vpc_id=${vpcId}`, '-e', `ansible_python_interpreter=${python ?? 'python3'}`, PLAYBOOK,
    ], {cwd: work, timeoutMs: 300_000, env: ansibleEnv(work)})
    expect({code: result.code, failed: result.stdout.split('\n').filter((line) => /fatal:|FAILED!/.test(line))}).toEqual({code: 0, failed: []})
    expect(result.stdout).toMatch(/localhost +: ok=9 +changed=4 +unreachable=0 +failed=0/)
    expect(api.engine.store.region(api.region).network?.securityGroups.map((g) => g.groupName)).toEqual(['default'])
  }, 330_000)
})
