/**
 * aws-cli v2 (Debian's `awscli`), what many users run for ELB itself, against the real engine: the
 * seed's walk-through as `aws` commands (instances from `aws ec2 run-instances`, the certificate
 * upload, a load balancer with HTTP and HTTPS listeners, an SSL negotiation policy, the health check,
 * the instances registered, `aws elb wait instance-in-service`), a request through each listener,
 * then v2's own ways: its default JSON output with ISO 8601 times, `--query` with `--output text`,
 * client-side paging (`--max-items`/`--starting-token`) and manual paging (`--page-size`/`--marker`),
 * `--region` picking the engine's region, and service errors exiting 254. AWS_PAGER="" throughout:
 * v2 pipes output through `less` otherwise. aws-cli 2.9.19 predates AWS_ENDPOINT_URL (2.13): every
 * call names `--endpoint-url`.
 */
import {writeFileSync} from 'node:fs'
import {request as httpRequest} from 'node:http'
import {request as httpsRequest} from 'node:https'
import {join} from 'node:path'
import {TLSSocket} from 'node:tls'
import {AWS_CLI_ENV, findAwsCliV2, testWith} from '../../helpers/aws-cli.js'
import {startTestEngine, type TestEngine} from '../../helpers/engine.js'
import {runProcess, type RunResult} from '../../helpers/processes.js'
import {makePki, type Pki} from '../iam/pki.js'

const cli = findAwsCliV2()
const cliTest = testWith(cli)
const OFFSET = 20_000 + 100 * Math.floor(Math.random() * 300)
const LB = 'MyLoadBalancer'
/** aws-cli starts Python for every call (~0.6 s idle, a few seconds on a loaded machine). */
const CLI_TEST_TIMEOUT_MS = 120_000
let t: TestEngine
let pki: Pki
let ids: string[] = []

beforeAll(async () => {
  if (cli.command === undefined) return
  pki = makePki()
  t = await startTestEngine({portOffset: OFFSET})
  for (const [file, text] of [['cert.pem', pki.leafCert], ['key.pem', pki.leafKey], ['chain.pem', pki.chain]] as const) writeFileSync(join(t.home, file), text)
}, 60_000)

afterAll(async () => {
  await (t as TestEngine | undefined)?.close()
})

/** `aws --endpoint-url ENGINE ARGS…` with aws-cli v2, in the engine's home (for `file://`). */
const aws = (...args: string[]): Promise<RunResult> =>
  runProcess(cli.command ?? 'aws', ['--endpoint-url', t.endpoint, ...args], {env: AWS_CLI_ENV, cwd: t.home, timeoutMs: 60_000})

async function succeeds(...args: string[]): Promise<string> {
  const result = await aws(...args)
  expect({args, code: result.code, stderr: result.stderr}).toEqual({args, code: 0, stderr: ''})
  return result.stdout
}

/**
 * One request to the load balancer's own address on `port` (+ the offset): its status, and over
 * HTTPS the TLS version. The seed's policy enables TLS 1.0 alone: the client offers it (and its
 * AES128-SHA) at OpenSSL's security level 0.
 */
function requestThrough(port: number, secure: boolean): Promise<[number | undefined, string | null]> {
  const lb = t.engine.store.state.regions['us-east-1']?.loadBalancers.find((record) => record.name === LB)
  const options = {host: lb?.localAddress, port: port + OFFSET, path: '/', agent: false, timeout: 5_000}
  const tls = {ca: pki.rootCert, servername: 'www.example.com', minVersion: 'TLSv1', ciphers: 'AES128-SHA:@SECLEVEL=0'} as const
  return new Promise((resolve, reject) => {
    const request = (secure ? httpsRequest({...options, ...tls}) : httpRequest(options)).once('response', (response) => {
      const protocol = response.socket instanceof TLSSocket ? response.socket.getProtocol() : null
      response.resume()
      response.once('end', () => { resolve([response.statusCode, protocol]) })
    })
    request.once('timeout', () => request.destroy(new Error('timed out')))
    request.once('error', reject)
    request.end()
  })
}

