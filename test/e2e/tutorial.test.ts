/**
 * The seed walkthrough ("Creating a Load Balancer With SSL Cipher Settings and Back-end Server
 * Authentication", command-line section) through the built binaries (`bin/*`, child processes)
 * against an engine started for this file (free port, temporary home, small time scale, a port
 * offset so no root is needed), then real traffic: both listeners reach both instances, the custom
 * negotiation policy decides which TLS clients get in, back-end authentication refuses an instance
 * whose key does not match, and the health check takes an instance out of service.
 *
 * Tests run in order and share the engine, as the guide's steps share one load balancer.
 */
import {execFile} from 'node:child_process'
import {mkdtempSync, readFileSync, rmSync} from 'node:fs'
import {createServer as createHttpServer, request as httpRequest, type Server as HttpServer} from 'node:http'
import {createServer as createHttpsServer, request as httpsRequest, type Server as HttpsServer} from 'node:https'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {connect as tlsConnect, type ConnectionOptions} from 'node:tls'
import {X509Certificate} from 'node:crypto'
import {promisify} from 'node:util'
import {DescribeLoadBalancersCommand, DescribeInstanceHealthCommand} from '@aws-sdk/client-elastic-load-balancing'
import {GetServerCertificateCommand} from '@aws-sdk/client-iam'
import {eventually, startTestEngine, type TestEngine} from '../helpers/engine.js'
import {REPO, ensureBuilt, runNode, type RunResult} from '../helpers/processes.js'

const execFileAsync = promisify(execFile)

const LB = 'MyLoadBalancer'
const A = 'i-4f8cf126'
const B = 'i-0bb7ca62'
/** A third instance that runs the test's own servers and presents a certificate nobody pinned. */
const C = 'i-0badc0de'
const FAILED_CHECKS = 'Instance has failed at least the UnhealthyThreshold number of health checks consecutively.'
/** What MySSLNegotiationPolicy allows: TLSv1 with one cipher (OpenSSL 3 needs @SECLEVEL=0 for TLSv1). */
const TLS1_CLIENT: ConnectionOptions = {minVersion: 'TLSv1', maxVersion: 'TLSv1', ciphers: 'DHE-RSA-AES256-SHA:@SECLEVEL=0'}

// A port offset per run keeps parallel engines on this machine off each other's 80/443.
const OFFSET = 20_000 + 100 * Math.floor(Math.random() * 300)
const P80 = 80 + OFFSET
const P443 = 443 + OFFSET

let t: TestEngine
let work: string
let env: NodeJS.ProcessEnv
let lbAddress: string
let dnsName: string
let arn: string
let ipA: string
let ipB: string
/** Set once the engine and the work directory exist (beforeAll may fail half-way). */
let cleanup: (() => Promise<void>) | undefined

// ---------------------------------------------------------------------------------------------
// helpers

function cli(name: string, ...args: string[]): Promise<RunResult> {
  return runNode([join(REPO, 'bin', name), ...args], env, 30_000)
}

function expectOutput(result: RunResult, stdout: string): void {
  expect({code: result.code, stdout: result.stdout, stderr: result.stderr}).toEqual({code: 0, stdout, stderr: ''})
}

/** Left-aligned columns, two spaces apart, last column unpadded: the legacy table (legacy-elb-cli §3.1). */
function table(rows: readonly (readonly string[])[]): string {
  const widths = rows[0]?.map((_, column) => Math.max(...rows.map((row) => (row[column] ?? '').length))) ?? []
  return rows.map((row) => row.map((cell, column) => (column === row.length - 1 ? cell : cell.padEnd(widths[column] ?? 0))).join('  ')).join('\n') + '\n'
}

async function openssl(args: readonly string[]): Promise<string> {
  return (await execFileAsync('openssl', args, {timeout: 20_000})).stdout
}

async function makeCertificate(name: string, commonName: string): Promise<{cert: string; key: string}> {
  const cert = join(work, `${name}-cert.pem`)
  const key = join(work, `${name}-key.pem`)
  await openssl(['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-sha256', '-days', '30', '-subj', `/CN=${commonName}`, '-keyout', key, '-out', cert])
  return {cert, key}
}

/** `openssl x509 -pubkey -noout` without the BEGIN/END lines and white space (the guide's recipe). */
async function publicKeyValue(certFile: string): Promise<string> {
  const pem = await openssl(['x509', '-in', certFile, '-pubkey', '-noout'])
  return pem.split('\n').filter((line) => !line.startsWith('-----')).join('').replace(/\s/g, '')
}

