/**
 * Ansible's amazon.aws collection against the engine (test/e2e/fixtures/ansible/playbook.yml):
 * ec2_instance launches two stand-in instances, elb_classic_lb creates a Classic load balancer,
 * registers them and waits until they are InService, then deletes it with `wait: true` (its network
 * interface waiter) and the instances are terminated. Skipped, saying why, where ansible-playbook,
 * amazon.aws or a Python with boto3 is missing (.ci/run installs ansible and python3-boto3).
 */
import {mkdtempSync, rmSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {startTestEngine, type TestEngine} from '../helpers/engine.js'
import {REPO, runProcess} from '../helpers/processes.js'
import {ansibleEnv, findAnsible} from '../helpers/provisioning-tools.js'

const PLAYBOOK = join(REPO, 'test', 'e2e', 'fixtures', 'ansible', 'playbook.yml')

const {version: ansible, python, skipReason} = findAnsible()
if (skipReason !== undefined) console.warn(`test/e2e/ansible.test.ts skipped: ${skipReason}`)
const maybe = skipReason === undefined ? describe : describe.skip

maybe(`${ansible ?? 'ansible'} (amazon.aws) against the engine`, () => {
  let api: TestEngine
  let work: string

  beforeAll(async () => {
    api = await startTestEngine({portOffset: 20_000 + 100 * Math.floor(Math.random() * 300)})
    work = mkdtempSync(join(tmpdir(), 'elb-ansible-'))
  })

  afterAll(async () => {
    await api.close()
    rmSync(work, {recursive: true, force: true})
  })

  test('launch instances, create the load balancer, wait for InService, delete with wait: true', async () => {
    const result = await runProcess('ansible-playbook', [
      '-e', `endpoint=${api.endpoint}`, '-e', `ansible_python_interpreter=${python ?? 'python3'}`, PLAYBOOK,
    ], {cwd: work, timeoutMs: 300_000, env: ansibleEnv(work)})
    expect({code: result.code, failed: result.stdout.split('\n').filter((line) => /fatal:|FAILED!/.test(line))}).toEqual({code: 0, failed: []})
    expect(result.stdout).toMatch(/localhost +: ok=8 +changed=6 +unreachable=0 +failed=0/)

    const state = api.engine.store.region(api.region)
    expect(state.loadBalancers).toEqual([])
    expect(state.instances).toHaveLength(2)
    expect(state.instances.map((i) => i.state)).toEqual(['terminated', 'terminated'])
    expect(state.instances.map((i) => i.tags?.find((t) => t.key === 'Name')?.value)).toEqual(['ansible-web', 'ansible-web'])
  }, 330_000)
})