cliTest("the seed's walk-through with aws-cli v2: certificate, HTTP and HTTPS listeners, SSL policy, health check, instances", async () => {
  expect(cli.version).toMatch(/^aws-cli\/2\./)
  const launched = await succeeds('ec2', 'run-instances', '--image-id', 'ami-12345678', '--count', '2', '--placement', 'AvailabilityZone=us-east-1a',
    '--tag-specifications', JSON.stringify([{ResourceType: 'instance', Tags: [{Key: 'elb-local:serve', Value: 'http:8080,https:443'}]}]),
    '--query', 'Instances[].InstanceId', '--output', 'text')
  ids = launched.trim().split('\t')
  expect(ids).toHaveLength(2)

  const arn = await succeeds('iam', 'upload-server-certificate', '--server-certificate-name', 'testCert', '--path', '/',
    '--certificate-body', 'file://cert.pem', '--private-key', 'file://key.pem', '--certificate-chain', 'file://chain.pem',
    '--query', 'ServerCertificateMetadata.Arn', '--output', 'text')
  expect(arn).toMatch(/^arn:aws:iam::\d{12}:server-certificate\/testCert\n$/)

  const dns = await succeeds('elb', 'create-load-balancer', '--load-balancer-name', LB, '--availability-zones', 'us-east-1a', '--listeners',
    'Protocol=HTTP,LoadBalancerPort=80,InstanceProtocol=HTTP,InstancePort=8080',
    `Protocol=HTTPS,LoadBalancerPort=443,InstanceProtocol=HTTPS,InstancePort=443,SSLCertificateId=${arn.trim()}`)
  // v2's default output is JSON.
  expect(JSON.parse(dns)).toEqual({DNSName: expect.stringMatching(/^MyLoadBalancer-\d+\.us-east-1\.elb\.amazonaws\.com$/) as unknown})

  expect(await succeeds('elb', 'create-load-balancer-policy', '--load-balancer-name', LB, '--policy-name', 'MySSLNegotiationPolicy',
    '--policy-type-name', 'SSLNegotiationPolicyType', '--policy-attributes', 'AttributeName=Protocol-TLSv1,AttributeValue=true')).toBe('')
  expect(await succeeds('elb', 'set-load-balancer-policies-of-listener', '--load-balancer-name', LB, '--load-balancer-port', '443',
    '--policy-names', 'MySSLNegotiationPolicy')).toBe('')
  const healthCheck = {Target: 'HTTP:8080/', Interval: 5, Timeout: 2, UnhealthyThreshold: 2, HealthyThreshold: 2}
  expect(JSON.parse(await succeeds('elb', 'configure-health-check', '--load-balancer-name', LB,
    '--health-check', 'Target=HTTP:8080/,Interval=5,Timeout=2,UnhealthyThreshold=2,HealthyThreshold=2'))).toEqual({HealthCheck: healthCheck})
  expect(JSON.parse(await succeeds('elb', 'register-instances-with-load-balancer', '--load-balancer-name', LB, '--instances', ...ids)))
    .toEqual({Instances: ids.map((InstanceId) => ({InstanceId}))})

  // The waiter polls DescribeInstanceHealth (every 15 s, its model's delay) until both are InService.
  expect(await succeeds('elb', 'wait', 'instance-in-service', '--load-balancer-name', LB, '--instances', ...ids)).toBe('')
  expect(await succeeds('elb', 'describe-instance-health', '--load-balancer-name', LB, '--output', 'text')).toBe(
    ids.map((id) => `INSTANCESTATES\tN/A\t${id}\tN/A\tInService\n`).join(''))
  expect([await requestThrough(80, false), await requestThrough(443, true)]).toEqual([[200, null], [200, 'TLSv1']])

  const described = JSON.parse(await succeeds('elb', 'describe-load-balancers', '--load-balancer-names', LB)) as
    {LoadBalancerDescriptions: {CreatedTime: string; HealthCheck: unknown; Instances: unknown[]; ListenerDescriptions: {Listener: {LoadBalancerPort: number}; PolicyNames: string[]}[]}[]}
  const [description] = described.LoadBalancerDescriptions
  // v2 prints timestamps as ISO 8601 (v1: as the wire carried them).
  expect(description?.CreatedTime).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}\+00:00$/)
  expect(Math.abs(Date.parse(description?.CreatedTime ?? '') - Date.now())).toBeLessThan(300_000)
  expect(description?.HealthCheck).toEqual(healthCheck)
  expect(description?.ListenerDescriptions.map(({Listener, PolicyNames}) => [Listener.LoadBalancerPort, PolicyNames]))
    .toEqual([[80, []], [443, ['MySSLNegotiationPolicy']]])
  const row = await succeeds('elb', 'describe-load-balancers', '--query',
    "LoadBalancerDescriptions[?LoadBalancerName=='MyLoadBalancer'].[LoadBalancerName,HealthCheck.Target,length(Instances),ListenerDescriptions[1].Listener.SSLCertificateId]",
    '--output', 'text')
  expect(row).toBe(`${LB}\tHTTP:8080/\t2\t${arn}`)
}, CLI_TEST_TIMEOUT_MS)

