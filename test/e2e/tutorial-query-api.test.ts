/**
 * `npm run tutorial:query-api` (scripts/tutorial-query-api.sh) end to end: the seed's "Using Query
 * API" steps as SigV4-signed Query requests with the seed's parameters (Version 2011-11-15, the
 * policy with only Protocol-TLSv1, Target=http:8080/ping, the two seed instances launched through the
 * EC2 API), real traffic through both listeners, every step passing and nothing left behind.
 */
import {join} from 'node:path'
import {REPO, ensureBuilt, runProcess} from '../helpers/processes.js'
import {expectNothingLeftBehind} from '../helpers/tutorial-output.js'

/** The default account (a default VPC), then 2011's EC2-Classic world (`elb-local start --platform ec2-classic`). */
test.each([['vpc', ''], ['ec2-classic', 'ec2-classic']])('scripts/tutorial-query-api.sh (%s) passes every step with the seed\'s parameters and cleans up', async (_name, platform) => {
  ensureBuilt()
  const offset = 20_000 + 100 * Math.floor(Math.random() * 300)
  const result = await runProcess('bash', [join(REPO, 'scripts', 'tutorial-query-api.sh')], {
    env: {
      NO_COLOR: '1',
      ...(platform === '' ? {} : {ELB_LOCAL_PLATFORM: platform}),
      ELB_LOCAL_PORT_OFFSET: String(offset),
      ELB_LOCAL_INSTANCE_NETWORK: `127.0.${2 + Math.floor(Math.random() * 250)}`,
      ELB_LOCAL_LB_NETWORK: `127.${100 + Math.floor(Math.random() * 150)}`,
    },
    timeoutMs: 150_000,
    killSignal: 'SIGTERM',
  })
  const output = result.stdout
  expect({code: result.code, stderr: result.stderr, failed: output.split('\n').filter((line) => line.startsWith('✗'))})
    .toEqual({code: 0, stderr: '', failed: []})
  expect(output).toMatch(/\nAll \d+ steps passed\.\n$/)

  // The seed's parameters, printed as it lists them, and the XML answers in 2011-11-15's namespace.
  expect(output).toContain([
    'Call CreateLoadBalancerPolicy (Version 2011-11-15) with the following parameters:',
    '    • PolicyName = MySSLNegotiationPolicy',
    '    • PolicyTypeName = SSLNegotiationPolicyType',
    '    • PolicyAttributes.member.1.AttributeName = Protocol-TLSv1',
    '    • PolicyAttributes.member.1.AttributeValue = true',
    '    • LoadBalancerName = MyLoadBalancer',
    '→ HTTP 200',
    '<CreateLoadBalancerPolicyResponse xmlns="http://elasticloadbalancing.amazonaws.com/doc/2011-11-15/">',
  ].join('\n'))
  expect(output).toContain('    • HealthCheck.Target = http:8080/ping\n')
  expect(output).toContain('    • Instances.member.1.InstanceId = i-4f8cf126\n    • Instances.member.2.InstanceId = i-0bb7ca62\n')
  expect(output).toMatch(/• ServerCertificateName = testCert\n/)
  expect(output).toContain('  "instanceId": "i-4f8cf126",')
  expect(output).toContain('  "instanceId": "i-0bb7ca62",')

  await expectNothingLeftBehind(output)
}, 180_000)
