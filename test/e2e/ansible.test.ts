/**
 * Ansible's amazon.aws collection against the engine (test/e2e/fixtures/ansible/playbook.yml):
 * ec2_instance launches two stand-in instances, elb_classic_lb creates a Classic load balancer,
 * registers them and waits until they are InService, then deletes it with `wait: true` (its network
 * interface waiter) and the instances are terminated. Skipped, saying why, where ansible-playbook,
 * amazon.aws or a Python with boto3 is missing (.ci/run installs ansible and python3-boto3).
 */
import {execFileSync} from 'node:child_process'
import {mkdtempSync, rmSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {startTestEngine, type TestEngine} from '../helpers/engine.js'
import {REPO, runProcess} from '../helpers/processes.js'

const PLAYBOOK = join(REPO, 'test', 'e2e', 'fixtures', 'ansible', 'playbook.yml')

function output(file: string, args: string[]): string | undefined {
  try {
    return execFileSync(file, args, {encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore']})
  } catch {
    return undefined
  }
}

/** A Python that can import boto3 and botocore (what amazon.aws needs): ANSIBLE_PYTHON, python3, /usr/bin/python3. */
function pythonWithBoto3(): string | undefined {
  for (const candidate of [process.env.ANSIBLE_PYTHON, 'python3', '/usr/bin/python3']) {
    if (candidate === undefined || candidate === '') continue
    const executable = output(candidate, ['-c', 'import sys, boto3, botocore; print(sys.executable)'])?.trim()
    if (executable !== undefined && executable !== '') return executable
  }
  return undefined
}

const ansible = output('ansible-playbook', ['--version'])?.split('\n')[0]
const collection = ansible === undefined ? undefined : output('ansible-galaxy', ['collection', 'list', 'amazon.aws'])
const python = pythonWithBoto3()
const skipReason = ansible === undefined ? 'ansible-playbook is not on PATH'
  : collection?.includes('amazon.aws') !== true ? 'the amazon.aws collection is not installed'
    : python === undefined ? 'no Python with boto3 and botocore (apt-get install python3-boto3)' : undefined
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
    ], {
      cwd: work,
      timeoutMs: 300_000,
      env: {
        ANSIBLE_NOCOLOR: '1',
        ANSIBLE_HOME: join(work, 'ansible'),
        ANSIBLE_LOCAL_TEMP: join(work, 'tmp'),
        ANSIBLE_RETRY_FILES_ENABLED: 'false',
        AWS_CONFIG_FILE: '/dev/null',
        AWS_SHARED_CREDENTIALS_FILE: '/dev/null',
      },
    })
    expect({code: result.code, failed: result.stdout.split('\n').filter((line) => /fatal:|FAILED!/.test(line))}).toEqual({code: 0, failed: []})
    expect(result.stdout).toMatch(/localhost +: ok=8 +changed=6 +unreachable=0 +failed=0/)

    const state = api.engine.store.region(api.region)
    expect(state.loadBalancers).toEqual([])
    expect(state.instances).toHaveLength(2)
    expect(state.instances.map((i) => i.state)).toEqual(['terminated', 'terminated'])
    expect(state.instances.map((i) => i.tags?.find((t) => t.key === 'Name')?.value)).toEqual(['ansible-web', 'ansible-web'])
  }, 330_000)
})