cliTest('aws-cli v2 paging, --region and errors; deregister and delete', async () => {
  await succeeds('elb', 'create-load-balancer', '--load-balancer-name', 'b-web', '--availability-zones', 'us-east-1a',
    '--listeners', 'Protocol=TCP,LoadBalancerPort=81,InstanceProtocol=TCP,InstancePort=8080')
  // Client-side paging: --max-items cuts the answer and hands a NextToken to resume from.
  const first = JSON.parse(await succeeds('elb', 'describe-load-balancers', '--max-items', '1',
    '--query', '{names: LoadBalancerDescriptions[].LoadBalancerName, next: NextToken}')) as {names: string[]; next: string}
  expect(first.names).toHaveLength(1)
  const rest = await succeeds('elb', 'describe-load-balancers', '--max-items', '1', '--starting-token', first.next,
    '--query', 'LoadBalancerDescriptions[].LoadBalancerName', '--output', 'text')
  const all = [...first.names, ...rest.trim().split('\t')]
  expect([...all].sort()).toEqual([LB, 'b-web'].sort())
  // Manual paging, as a script loops: --page-size turns v2's own paging off and the engine's NextMarker shows.
  const paged = await runProcess('sh', ['-c', `set -e
marker=""
while :; do
  page=$("$AWS" --endpoint-url "$ENDPOINT" elb describe-load-balancers --page-size 1 \${marker:+--marker "$marker"} --output json)
  echo "$page" | jq -r '.LoadBalancerDescriptions[].LoadBalancerName'
  marker=$(echo "$page" | jq -r '.NextMarker // empty')
  [ -n "$marker" ] || break
done`], {env: {...AWS_CLI_ENV, AWS: cli.command, ENDPOINT: t.endpoint}, timeoutMs: 60_000})
  expect([paged.stdout.trim().split('\n'), paged.stderr]).toEqual([all, ''])

  // The request's signing region picks the engine's region: another one has none of these.
  expect(await succeeds('--region', 'eu-west-1', 'elb', 'describe-load-balancers', '--query', 'length(LoadBalancerDescriptions)', '--output', 'text')).toBe('0\n')

  // aws-cli v2 exits 254 for an error the service answered (v1: 255); its standard retry mode notes
  // the one attempt AWS_MAX_ATTEMPTS allows.
  const unknownInstance = await aws('elb', 'describe-instance-health', '--load-balancer-name', LB, '--instances', 'i-0badbadbadbadbad0')
  expect([unknownInstance.code, unknownInstance.stderr]).toEqual([254, '\nAn error occurred (InvalidInstance) when calling the ' +
    'DescribeInstanceHealth operation (reached max retries: 0): Could not find EC2 instance i-0badbadbadbadbad0.\n'])
  const badCheck = await aws('elb', 'configure-health-check', '--load-balancer-name', LB,
    '--health-check', 'Target=HTTP:8080/,Interval=5,Timeout=10,UnhealthyThreshold=2,HealthyThreshold=2')
  expect(badCheck.code).toBe(254)
  expect(badCheck.stderr).toContain('An error occurred (ValidationError) when calling the ConfigureHealthCheck operation')

  expect(JSON.parse(await succeeds('elb', 'deregister-instances-from-load-balancer', '--load-balancer-name', LB, '--instances', ids[0] ?? '')))
    .toEqual({Instances: [{InstanceId: ids[1]}]})
  for (const name of [LB, 'b-web']) expect(await succeeds('elb', 'delete-load-balancer', '--load-balancer-name', name)).toBe('')
  const gone = await aws('elb', 'describe-load-balancers', '--load-balancer-names', LB)
  expect([gone.code, gone.stderr]).toEqual([254, '\nAn error occurred (LoadBalancerNotFound) when calling the ' +
    `DescribeLoadBalancers operation (reached max retries: 0): Cannot find Load Balancer ${LB}\n`])
  expect(await succeeds('elb', 'describe-load-balancers', '--query', 'length(LoadBalancerDescriptions)', '--output', 'text')).toBe('0\n')
}, CLI_TEST_TIMEOUT_MS)