interface Handshake {
  readonly protocol: string | null
  readonly cipher: string
  readonly fingerprint256: string
}

function handshake(options: ConnectionOptions): Promise<Handshake> {
  return new Promise((resolve, reject) => {
    const socket = tlsConnect({host: lbAddress, port: P443, rejectUnauthorized: false, ...options}, () => {
      resolve({protocol: socket.getProtocol(), cipher: socket.getCipher().name, fingerprint256: socket.getPeerCertificate().fingerprint256})
      socket.destroy()
    })
    socket.setTimeout(5_000, () => socket.destroy(new Error('handshake timed out')))
    socket.once('error', reject)
  })
}

/** `openssl s_client` against the HTTPS listener: did the handshake succeed, and with what? */
function sClient(args: readonly string[]): Promise<{ok: boolean; output: string}> {
  return new Promise((resolve) => {
    const child = execFile('openssl', ['s_client', '-connect', `${lbAddress}:${P443}`, ...args], {timeout: 10_000}, (error, stdout, stderr) => {
      resolve({ok: error === null && !/Cipher is \(NONE\)/.test(stdout), output: stdout + stderr})
    })
    child.stdin?.end()
  })
}

interface Answer {
  readonly status: number
  readonly instanceId?: string
  readonly protocol?: string
  readonly port?: number
}

function parseAnswer(status: number, body: string): Answer {
  if (status !== 200) return {status}
  const parsed = JSON.parse(body) as {instanceId: string; protocol: string; port: number}
  return {status, instanceId: parsed.instanceId, protocol: parsed.protocol, port: parsed.port}
}

function get(secure: boolean, tls: ConnectionOptions = TLS1_CLIENT): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const options = {host: lbAddress, port: secure ? P443 : P80, path: '/', agent: false as const, headers: {Host: dnsName}, timeout: 5_000}
    const request = secure
      ? httpsRequest({...options, rejectUnauthorized: false, ...tls})
      : httpRequest(options)
    request.once('response', (response) => {
      let body = ''
      response.setEncoding('utf8')
      response.on('data', (chunk: string) => (body += chunk))
      response.once('end', () => {
        resolve(parseAnswer(response.statusCode ?? 0, body))
      })
    })
    request.once('timeout', () => {
      request.destroy(new Error('request timed out'))
    })
    request.once('error', reject)
    request.end()
  })
}

async function answers(secure: boolean, count: number): Promise<Answer[]> {
  const result: Answer[] = []
  for (let n = 0; n < count; n++) result.push(await get(secure))
  return result
}

const servedBy = (list: readonly Answer[]): string[] => [...new Set(list.map((answer) => answer.instanceId ?? `HTTP ${answer.status}`))].sort()

async function healthStates(): Promise<Record<string, string>> {
  const output = await t.elb.send(new DescribeInstanceHealthCommand({LoadBalancerName: LB}))
  return Object.fromEntries((output.InstanceStates ?? []).map((state) => [state.InstanceId ?? '', state.State ?? '']))
}

function waitForHealth(expected: Record<string, string>, what: string): Promise<true> {
  return eventually(async () => {
    const states = await healthStates()
    return Object.entries(expected).every(([id, state]) => states[id] === state) ? true : undefined
  }, 20_000, what)
}

// ---------------------------------------------------------------------------------------------

