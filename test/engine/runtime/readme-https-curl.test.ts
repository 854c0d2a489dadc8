/**
 * Issue 21: the README's curl line for the tutorial's HTTPS listener works, and the plain
 * `curl -k` it warns about fails as it says. The command is read from README.md itself, so the
 * README and this test cannot drift apart.
 */
import {
  CreateLoadBalancerCommand, CreateLoadBalancerPolicyCommand,
  RegisterInstancesWithLoadBalancerCommand, SetLoadBalancerPoliciesOfListenerCommand,
} from '@aws-sdk/client-elastic-load-balancing'
import {UploadServerCertificateCommand} from '@aws-sdk/client-iam'
import {readFileSync} from 'node:fs'
import {join} from 'node:path'
import {afterAll, beforeAll, expect, it} from '@jest/globals'
import {eventually, startTestEngine, type TestEngine} from '../../helpers/engine.js'
import {REPO, runProcess} from '../../helpers/processes.js'
import {cleanupCerts, makeKeyPair} from '../dataplane/fixtures.js'

const LB = 'MyLoadBalancer'
let t: TestEngine
let address = ''

/** The README's `curl -k … https://127.1.0.1/` line, as its argument words. */
function readmeHttpsCurl(): string[] {
  const line = readFileSync(join(REPO, 'README.md'), 'utf8').split('\n').find((text) => /^curl -k .*https:\/\//.test(text))
  if (line === undefined) throw new Error('README.md shows no `curl -k … https://` line')
  return [...line.matchAll(/'([^']*)'|(\S+)/g)].map((match) => match[1] ?? match[2] ?? '').slice(1)
}

beforeAll(async () => {
  t = await startTestEngine()
  const pair = makeKeyPair('www.example.com')
  const uploaded = await t.iam.send(new UploadServerCertificateCommand({ServerCertificateName: 'testCert', CertificateBody: pair.cert, PrivateKey: pair.key}))
  await t.elb.send(new CreateLoadBalancerCommand({
    LoadBalancerName: LB, AvailabilityZones: ['us-east-1a'],
    Listeners: [{Protocol: 'HTTPS', LoadBalancerPort: 443, InstanceProtocol: 'HTTP', InstancePort: 8080, SSLCertificateId: uploaded.ServerCertificateMetadata?.Arn}],
  }))
  // The guide's MySSLNegotiationPolicy, as the tutorial creates it.
  await t.elb.send(new CreateLoadBalancerPolicyCommand({
    LoadBalancerName: LB, PolicyName: 'MySSLNegotiationPolicy', PolicyTypeName: 'SSLNegotiationPolicyType',
    PolicyAttributes: [
      {AttributeName: 'Protocol-TLSv1', AttributeValue: 'true'}, {AttributeName: 'Protocol-SSLv2', AttributeValue: 'false'},
      {AttributeName: 'DHE-RSA-AES256-SHA', AttributeValue: 'true'},
    ],
  }))
  await t.elb.send(new SetLoadBalancerPoliciesOfListenerCommand({LoadBalancerName: LB, LoadBalancerPort: 443, PolicyNames: ['MySSLNegotiationPolicy']}))
  const [instance] = await t.runInstances({serve: [{protocol: 'http', port: 8080}]})
  await t.elb.send(new RegisterInstancesWithLoadBalancerCommand({LoadBalancerName: LB, Instances: [{InstanceId: instance?.instanceId}]}))
  await eventually(() => (t.engine.health.isRoutable('us-east-1', LB, instance?.instanceId ?? '') ? true : undefined), 10_000, 'InService')
  address = (await t.admin.status()).loadBalancers.find((lb) => lb.name === LB)?.address ?? ''
}, 60_000)

afterAll(async () => {
  await t.close()
  cleanupCerts()
})

it('plain `curl -k` is refused as the README says; the README\'s flags reach the instance', async () => {
  const plain = await runProcess('curl', ['-sS', '-k', '--max-time', '5', `https://${address}/`])
  expect(plain.code).toBe(35)
  expect(plain.stderr).toMatch(/^curl: \(35\) .*legacy sigalg disallowed or unsupported/)

  const words = readmeHttpsCurl()
  expect(words.at(-1)).toBe('https://127.1.0.1/')
  const readme = await runProcess('curl', ['-sS', '--max-time', '5', ...words.slice(0, -1), `https://${address}/`])
  expect({code: readme.code, stderr: readme.stderr}).toEqual({code: 0, stderr: ''})
  expect(readme.stdout).toContain('"instanceId"')
}, 30_000)
