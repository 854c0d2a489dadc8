/**
 * Issue 18: a stand-in launched through EC2 RunInstances with no `elb-local:*` tag serves a demo
 * back end on every port its load balancer sends it (listeners' InstancePort in the instance
 * protocol, the health check's port), goes InService and answers through both an HTTP and an SSL
 * listener; an `elb-local:serve` tag still decides alone.
 */
import {afterAll, beforeAll, describe, expect, test} from '@jest/globals'
import {EC2Client, RunInstancesCommand} from '@aws-sdk/client-ec2'
import {
  ConfigureHealthCheckCommand, CreateLoadBalancerCommand, CreateLoadBalancerListenersCommand, DeleteLoadBalancerListenersCommand,
  DeregisterInstancesFromLoadBalancerCommand, DescribeInstanceHealthCommand, ModifyLoadBalancerAttributesCommand,
  RegisterInstancesWithLoadBalancerCommand,
} from '@aws-sdk/client-elastic-load-balancing'
import {UploadServerCertificateCommand} from '@aws-sdk/client-iam'
import {connect} from 'node:tls'
import {eventually, startTestEngine, TEST_CREDENTIALS, type TestEngine} from '../../helpers/engine.js'
import {cleanupCerts, makeKeyPair} from '../dataplane/fixtures.js'
import {getRoot} from '../../helpers/http-get.js'

let t: TestEngine
let ec2: EC2Client
let certificateArn = ''
const offset = 30_000 + 100 * Math.floor(Math.random() * 200)

beforeAll(async () => {
  t = await startTestEngine({portOffset: offset})
  ec2 = new EC2Client({endpoint: t.endpoint, region: t.region, credentials: TEST_CREDENTIALS, maxAttempts: 1})
  const pair = makeKeyPair('derived.example.com')
  const uploaded = await t.iam.send(new UploadServerCertificateCommand({ServerCertificateName: 'derived', CertificateBody: pair.cert, PrivateKey: pair.key}))
  certificateArn = uploaded.ServerCertificateMetadata?.Arn ?? ''
}, 60_000)

afterAll(async () => {
  ec2.destroy()
  await t.close()
  cleanupCerts()
})

async function launch(tags: {Key: string; Value: string}[] = []): Promise<{instanceId: string; privateIp: string}> {
  const out = await ec2.send(new RunInstancesCommand({
    ImageId: 'ami-12345678', MinCount: 1, MaxCount: 1, InstanceType: 't2.micro',
    ...(tags.length === 0 ? {} : {TagSpecifications: [{ResourceType: 'instance', Tags: tags}]}),
  }))
  const instanceId = out.Instances?.[0]?.InstanceId ?? ''
  // The loopback address that carries its traffic (the demo back end names it); in a VPC the API's
  // PrivateIpAddress is the subnet address, its public address the loopback one.
  const record = t.engine.store.region('us-east-1').instances.find((candidate) => candidate.instanceId === instanceId)
  return {instanceId, privateIp: record?.privateIp ?? ''}
}

async function loadBalancer(name: string, instanceId: string): Promise<string> {
  await t.elb.send(new CreateLoadBalancerCommand({
    LoadBalancerName: name, AvailabilityZones: ['us-east-1a'],
    Listeners: [
      {Protocol: 'HTTP', LoadBalancerPort: 80, InstanceProtocol: 'HTTP', InstancePort: 8080},
      {Protocol: 'SSL', LoadBalancerPort: 443, InstanceProtocol: 'SSL', InstancePort: 8443, SSLCertificateId: certificateArn},
    ],
  }))
  await t.elb.send(new ConfigureHealthCheckCommand({
    LoadBalancerName: name,
    HealthCheck: {Target: 'HTTP:8080/', Interval: 5, Timeout: 2, HealthyThreshold: 2, UnhealthyThreshold: 2},
  }))
  await t.elb.send(new RegisterInstancesWithLoadBalancerCommand({LoadBalancerName: name, Instances: [{InstanceId: instanceId}]}))
  return (await t.admin.status()).loadBalancers.find((lb) => lb.name === name)?.address ?? ''
}

/** One HTTP/1.0 request over TLS (an SSL listener relays the bytes), the whole answer as text. */
function tlsGet(host: string, port: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect({host, port, rejectUnauthorized: false, timeout: 5_000}, () => {
      socket.end('GET /over-ssl HTTP/1.0\r\nHost: lb\r\n\r\n')
    })
    let text = ''
    socket.setEncoding('utf8')
    socket.on('data', (chunk: string) => { text += chunk })
    socket.on('end', () => { resolve(text) })
    socket.on('timeout', () => socket.destroy(new Error('timed out')))
    socket.on('error', reject)
  })
}

