/**
 * `npm run tutorial`'s runner (scripts/tutorial.sh) end to end, as a newcomer runs it: it must pass
 * every step, print each command with its real output, and leave nothing behind (engine stopped,
 * temporary state removed) — in a default-VPC account and in an EC2-Classic one. A random port offset and instance and load-balancer networks keep it
 * off other engines.
 */
import {join} from 'node:path'
import {REPO, ensureBuilt, runProcess, type RunResult} from '../helpers/processes.js'
import {expectNothingLeftBehind} from '../helpers/tutorial-output.js'

function runTutorial(env: NodeJS.ProcessEnv, timeoutMs: number): Promise<RunResult> {
  // SIGTERM on a timeout: the runner's trap stops its engine and removes its state.
  return runProcess('bash', [join(REPO, 'scripts', 'tutorial.sh')], {env, timeoutMs, killSignal: 'SIGTERM'})
}

/** The default account (a default VPC), then 2011's EC2-Classic world (`elb-local start --platform ec2-classic`). */
test.each([['vpc', ''], ['ec2-classic', 'ec2-classic']])('scripts/tutorial.sh (%s) passes every step, shows the real outputs and cleans up', async (_name, platform) => {
  ensureBuilt()
  const offset = 20_000 + 100 * Math.floor(Math.random() * 300)
  const result = await runTutorial({
    NO_COLOR: '1',
    ...(platform === '' ? {} : {ELB_LOCAL_PLATFORM: platform}),
    ELB_LOCAL_PORT_OFFSET: String(offset),
    ELB_LOCAL_INSTANCE_NETWORK: `127.0.${2 + Math.floor(Math.random() * 250)}`,
    ELB_LOCAL_LB_NETWORK: `127.${100 + Math.floor(Math.random() * 150)}`,
  }, 150_000)
  const output = result.stdout
  expect({code: result.code, stderr: result.stderr, failed: output.split('\n').filter((line) => line.startsWith('✗'))})
    .toEqual({code: 0, stderr: '', failed: []})
  expect(output).toMatch(/\nAll \d+ steps passed\.\n$/)
  expect(output).toContain(`the engine runs with --port-offset ${offset}:`)
  expect(output).toContain(`PROMPT> elb-local start --port-offset ${offset}${platform === '' ? '' : ` --platform ${platform}`}\n`)
  expect(output).toContain(`(80 → ${80 + offset}, 443 → ${443 + offset})`)

  // Each of the guide's commands, printed as typed, followed by its real output.
  expect(output).toMatch(/PROMPT> iam-servercertupload -b cert\.pem -k key\.pem -s myCert -v\narn:aws:iam::\d{12}:server-certificate\/myCert\nASCA[A-Z0-9]{17}\n/)
  expect(output).toMatch(/PROMPT> elb-create-lb MyLoadBalancer --headers .*\nDNS_NAME {2}DNS_NAME\nDNS_NAME {2}MyLoadBalancer-\d+\.us-east-1\.elb\.amazonaws\.com\n/)
  expect(output).toContain([
    'PROMPT> elb-set-lb-policies-for-backend MyLoadBalancer --instance-port 443 --policy-names MyBackendAuthenticationPolicy',
    'elb-set-lb-policies-for-backend:  Malformed input-There is no policy with name MyBackendAuthenticationPolicy for',
    ' load balancer MyLoadBalancer',
  ].join('\n'))
  expect(output).toContain([
    'PROMPT> elb-describe-instance-health MyLoadBalancer --headers',
    'INSTANCE_ID  INSTANCE_ID  STATE      DESCRIPTION  REASON-CODE',
    'INSTANCE_ID  i-4f8cf126   InService  N/A          N/A',
    'INSTANCE_ID  i-0bb7ca62   InService  N/A          N/A',
  ].join('\n'))
  expect(output).toContain('  "instanceId": "i-4f8cf126",')
  expect(output).toContain('  "instanceId": "i-0bb7ca62",')

  // Nothing left behind.
  await expectNothingLeftBehind(output)
}, 180_000)