/** The guide in the default account (a default VPC), then in 2011's EC2-Classic world (`--platform ec2-classic`). */
describe.each(['vpc', 'ec2-classic'] as const)('on the %s platform', (platform) => {
  beforeAll(async () => {
    ensureBuilt()
    work = mkdtempSync(join(tmpdir(), 'elb-tutorial-test-'))
    cleanup = () => {
      rmSync(work, {recursive: true, force: true})
      return Promise.resolve()
    }
    // 0.1: the guide's 30 s interval lasts 3 s and its 3 s timeout 300 ms (room for a busy machine).
    t = await startTestEngine({timeScale: 0.1, portOffset: OFFSET, platform})
    cleanup = async () => {
      await t.close()
      rmSync(work, {recursive: true, force: true})
    }
    env = {
      ELB_LOCAL_ENDPOINT: t.endpoint, ELB_LOCAL_HOME: t.home, ELB_LOCAL_AUTOSTART: '0',
      AWS_ELB_URL: '', AWS_IAM_URL: '', ELB_TARGET: '', EC2_REGION: '', AWS_CREDENTIAL_FILE: '',
    }
  }, 60_000)

  afterAll(async () => {
    await cleanup?.()
  })

  describe('the guide, step by step, through bin/*', () => {
    test('before you start: two instances in us-east-1a serving HTTP on 8080 and HTTPS on 443 with one back-end certificate', async () => {
      // The back-end servers present one certificate (the guide pins one public key); its files go
      // where the engine's demo servers read an instance's certificate.
      const backend = await makeCertificate('backend', 'backend.example.com')
      for (const id of [A, B]) {
        await execFileAsync('mkdir', ['-p', join(t.home, 'instances', id)])
        await execFileAsync('cp', [backend.cert, join(t.home, 'instances', id, 'cert.pem')])
        await execFileAsync('cp', [backend.key, join(t.home, 'instances', id, 'key.pem')])
        const run = await cli('elb-local', 'run-instances', '--id', id, '--availability-zone', 'us-east-1a', '--serve', 'http:8080,https:443')
        expect(run.code).toBe(0)
        // The table fits 100 columns, so a long test address may wrap a cell: read the row's first line.
        expect(run.stdout).toMatch(new RegExp(`${id} +│ running +│ [0-9.]+ +│ us-east-1a +│ http:8080,`))
      }
      const instances = await t.admin.describeInstances()
      for (const id of [A, B]) {
        expect(instances.find((instance) => instance.instanceId === id)).toMatchObject({
          state: 'running', availabilityZone: 'us-east-1a', serve: [{protocol: 'http', port: 8080}, {protocol: 'https', port: 443}],
        })
      }
      ipA = instances.find((instance) => instance.instanceId === A)?.privateIp ?? ''
      ipB = instances.find((instance) => instance.instanceId === B)?.privateIp ?? ''
      expect(ipA).toMatch(/^127\./)
      expect(ipB).toMatch(/^127\./)
    })

    test('iam-servercertupload -b cert.pem -k key.pem -s myCert -v prints the ARN and the certificate id', async () => {
      const listener = await makeCertificate('listener', 'www.example.com')
      const result = await cli('iam-servercertupload', '-b', listener.cert, '-k', listener.key, '-s', 'myCert', '-v')
      const stored = await t.iam.send(new GetServerCertificateCommand({ServerCertificateName: 'myCert'}))
      const metadata = stored.ServerCertificate?.ServerCertificateMetadata
      arn = `arn:aws:iam::${t.engine.store.state.accountId}:server-certificate/myCert`
      expect(metadata?.Arn).toBe(arn)
      expect(metadata?.ServerCertificateId).toMatch(/^ASCA[A-Z0-9]{17}$/)
      expectOutput(result, `${arn}\n${metadata?.ServerCertificateId ?? ''}\n`)
    })

    test('the guide\'s literal ARN (account 55555555555, path /production/) is not ours: CertificateNotFound, exit status 1, no load balancer', async () => {
      const result = await cli('elb-create-lb', LB, '--headers',
        '--listener', 'lb-port=80,instance-port=8080,protocol=http,instance-protocol=http',
        '--listener', 'lb-port=443,instance-port=443,protocol=https,instance-protocol=https, cert-id=arn:aws:iam::55555555555:server-certificate/production/myCert',
        '--availability-zones', 'us-east-1a')
      expect({code: result.code, stdout: result.stdout}).toEqual({code: 1, stdout: ''})
      expect(result.stderr).toMatch(/^elb-create-lb: {2}Malformed input-Server Certificate not found for the key:\n arn:aws:iam::55555555555:server-certificate\/production\/myCert\nUsage:\nelb-create-lb\n/)
      const described = await t.elb.send(new DescribeLoadBalancersCommand({}))
      expect(described.LoadBalancerDescriptions).toEqual([])
    })

    test('elb-create-lb with the HTTP 80→8080 and HTTPS 443→443 listeners prints the DNS name', async () => {
      const result = await cli('elb-create-lb', LB, '--headers',
        '--listener', 'lb-port=80,instance-port=8080,protocol=http,instance-protocol=http',
        '--listener', `lb-port=443,instance-port=443,protocol=https,instance-protocol=https, cert-id=${arn}`,
        '--availability-zones', 'us-east-1a')
      const described = await t.elb.send(new DescribeLoadBalancersCommand({LoadBalancerNames: [LB]}))
      const description = described.LoadBalancerDescriptions?.[0]
      dnsName = description?.DNSName ?? ''
      expect(dnsName).toMatch(/^MyLoadBalancer-\d+\.us-east-1\.elb\.amazonaws\.com$/)
      expectOutput(result, `DNS_NAME  DNS_NAME\nDNS_NAME  ${dnsName}\n`)
      if (platform === 'vpc') {
      // By zone in a VPC account: the zone's default subnet, ELB's own default_elb_ group.
      const subnet = t.engine.store.region('us-east-1').network?.subnets.find((s) => s.defaultForAz && s.availabilityZone === 'us-east-1a')
      expect(description).toMatchObject({VPCId: subnet?.vpcId, Subnets: [subnet?.subnetId], AvailabilityZones: ['us-east-1a'],
        SecurityGroups: [expect.stringMatching(/^sg-[0-9a-f]{17}$/)], SourceSecurityGroup: {OwnerAlias: t.engine.store.state.accountId,
          GroupName: expect.stringMatching(/^default_elb_/) as string}})
    } else {
      expect(description).toMatchObject({Subnets: [], SecurityGroups: [], SourceSecurityGroup: {OwnerAlias: 'amazon-elb', GroupName: 'amazon-elb-sg'}})
      expect(description?.VPCId).toBeUndefined()
    }
    expect(description?.ListenerDescriptions?.map((entry) => entry.Listener)).toEqual([
        {Protocol: 'HTTP', LoadBalancerPort: 80, InstanceProtocol: 'HTTP', InstancePort: 8080},
        {Protocol: 'HTTPS', LoadBalancerPort: 443, InstanceProtocol: 'HTTPS', InstancePort: 443, SSLCertificateId: arn},
      ])
      const hosts = await cli('elb-local', 'hosts')
      const line = hosts.stdout.split('\n').find((entry) => entry.endsWith(` ${dnsName}`))
      lbAddress = line?.split(' ')[0] ?? ''
      expect(lbAddress).toMatch(/^127\.\d+\.\d+\.\d+$/)
    })

    test('elb-describe-lb-policies MyLoadBalancer --headers lists the default security policy', async () => {
      expectOutput(await cli('elb-describe-lb-policies', LB, '--headers'), table([
        ['POLICY', 'NAME', 'TYPE_NAME'],
        ['POLICY', 'ELBSecurityPolicy-2016-08', 'SSLNegotiationPolicyType'],
      ]))
    })

    test('elb-describe-lb-policy-types SSLNegotiationPolicyType --show-long prints every protocol and cipher attribute', async () => {
      interface PolicyTypes {
        PolicyTypeDescriptions: {
          PolicyTypeName: string
          Description: string
          PolicyAttributeTypeDescriptions: {AttributeName: string; AttributeType: string; DefaultValue?: string; Cardinality: string}[]
        }[]
      }
      const types = JSON.parse(readFileSync(join(REPO, 'data', 'elb-policy-types.json'), 'utf8')) as PolicyTypes
      const ssl = types.PolicyTypeDescriptions.find((type) => type.PolicyTypeName === 'SSLNegotiationPolicyType')
      const attributes = (ssl?.PolicyAttributeTypeDescriptions ?? []).map((attribute) =>
        `{name=${attribute.AttributeName},description=,type=${attribute.AttributeType},default-value=${attribute.DefaultValue ?? ''},cardinality=${attribute.Cardinality}}`)
      expect(attributes.length).toBeGreaterThan(90)
      expectOutput(await cli('elb-describe-lb-policy-types', 'SSLNegotiationPolicyType', '--show-long'),
        `POLICY_TYPE,SSLNegotiationPolicyType,${ssl?.Description ?? ''},"${attributes.join(',')}"\n`)
    })

    test('elb-create-lb-policy MySSLNegotiationPolicy (the guide\'s quoting corrected) and elb-set-lb-policies-of-listener', async () => {
      expectOutput(await cli('elb-create-lb-policy', LB, '--policy-name', 'MySSLNegotiationPolicy', '--policy-type', 'SSLNegotiationPolicyType',
        '--attribute', 'name=Protocol-TLSv1,value=true', '--attribute', 'name=Protocol-SSLv2,value=false',
        '--attribute', 'name=DHE-RSA-AES256-SHA,value=true'), 'OK-Creating LoadBalancer Policy\n')
      expectOutput(await cli('elb-set-lb-policies-of-listener', LB, '--lb-port', '443', '--policy-name', 'MySSLNegotiationPolicy'), 'OK-Setting Policies\n')
      expectOutput(await cli('elb-describe-lb-policies', LB, '--policy-names', 'MySSLNegotiationPolicy'),
        'POLICY  MySSLNegotiationPolicy  SSLNegotiationPolicyType\n')
      // The long view lists every attribute: the two the guide enables plus the type's defaults
      // ("Protocol SSLv3 is still enabled, because that is part of the default policy").
      const long = await cli('elb-describe-lb-policies', LB, '--policy-names', 'MySSLNegotiationPolicy', '--show-long')
      expect(long.code).toBe(0)
      const enabled = [...long.stdout.matchAll(/\{name=([^,}]+),value=true\}/g)].map((match) => match[1])
      expect(enabled.sort()).toEqual(['AES128-SHA', 'AES256-SHA', 'DES-CBC3-SHA', 'DHE-RSA-AES256-SHA', 'Protocol-SSLv3', 'Protocol-TLSv1', 'RC4-MD5', 'RC4-SHA'])
      expect(long.stdout).toContain('{name=Protocol-SSLv2,value=false}')
      expect(long.stdout).toContain('{name=Protocol-TLSv1.2,value=false}')
    })

    test('the public key of the instances\' HTTPS certificate, fetched from the instance, as the PublicKey value', async () => {
      // openssl s_client … -showcerts, as a user would fetch it, then openssl x509 -pubkey -noout.
      const fetched = join(work, 'instance-cert.pem')
      const {stdout} = await execFileAsync('sh', ['-c', `openssl s_client -connect ${ipA}:${P443} -showcerts </dev/null 2>/dev/null | openssl x509 -outform pem > ${fetched}`])
      expect(stdout).toBe('')
      const fromInstance = await publicKeyValue(fetched)
      const spki = new X509Certificate(readFileSync(join(t.home, 'instances', B, 'cert.pem'))).publicKey.export({type: 'spki', format: 'der'}).toString('base64')
      expect(fromInstance).toBe(spki)

      expectOutput(await cli('elb-create-lb-policy', LB, '--policy-name', 'MyPublicKeyPolicy', '--policy-type-name', 'PublicKeyPolicyType',
        '--attribute', `name=PublicKey,value=${fromInstance}`), 'OK-Creating LoadBalancer Policy\n')
      expectOutput(await cli('elb-create-lb-policy', LB, '--policy-name', 'MyBackendServerAuthenticationPolicy', '--policy-type-name',
        'BackendServerAuthenticationPolicyType', '--attribute', 'name=PublicKeyPolicyName,value=MyPublicKeyPolicy'), 'OK-Creating LoadBalancer Policy\n')
    })

    test('the guide\'s elb-set-lb-policies-for-backend line names a missing policy: PolicyNotFound, exit status 1, nothing changed', async () => {
      const wrong = await cli('elb-set-lb-policies-for-backend', LB, '--instance-port', '443', '--policy-names', 'MyBackendAuthenticationPolicy')
      expect({code: wrong.code, stdout: wrong.stdout}).toEqual({code: 1, stdout: ''})
      expect(wrong.stderr).toBe([
        'elb-set-lb-policies-for-backend:  Malformed input-There is no policy with name MyBackendAuthenticationPolicy for',
        ' load balancer MyLoadBalancer',
        'Usage:',
        'elb-set-lb-policies-for-backend',
        '        LoadBalancerName  --instance-port  value  --policy-names ',
        '       value[,value...]  [General Options]',
        'For more information and a full list of options, run "elb-set-lb-policies-for-backend --help"',
        '',
      ].join('\n'))
      const before = await t.elb.send(new DescribeLoadBalancersCommand({LoadBalancerNames: [LB]}))
      expect(before.LoadBalancerDescriptions?.[0]?.BackendServerDescriptions).toEqual([])

      expectOutput(await cli('elb-set-lb-policies-for-backend', LB, '--instance-port', '443', '--policy-names', 'MyBackendServerAuthenticationPolicy'),
        'OK-Setting Policies\n')
      const after = await t.elb.send(new DescribeLoadBalancersCommand({LoadBalancerNames: [LB]}))
      expect(after.LoadBalancerDescriptions?.[0]?.BackendServerDescriptions).toEqual([
        {InstancePort: 443, PolicyNames: ['MyBackendServerAuthenticationPolicy']},
      ])
    })

    test('elb-describe-lb-policies lists all four policies, then MyBackendServerAuthenticationPolicy alone', async () => {
      expectOutput(await cli('elb-describe-lb-policies', LB), table([
        ['POLICY', 'ELBSecurityPolicy-2016-08', 'SSLNegotiationPolicyType'],
        ['POLICY', 'MySSLNegotiationPolicy', 'SSLNegotiationPolicyType'],
        ['POLICY', 'MyPublicKeyPolicy', 'PublicKeyPolicyType'],
        ['POLICY', 'MyBackendServerAuthenticationPolicy', 'BackendServerAuthenticationPolicyType'],
      ]))
      expectOutput(await cli('elb-describe-lb-policies', LB, '--policy-names', 'MyBackendServerAuthenticationPolicy'),
        'POLICY  MyBackendServerAuthenticationPolicy  BackendServerAuthenticationPolicyType\n')
    })

    test('elb-configure-healthcheck HTTP:8080/ping and elb-register-instances-with-lb; both instances go InService', async () => {
      expectOutput(await cli('elb-configure-healthcheck', LB, '--headers', '--target', 'HTTP:8080/ping', '--interval', '30', '--timeout', '3',
        '--unhealthy-threshold', '2', '--healthy-threshold', '2'), table([
        ['HEALTH_CHECK', 'TARGET', 'INTERVAL', 'TIMEOUT', 'HEALTHY_THRESHOLD', 'UNHEALTHY_THRESHOLD'],
        ['HEALTH_CHECK', 'HTTP:8080/ping', '30', '3', '2', '2'],
      ]))
      expectOutput(await cli('elb-register-instances-with-lb', LB, '--headers', '--instances', `${A},${B}`), table([
        ['INSTANCE_ID', 'INSTANCE_ID'], ['INSTANCE_ID', A], ['INSTANCE_ID', B],
      ]))
      await waitForHealth({[A]: 'InService', [B]: 'InService'}, 'both instances InService')
      expectOutput(await cli('elb-describe-instance-health', LB, '--headers'), table([
        ['INSTANCE_ID', 'INSTANCE_ID', 'STATE', 'DESCRIPTION', 'REASON-CODE'],
        ['INSTANCE_ID', A, 'InService', 'N/A', 'N/A'],
        ['INSTANCE_ID', B, 'InService', 'N/A', 'N/A'],
      ]))
    })
  })

  describe('the load balancer carries the traffic', () => {
    test('the HTTP listener on port 80 reaches both instances on 8080', async () => {
      const list = await answers(false, 6)
      expect(list.every((answer) => answer.status === 200 && answer.protocol === 'http' && answer.port === 8080)).toBe(true)
      expect(servedBy(list)).toEqual([B, A].sort())
    })

    test('the HTTPS listener presents myCert under MySSLNegotiationPolicy: TLSv1 with its ciphers, no TLSv1.1/1.2', async () => {
      const uploaded = new X509Certificate(readFileSync(join(work, 'listener-cert.pem')))
      const accepted = await handshake(TLS1_CLIENT)
      expect(accepted).toEqual({protocol: 'TLSv1', cipher: 'DHE-RSA-AES256-SHA', fingerprint256: uploaded.fingerprint256})
      // AES128-SHA is on by the type's default; a TLSv1 client with a cipher the policy leaves off, a
      // TLSv1.1 and a TLSv1.2 client are refused.
      expect(await handshake({...TLS1_CLIENT, ciphers: 'AES128-SHA:@SECLEVEL=0'})).toMatchObject({protocol: 'TLSv1', cipher: 'AES128-SHA'})
      await expect(handshake({...TLS1_CLIENT, ciphers: 'DHE-RSA-AES128-SHA:@SECLEVEL=0'})).rejects.toThrow()
      await expect(handshake({minVersion: 'TLSv1.2', maxVersion: 'TLSv1.2'})).rejects.toThrow()
      await expect(handshake({minVersion: 'TLSv1.1', maxVersion: 'TLSv1.1', ciphers: 'DEFAULT:@SECLEVEL=0'})).rejects.toThrow()
      // The same with the openssl command line.
      const tls12 = await sClient(['-tls1_2'])
      expect(tls12.ok).toBe(false)
      const tls1 = await sClient(['-tls1', '-cipher', 'DHE-RSA-AES256-SHA:@SECLEVEL=0'])
      expect(tls1.ok).toBe(true)
      expect(tls1.output).toMatch(/Protocol *: TLSv1\n/)
      expect(tls1.output).toContain('Cipher is DHE-RSA-AES256-SHA')
    })

    test('the HTTPS listener reaches both instances over HTTPS on 443 (their key matches MyPublicKeyPolicy)', async () => {
      const list = await answers(true, 6)
      expect(list.every((answer) => answer.status === 200 && answer.protocol === 'https' && answer.port === 443)).toBe(true)
      expect(servedBy(list)).toEqual([B, A].sort())
    })

    test('a policy that enables TLSv1.2 lets a TLSv1.2 client in and keeps TLSv1.1 out; then the guide\'s policy again', async () => {
      expectOutput(await cli('elb-create-lb-policy', LB, '--policy-name', 'MyTls12Policy', '--policy-type', 'SSLNegotiationPolicyType',
        '--attribute', 'name=Protocol-TLSv1.2,value=true', '--attribute', 'name=ECDHE-RSA-AES128-GCM-SHA256,value=true',
        '--attribute', 'name=Protocol-TLSv1,value=false', '--attribute', 'name=Protocol-SSLv3,value=false'),
      'OK-Creating LoadBalancer Policy\n')
      expectOutput(await cli('elb-set-lb-policies-of-listener', LB, '--lb-port', '443', '--policy-names', 'MyTls12Policy'), 'OK-Setting Policies\n')
      expect(await handshake({minVersion: 'TLSv1.2', maxVersion: 'TLSv1.2'})).toMatchObject({protocol: 'TLSv1.2', cipher: 'ECDHE-RSA-AES128-GCM-SHA256'})
      await expect(handshake({minVersion: 'TLSv1.1', maxVersion: 'TLSv1.1', ciphers: 'DEFAULT:@SECLEVEL=0'})).rejects.toThrow()
      await expect(handshake(TLS1_CLIENT)).rejects.toThrow()
      expect((await sClient(['-tls1_2'])).ok).toBe(true)
      expect((await sClient(['-tls1_1', '-cipher', 'DEFAULT:@SECLEVEL=0'])).ok).toBe(false)

      expectOutput(await cli('elb-set-lb-policies-of-listener', LB, '--lb-port', '443', '--policy-names', 'MySSLNegotiationPolicy'), 'OK-Setting Policies\n')
      expect(await handshake(TLS1_CLIENT)).toMatchObject({protocol: 'TLSv1'})
    })
  })

  describe('back-end server authentication', () => {
    let https: HttpsServer | undefined
    let http: HttpServer | undefined
    const seen = {httpsRequests: 0, httpsHandshakes: 0, httpRequests: 0}
    /** What the third instance's /ping answers (200 until a test breaks it). */
    let pingStatus = 200

    afterAll(async () => {
      const close = (server: HttpServer | HttpsServer | undefined) => new Promise<void>((resolve) => {
        if (server === undefined) resolve()
        else server.close(() => {
          resolve()
        })
      })
      await Promise.all([close(https), close(http)])
    })

    test('an instance whose certificate key is not pinned never sees an HTTPS request: the client gets 502', async () => {
      const run = await cli('elb-local', 'run-instances', '--id', C, '--availability-zone', 'us-east-1a')
      expect(run.code).toBe(0)
      const ipC = (await t.admin.describeInstances(undefined, [C]))[0]?.privateIp ?? ''
      // This instance's servers are the test's own: /ping answers 200, HTTPS uses a key of its own.
      const own = await makeCertificate('unpinned', 'unpinned.example.com')
      https = createHttpsServer({cert: readFileSync(own.cert), key: readFileSync(own.key)}, (request, response) => {
        seen.httpsRequests++
        response.end(JSON.stringify({instanceId: C, protocol: 'https', port: 443}))
      })
      https.on('secureConnection', () => seen.httpsHandshakes++)
      http = createHttpServer((request, response) => {
        if (request.url !== '/ping') seen.httpRequests++
        response.statusCode = request.url === '/ping' ? pingStatus : 200
        response.end(JSON.stringify({instanceId: C, protocol: 'http', port: 8080}))
      })
      await Promise.all([
        new Promise<void>((resolve, reject) => https?.once('error', reject).listen(P443, ipC, resolve)),
        new Promise<void>((resolve, reject) => http?.once('error', reject).listen(8080, ipC, resolve)),
      ])
      expectOutput(await cli('elb-register-instances-with-lb', LB, '--instances', C), table([['INSTANCE_ID', A], ['INSTANCE_ID', B], ['INSTANCE_ID', C]]))
      await waitForHealth({[A]: 'InService', [B]: 'InService', [C]: 'InService'}, `${C} InService`)

      const secure = await answers(true, 9)
      expect(seen.httpsRequests).toBe(0)
      expect(seen.httpsHandshakes).toBeGreaterThan(0)
      expect(secure.filter((answer) => answer.status === 502).length).toBeGreaterThan(0)
      expect(secure.every((answer) => answer.status === 502 || (answer.status === 200 && answer.instanceId !== C))).toBe(true)
      // HTTP needs no authentication: the same instance serves the port-80 listener.
      const plain = await answers(false, 9)
      expect(servedBy(plain)).toEqual([A, B, C].sort())
      expect(seen.httpRequests).toBeGreaterThan(0)
    })

    test('the same instance answering /ping with 503 goes OutOfService and gets no more requests', async () => {
      pingStatus = 503
      await waitForHealth({[A]: 'InService', [B]: 'InService', [C]: 'OutOfService'}, `${C} OutOfService`)
      expectOutput(await cli('elb-describe-instance-health', LB, '--instances', C), table([
        ['INSTANCE_ID', C, 'OutOfService', FAILED_CHECKS, 'Instance'],
      ]))
      const before = seen.httpRequests
      expect(servedBy(await answers(false, 6))).toEqual([A, B].sort())
      expect(seen.httpRequests).toBe(before)

      expectOutput(await cli('elb-deregister-instances-from-lb', LB, '--instances', C), table([['INSTANCE_ID', A], ['INSTANCE_ID', B]]))
    })

    test('pinning another key refuses both instances (502) while HTTP still works; the right key lets them in again', async () => {
      const other = await makeCertificate('other', 'other.example.com')
      expectOutput(await cli('elb-create-lb-policy', LB, '--policy-name', 'OtherPublicKeyPolicy', '--policy-type', 'PublicKeyPolicyType',
        '--attribute', `name=PublicKey,value=${await publicKeyValue(other.cert)}`), 'OK-Creating LoadBalancer Policy\n')
      expectOutput(await cli('elb-create-lb-policy', LB, '--policy-name', 'OtherAuthenticationPolicy', '--policy-type', 'BackendServerAuthenticationPolicyType',
        '--attribute', 'name=PublicKeyPolicyName,value=OtherPublicKeyPolicy'), 'OK-Creating LoadBalancer Policy\n')
      expectOutput(await cli('elb-set-lb-policies-for-backend-server', LB, '--instance-port', '443', '--policy-names', 'OtherAuthenticationPolicy'), 'OK-Setting Policies\n')
      expect((await answers(true, 4)).map((answer) => answer.status)).toEqual([502, 502, 502, 502])
      expect(servedBy(await answers(false, 4))).toEqual([A, B].sort())

      expectOutput(await cli('elb-set-lb-policies-for-backend-server', LB, '--instance-port', '443', '--policy-names', 'MyBackendServerAuthenticationPolicy'), 'OK-Setting Policies\n')
      expect(servedBy(await answers(true, 4))).toEqual([A, B].sort())
    })
  })

  describe('the health check', () => {
    test('an instance whose /ping stops answering goes OutOfService and the traffic moves to the other one', async () => {
      await t.admin.backends('pause', [A])
      await waitForHealth({[A]: 'OutOfService', [B]: 'InService'}, `${A} OutOfService`)
      expectOutput(await cli('elb-describe-instance-health', LB, '--headers'), table([
        ['INSTANCE_ID', 'INSTANCE_ID', 'STATE', 'DESCRIPTION', 'REASON-CODE'],
        ['INSTANCE_ID', A, 'OutOfService', FAILED_CHECKS, 'Instance'],
        ['INSTANCE_ID', B, 'InService', 'N/A', 'N/A'],
      ]))
      expect(servedBy(await answers(false, 4))).toEqual([B])
      expect(servedBy(await answers(true, 4))).toEqual([B])

      await t.admin.backends('resume', [A])
      await waitForHealth({[A]: 'InService', [B]: 'InService'}, `${A} back InService`)
      expect(servedBy(await answers(false, 6))).toEqual([A, B].sort())
    })
  })
})