function servedPorts(instanceId: string): Promise<string[]> {
  return t.admin.status().then((status) => status.backends
    .filter((row) => row.instanceId === instanceId && row.state === 'listening')
    .map((row) => `${row.protocol}:${row.port}`).sort())
}

describe('instances launched with no elb-local tag', () => {
  test('serve what their load balancer sends them, go InService and answer through HTTP and SSL listeners', async () => {
    const {instanceId, privateIp} = await launch()
    expect(await servedPorts(instanceId)).toEqual([])
    const address = await loadBalancer('derived-lb', instanceId)
    // The runner applied the registration before the API answered.
    expect(await servedPorts(instanceId)).toEqual(['http:8080', 'https:8443'])
    await eventually(async () => {
      const health = await t.elb.send(new DescribeInstanceHealthCommand({LoadBalancerName: 'derived-lb'}))
      return health.InstanceStates?.[0]?.State === 'InService' ? true : undefined
    }, 15_000, 'InService')

    const plain = await getRoot(false, address, 80 + offset)
    expect(plain.status).toBe(200)
    expect(JSON.parse(plain.body)).toMatchObject({instanceId, privateIp, port: 8080, protocol: 'http', request: {url: '/'}})

    const secure = await tlsGet(address, 443 + offset)
    expect(secure).toMatch(/^HTTP\/1\.[01] 200 /)
    expect(JSON.parse(secure.slice(secure.indexOf('\r\n\r\n') + 4))).toMatchObject({instanceId, port: 8443, protocol: 'https', request: {url: '/over-ssl'}})
  }, 60_000)

  test('a listener change opens and closes the ports it derives; a health check on a new port adds it', async () => {
    const {instanceId} = await launch()
    await loadBalancer('derived-change', instanceId)
    await t.elb.send(new CreateLoadBalancerListenersCommand({
      LoadBalancerName: 'derived-change', Listeners: [{Protocol: 'TCP', LoadBalancerPort: 9000, InstanceProtocol: 'TCP', InstancePort: 9001}],
    }))
    expect(await servedPorts(instanceId)).toEqual(['http:8080', 'http:9001', 'https:8443'])
    await t.elb.send(new DeleteLoadBalancerListenersCommand({LoadBalancerName: 'derived-change', LoadBalancerPorts: [443, 9000]}))
    expect(await servedPorts(instanceId)).toEqual(['http:8080'])
    await t.elb.send(new ConfigureHealthCheckCommand({
      LoadBalancerName: 'derived-change',
      HealthCheck: {Target: 'SSL:7443', Interval: 5, Timeout: 2, HealthyThreshold: 2, UnhealthyThreshold: 2},
    }))
    expect(await servedPorts(instanceId)).toEqual(['http:8080', 'https:7443'])
  }, 60_000)

  test('a deregistered instance keeps its derived back ends while its connections drain; stopping it closes them at once', async () => {
    const draining = async (name: string) => {
      const {instanceId} = await launch()
      await loadBalancer(name, instanceId)
      await t.elb.send(new ModifyLoadBalancerAttributesCommand({
        LoadBalancerName: name, LoadBalancerAttributes: {ConnectionDraining: {Enabled: true, Timeout: 300}},
      }))
      await t.elb.send(new DeregisterInstancesFromLoadBalancerCommand({LoadBalancerName: name, Instances: [{InstanceId: instanceId}]}))
      return instanceId
    }
    const drained = await draining('derived-drain')
    const deregistered = Date.now()
    expect(await servedPorts(drained)).toEqual(['http:8080', 'https:8443'])
    // 300 s of draining at the test engine's time scale (0.01): 3 s.
    await eventually(async () => ((await servedPorts(drained)).length === 0 ? true : undefined), 15_000, 'the back ends closed after draining')
    expect(Date.now() - deregistered).toBeGreaterThanOrEqual(2_500)

    const stopped = await draining('derived-stop')
    expect(await servedPorts(stopped)).toEqual(['http:8080', 'https:8443'])
    await t.stopInstances(stopped)
    expect(await servedPorts(stopped)).toEqual([])
  }, 60_000)

  test('an elb-local:serve tag still says exactly what the instance serves', async () => {
    const {instanceId} = await launch([{Key: 'elb-local:serve', Value: 'http:8080'}])
    const address = await loadBalancer('tagged-lb', instanceId)
    expect(await servedPorts(instanceId)).toEqual(['http:8080'])
    await eventually(async () => {
      const health = await t.elb.send(new DescribeInstanceHealthCommand({LoadBalancerName: 'tagged-lb'}))
      return health.InstanceStates?.[0]?.State === 'InService' ? true : undefined
    }, 15_000, 'InService')
    expect((await getRoot(false, address, 80 + offset)).status).toBe(200)
    // Nothing answers on 8443: the SSL listener has no instance to relay to.
    expect(await tlsGet(address, 443 + offset).catch(() => '')).not.toMatch(/200/)
  }, 60_000)
})
