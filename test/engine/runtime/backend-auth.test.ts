import {execFileSync} from 'node:child_process'
import {request} from 'node:http'
import {join} from 'node:path'
import {
  ConfigureHealthCheckCommand, CreateLoadBalancerCommand, CreateLoadBalancerPolicyCommand, DescribeInstanceHealthCommand,
  RegisterInstancesWithLoadBalancerCommand, SetLoadBalancerPoliciesForBackendServerCommand,
} from '@aws-sdk/client-elastic-load-balancing'
import {afterAll, beforeAll, describe, expect, it} from '@jest/globals'
import {eventually, startTestEngine, type TestEngine} from '../../helpers/engine.js'

function get(host: string, port: number): Promise<{status: number; body: string}> {
  return new Promise((resolve, reject) => {
    const req = request({host, port, path: '/', agent: false}, (res) => {
      const chunks: Buffer[] = []
      res.on('data', (chunk: Buffer) => chunks.push(chunk))
      res.on('end', () => { resolve({status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8')}); })
    })
    req.setTimeout(5000, () => req.destroy(new Error('timeout')))
    req.on('error', reject)
    req.end()
  })
}

/** The seed guide's step: the instance's public key, as `openssl x509 -pubkey` prints it, without armour. */
function opensslPublicKey(certFile: string): string {
  return execFileSync('openssl', ['x509', '-in', certFile, '-pubkey', '-noout'], {encoding: 'utf8'})
    .replace(/-----(BEGIN|END) PUBLIC KEY-----|\s/g, '')
}

describe('back-end server authentication against a demo HTTPS instance (the seed guide\'s steps)', () => {
  let t: TestEngine
  let address = ''
  let instanceId = ''
  const lb = 'MyLoadBalancer'
  const lbPort = 19000 + Math.floor(Math.random() * 1000)

  beforeAll(async () => {
    t = await startTestEngine({timeScale: 0.02})
    const [instance] = await t.runInstances({serve: [{protocol: 'https', port: 8443}]})
    instanceId = instance?.instanceId ?? ''
    await t.elb.send(new CreateLoadBalancerCommand({
      LoadBalancerName: lb,
      Listeners: [{Protocol: 'HTTP', LoadBalancerPort: lbPort, InstanceProtocol: 'HTTPS', InstancePort: 8443}],
      AvailabilityZones: ['us-east-1a'],
    }))
    await t.elb.send(new ConfigureHealthCheckCommand({
      LoadBalancerName: lb,
      HealthCheck: {Target: 'HTTPS:8443/ping', Interval: 5, Timeout: 2, UnhealthyThreshold: 2, HealthyThreshold: 2},
    }))
    await t.elb.send(new RegisterInstancesWithLoadBalancerCommand({LoadBalancerName: lb, Instances: [{InstanceId: instanceId}]}))
    address = (await t.admin.status()).loadBalancers.find((entry) => entry.name === lb)?.address ?? ''
    await eventually(async () => {
      const out = await t.elb.send(new DescribeInstanceHealthCommand({LoadBalancerName: lb}))
      return out.InstanceStates?.[0]?.State === 'InService' ? true : undefined
    }, 10_000, 'InService over HTTPS probes')
  })
  afterAll(async () => {
    await t.close()
  })

  async function authenticateWith(publicKey: string, suffix: string): Promise<void> {
    await t.elb.send(new CreateLoadBalancerPolicyCommand({
      LoadBalancerName: lb, PolicyName: `MyPublicKeyPolicy${suffix}`, PolicyTypeName: 'PublicKeyPolicyType',
      PolicyAttributes: [{AttributeName: 'PublicKey', AttributeValue: publicKey}],
    }))
    await t.elb.send(new CreateLoadBalancerPolicyCommand({
      LoadBalancerName: lb, PolicyName: `MyBackendServerAuthenticationPolicy${suffix}`, PolicyTypeName: 'BackendServerAuthenticationPolicyType',
      PolicyAttributes: [{AttributeName: 'PublicKeyPolicyName', AttributeValue: `MyPublicKeyPolicy${suffix}`}],
    }))
    await t.elb.send(new SetLoadBalancerPoliciesForBackendServerCommand({
      LoadBalancerName: lb, InstancePort: 8443, PolicyNames: [`MyBackendServerAuthenticationPolicy${suffix}`],
    }))
  }

  it('talks to the instance only when its key matches the policy', async () => {
    expect((await get(address, lbPort)).status).toBe(200)

    // Another instance's key: the load balancer refuses to talk to ours.
    const [other] = await t.runInstances({serve: [{protocol: 'https', port: 8444}]})
    await eventually(() => (t.engine.runner.status().some((row) => row.instanceId === other?.instanceId && row.state === 'listening') ? true : undefined))
    await authenticateWith(opensslPublicKey(join(t.home, 'instances', other?.instanceId ?? '', 'cert.pem')), 'Wrong')
    expect((await get(address, lbPort)).status).toBe(502)

    // The instance's own key, extracted with openssl as in the guide.
    await authenticateWith(opensslPublicKey(join(t.home, 'instances', instanceId, 'cert.pem')), '')
    const answer = await get(address, lbPort)
    expect(answer.status).toBe(200)
    expect(JSON.parse(answer.body)).toMatchObject({instanceId, protocol: 'https', port: 8443})
  })
})
