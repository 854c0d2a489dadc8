/**
 * The tutorial's control-plane steps through our built binaries (child processes, `bin/*`) against
 * a real engine started in-process (port 0, temporary home), comparing exact stdout. Values the
 * engine makes up (DNS name, creation time, certificate id) are read back with a plain SDK client.
 */
import {execFileSync} from 'node:child_process'
import {existsSync, mkdtempSync, readFileSync, rmSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {DescribeLoadBalancersCommand, type LoadBalancerDescription} from '@aws-sdk/client-elastic-load-balancing'
import {GetServerCertificateCommand} from '@aws-sdk/client-iam'
import {startTestEngine, type TestEngine} from '../helpers/engine.js'
import {REPO, runProcess, type RunResult as Run} from '../helpers/processes.js'

const LB = 'MyLoadBalancer'
const A = 'i-4f8cf126'
const B = 'i-0bb7ca62'
const OFFSET = 20_000 + 100 * Math.floor(Math.random() * 300)

let engine: TestEngine
let work: string


function cli(name: string, ...argv: string[]): Promise<Run> {
  // IAM CLI commands take the endpoint as --url (no -U), ELB ones as -U.
  const endpoint = name.startsWith('iam-') ? ['--url', engine.endpoint] : ['-U', engine.endpoint]
  return runProcess(process.execPath, [join(REPO, 'bin', name), ...argv, ...endpoint], {
    cwd: work, env: {ELB_LOCAL_AUTOSTART: '0'}, timeoutMs: 20_000,
  })
}

const ok = (stdout: string): Run => ({stdout, stderr: '', code: 0})

async function describeLb(): Promise<LoadBalancerDescription> {
  const result = await engine.elb.send(new DescribeLoadBalancersCommand({LoadBalancerNames: [LB]}))
  const lb = result.LoadBalancerDescriptions?.[0]
  if (lb === undefined) throw new Error('no load balancer')
  return lb
}

beforeAll(async () => {
  if (!existsSync(join(REPO, 'dist', 'lib', 'bundle', 'main.js'))) {
    execFileSync('npm', ['run', 'build:cli'], {cwd: REPO, stdio: 'ignore'})
  }
  work = mkdtempSync(join(tmpdir(), 'elb-cli-e2e-'))
  execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'key.pem', '-out', 'cert.pem', '-days', '30', '-subj', '/CN=www.example.com'], {
    cwd: work,
    stdio: 'ignore',
  })
  // The seed's 2011 account (EC2-Classic): the expected describe lines below are its; the walkthrough
  // tests (test/e2e/tutorial*.test.ts) run both platforms.
  engine = await startTestEngine({portOffset: OFFSET, platform: 'ec2-classic'})
}, 60_000)

afterAll(async () => {
  await engine.close()
  rmSync(work, {recursive: true, force: true})
})

describe('the tutorial, step by step, through bin/*', () => {
  let arn = ''

  test('iam-servercertupload -v prints the ARN and the certificate id', async () => {
    const run = await cli('iam-servercertupload', '-b', 'cert.pem', '-k', 'key.pem', '-s', 'myCert', '-p', '/production/', '-v')
    const metadata = (await engine.iam.send(new GetServerCertificateCommand({ServerCertificateName: 'myCert'}))).ServerCertificate?.ServerCertificateMetadata
    arn = metadata?.Arn ?? ''
    expect(arn).toMatch(/^arn:aws:iam::\d{12}:server-certificate\/production\/myCert$/)
    expect(run).toEqual(ok(`${arn}\n${metadata?.ServerCertificateId ?? ''}\n`))
    expect(await cli('iam-servercertgetattributes', '-s', 'myCert')).toEqual(ok(`${arn}\n${metadata?.ServerCertificateId ?? ''}\n`))
    expect(await cli('iam-servercertlistbypath')).toEqual(ok(`${arn}\nIsTruncated: false\n`))
  })

  test('elb-create-lb with the HTTP and HTTPS listeners', async () => {
    const run = await cli(
      'elb-create-lb', LB, '--headers',
      '--listener', 'lb-port=80,instance-port=8080,protocol=http,instance-protocol=http',
      '--listener', `lb-port=443,instance-port=443,protocol=https,instance-protocol=https, cert-id=${arn}`,
      '--availability-zones', 'us-east-1a',
    )
    const lb = await describeLb()
    expect(run).toEqual(ok(`DNS_NAME  DNS_NAME\nDNS_NAME  ${lb.DNSName ?? ''}\n`))
  })

  test('SSL negotiation policy: describe types, create, attach, describe', async () => {
    const types = await cli('elb-describe-lb-policy-types', 'SSLNegotiationPolicyType', '--show-long')
    expect(types.code).toBe(0)
    expect(types.stdout).toMatch(/^POLICY_TYPE,SSLNegotiationPolicyType,[^\n]*,"\{name=Protocol-SSLv2,description=,type=Boolean,[^\n]*\}"\n$/)
    expect(types.stdout).toContain('{name=Protocol-TLSv1,description=,type=Boolean,')
    expect(
      await cli(
        'elb-create-lb-policy', LB, '--policy-name', 'MySSLNegotiationPolicy', '--policy-type', 'SSLNegotiationPolicyType',
        '--attribute', 'name=Protocol-TLSv1,value=true', '--attribute', 'name=Protocol-SSLv2,value=false',
        '--attribute', 'name=DHE-RSA-AES256-SHA,value=true',
      ),
    ).toEqual(ok('OK-Creating LoadBalancer Policy\n'))
    expect(await cli('elb-set-lb-policies-of-listener', LB, '--lb-port', '443', '--policy-name', 'MySSLNegotiationPolicy')).toEqual(ok('OK-Setting Policies\n'))
    expect(await cli('elb-describe-lb-policies', LB, '--policy-names', 'MySSLNegotiationPolicy', '--headers')).toEqual(
      ok('POLICY  NAME                    TYPE_NAME\nPOLICY  MySSLNegotiationPolicy  SSLNegotiationPolicyType\n'),
    )
  })

  test('back-end server authentication: public-key policy, auth policy, back-end port', async () => {
    const pem = execFileSync('openssl', ['x509', '-in', 'cert.pem', '-pubkey', '-noout'], {cwd: work}).toString()
    const publicKey = pem.split('\n').filter((line) => line !== '' && !line.startsWith('-----')).join('')
    expect(
      await cli('elb-create-lb-policy', LB, '--policy-name', 'MyPublicKeyPolicy', '--policy-type-name', 'PublicKeyPolicyType', '--attribute', `name=PublicKey,value=${publicKey}`),
    ).toEqual(ok('OK-Creating LoadBalancer Policy\n'))
    expect(
      await cli(
        'elb-create-lb-policy', LB, '--policy-name', 'MyBackendServerAuthenticationPolicy',
        '--policy-type-name', 'BackendServerAuthenticationPolicyType', '--attribute', 'name=PublicKeyPolicyName,value=MyPublicKeyPolicy',
      ),
    ).toEqual(ok('OK-Creating LoadBalancer Policy\n'))
    expect(await cli('elb-set-lb-policies-for-backend', LB, '--instance-port', '443', '--policy-names', 'MyBackendServerAuthenticationPolicy')).toEqual(
      ok('OK-Setting Policies\n'),
    )
    const all = await cli('elb-describe-lb-policies', LB)
    expect(all.stdout).toMatch(/^POLICY {2}MyPublicKeyPolicy +PublicKeyPolicyType$/m)
    expect(all.stdout).toMatch(/^POLICY {2}MyBackendServerAuthenticationPolicy {2}BackendServerAuthenticationPolicyType$/m)
    expect(await cli('elb-describe-lb-policies', LB, '--policy-names', 'MyBackendServerAuthenticationPolicy', '--show-long')).toEqual(
      ok('POLICY,MyBackendServerAuthenticationPolicy,BackendServerAuthenticationPolicyType,"{name=PublicKeyPolicyName,value=MyPublicKeyPolicy}"\n'),
    )
  })

  test('elb-configure-healthcheck --headers', async () => {
    expect(
      await cli('elb-configure-healthcheck', LB, '--headers', '--target', 'HTTP:8080/ping', '--interval', '30', '--timeout', '3', '--unhealthy-threshold', '2', '--healthy-threshold', '2'),
    ).toEqual(
      ok('HEALTH_CHECK  TARGET          INTERVAL  TIMEOUT  HEALTHY_THRESHOLD  UNHEALTHY_THRESHOLD\nHEALTH_CHECK  HTTP:8080/ping  30        3        2                  2\n'),
    )
  })

  test('elb-register-instances-with-lb --headers, then instance health', async () => {
    await engine.runInstances({instanceId: A})
    await engine.runInstances({instanceId: B})
    expect(await cli('elb-register-instances-with-lb', LB, '--headers', '--instances', `${A},${B}`)).toEqual(
      ok(`INSTANCE_ID  INSTANCE_ID\nINSTANCE_ID  ${A}\nINSTANCE_ID  ${B}\n`),
    )
    const health = await cli('elb-describe-instance-health', LB, '--show-long')
    expect(health.code).toBe(0)
    expect(health.stdout.split('\n').map((line) => line.split(',').slice(0, 2).join(','))).toEqual([`INSTANCE_ID,${A}`, `INSTANCE_ID,${B}`, ''])
  })

  test('elb-describe-lbs: table and long views of the finished load balancer', async () => {
    const lb = await describeLb()
    const created = lb.CreatedTime?.toISOString() ?? ''
    const dns = lb.DNSName ?? ''
    expect(await cli('elb-describe-lbs', LB)).toEqual(ok(`LOAD_BALANCER  ${LB}  ${dns}  ${created}  internet-facing\n`))
    const other = lb.Policies?.OtherPolicies ?? []
    expect(other).toEqual(expect.arrayContaining(['MyPublicKeyPolicy', 'MyBackendServerAuthenticationPolicy']))
    const expected = [
      'LOAD_BALANCER', LB, dns, dns, lb.CanonicalHostedZoneNameID ?? '',
      '"{interval=30,target=HTTP:8080/ping,timeout=3,healthy-threshold=2,unhealthy-threshold=2}"',
      'us-east-1a', '(nil)', '(nil)', `"${A}, ${B}"`,
      `"{protocol=HTTP,lb-port=80,instance-protocol=HTTP,instance-port=8080,policies=},{protocol=HTTPS,lb-port=443,instance-protocol=HTTPS,instance-port=443,cert-id=${arn},policies=MySSLNegotiationPolicy}"`,
      '"{instance-port=443,policies=MyBackendServerAuthenticationPolicy}"',
      `"${other.join(', ')}"`,
      '"{owner-alias=amazon-elb,group-name=amazon-elb-sg}"', '(nil)', created, 'internet-facing',
    ]
    expect(await cli('elb-describe-lbs', LB, '--show-long')).toEqual(ok(`${expected.join(',')}\n`))
  })

  test('a service error: Malformed input with the engine text, usage block, exit 1', async () => {
    expect(await cli('elb-describe-lbs', 'nosuch-lb')).toEqual({
      stdout: '',
      stderr:
        'elb-describe-lbs:  Malformed input-Cannot find Load Balancer nosuch-lb\nUsage:\nelb-describe-lbs\n' +
        '       [LoadBalancerNames [LoadBalancerNames ...] ] [--marker  value ]\n        [General Options]\n' +
        'For more information and a full list of options, run "elb-describe-lbs --help"\n',
      code: 1,
    })
  })

  test('elb-delete-lb --force, then nothing is left', async () => {
    expect(await cli('elb-delete-lb', LB, '--force')).toEqual(ok('OK-Deleting LoadBalancer\n'))
    expect(await cli('elb-describe-lbs')).toEqual(ok(''))
    expect(await cli('iam-servercertdel', '-s', 'myCert')).toEqual(ok(''))
  })
})

test('the certificate the CLI uploaded is the file openssl wrote', () => {
  expect(readFileSync(join(work, 'cert.pem'), 'utf8')).toContain('BEGIN CERTIFICATE')
})
