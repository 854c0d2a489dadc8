/**
 * The runtime reconciles only what each write changed (the store's change set). Every kind of change
 * must still reach it: observed on real sockets after each API call, with no restart in between.
 */
import {X509Certificate} from 'node:crypto'
import {request as httpRequest} from 'node:http'
import {connect as tlsConnect} from 'node:tls'
import {
  CreateLBCookieStickinessPolicyCommand,
  CreateLoadBalancerCommand,
  CreateLoadBalancerListenersCommand,
  DeleteLoadBalancerCommand,
  DeleteLoadBalancerListenersCommand,
  RegisterInstancesWithLoadBalancerCommand,
  SetLoadBalancerListenerSSLCertificateCommand,
  SetLoadBalancerPoliciesOfListenerCommand,
} from '@aws-sdk/client-elastic-load-balancing'
import {UploadServerCertificateCommand} from '@aws-sdk/client-iam'
import {afterAll, beforeAll, describe, expect, it} from '@jest/globals'
import {eventually, startTestEngine, type TestEngine} from '../../helpers/engine.js'
import {makePki, type Pki} from '../iam/pki.js'

const LB = 'change-sets'
const HTTP_PORT = 20_000 + 10 * Math.floor(Math.random() * 2000)
const HTTPS_PORT = HTTP_PORT + 1
const TCP_PORT = HTTP_PORT + 2

function get(host: string, port: number): Promise<{status: number; body: string; setCookie: string[]}> {
  return new Promise((resolve, reject) => {
    const req = httpRequest({host, port, path: '/'}, (res) => {
      let body = ''
      res.setEncoding('utf8')
      res.on('data', (chunk: string) => (body += chunk))
      res.on('end', () => { resolve({status: res.statusCode ?? 0, body, setCookie: res.headers['set-cookie'] ?? []}) })
    })
    req.on('error', reject)
    req.end()
  })
}

/** The SHA-256 fingerprint of the certificate a TLS listener presents. */
function presentedCertificate(host: string, port: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = tlsConnect({host, port, rejectUnauthorized: false}, () => {
      resolve(socket.getPeerX509Certificate()?.fingerprint256 ?? '')
      socket.destroy()
    })
    socket.on('error', reject)
  })
}

describe('change sets: every kind of write reaches the running data plane and health checker', () => {
  let t: TestEngine
  let pki: Pki
  let address = ''
  let instanceId = ''
  const arns: string[] = []
  const listeners = () => t.engine.dataPlane.listenerStatus().filter((s) => s.loadBalancerName === LB)
    .map((s) => `${s.loadBalancerPort}:${s.state}`).sort()

  beforeAll(async () => {
    pki = makePki()
    // EC2-Classic: listeners are added after creation here, which in the default VPC ELB's default_elb_
    // group would not admit (AWS: "review your security groups"); test/engine/dataplane/security-groups.test.ts covers that.
    t = await startTestEngine({platform: 'ec2-classic'})
    for (const [name, body, key] of [['first', pki.selfSignedCert, pki.selfSignedKey], ['second', pki.ecCert, pki.ecKey]] as const) {
      const uploaded = await t.iam.send(new UploadServerCertificateCommand({ServerCertificateName: name, CertificateBody: body, PrivateKey: key}))
      arns.push(uploaded.ServerCertificateMetadata?.Arn ?? '')
    }
    const [instance] = await t.runInstances({serve: [{protocol: 'http', port: 8080}]})
    instanceId = instance?.instanceId ?? ''
  }, 60_000)

  afterAll(async () => {
    await t.close()
  })

  it('create load balancer: its listener binds', async () => {
    await t.elb.send(new CreateLoadBalancerCommand({
      LoadBalancerName: LB, AvailabilityZones: [`${t.region}a`],
      Listeners: [{Protocol: 'HTTP', LoadBalancerPort: HTTP_PORT, InstanceProtocol: 'HTTP', InstancePort: 8080}],
    }))
    expect(listeners()).toEqual([`${HTTP_PORT}:bound`])
    address = t.engine.dataPlane.listenerStatus().find((s) => s.loadBalancerName === LB)?.address ?? ''
  })

  it('register instance: it is probed and gets traffic', async () => {
    await t.elb.send(new RegisterInstancesWithLoadBalancerCommand({LoadBalancerName: LB, Instances: [{InstanceId: instanceId}]}))
    expect(t.engine.health.summary().map((target) => `${target.loadBalancerName}/${target.instanceId}`)).toEqual([`${LB}/${instanceId}`])
    const reply = await eventually(async () => {
      const answer = await get(address, HTTP_PORT)
      return answer.status === 200 ? answer : undefined
    }, 15_000, 'a 200 through the load balancer')
    expect((JSON.parse(reply.body) as {instanceId: string}).instanceId).toBe(instanceId)
  })

  it('policy: a stickiness policy set on the listener takes effect', async () => {
    expect((await get(address, HTTP_PORT)).setCookie).toEqual([])
    await t.elb.send(new CreateLBCookieStickinessPolicyCommand({LoadBalancerName: LB, PolicyName: 'sticky', CookieExpirationPeriod: 60}))
    await t.elb.send(new SetLoadBalancerPoliciesOfListenerCommand({LoadBalancerName: LB, LoadBalancerPort: HTTP_PORT, PolicyNames: ['sticky']}))
    expect((await get(address, HTTP_PORT)).setCookie.join(';')).toMatch(/^AWSELB=/)
  })

  it('listeners: created ones bind, deleted ones close', async () => {
    await t.elb.send(new CreateLoadBalancerListenersCommand({LoadBalancerName: LB, Listeners: [
      {Protocol: 'HTTPS', LoadBalancerPort: HTTPS_PORT, InstanceProtocol: 'HTTP', InstancePort: 8080, SSLCertificateId: arns[0]},
      {Protocol: 'TCP', LoadBalancerPort: TCP_PORT, InstanceProtocol: 'TCP', InstancePort: 8080},
    ]}))
    expect(listeners()).toEqual([`${HTTP_PORT}:bound`, `${HTTPS_PORT}:bound`, `${TCP_PORT}:bound`])
    await t.elb.send(new DeleteLoadBalancerListenersCommand({LoadBalancerName: LB, LoadBalancerPorts: [TCP_PORT]}))
    expect(listeners()).toEqual([`${HTTP_PORT}:bound`, `${HTTPS_PORT}:bound`])
  })

  it('certificate swap: the HTTPS listener presents the new certificate', async () => {
    const [first, second] = [pki.selfSignedCert, pki.ecCert].map((pem) => new X509Certificate(pem).fingerprint256)
    expect(await presentedCertificate(address, HTTPS_PORT)).toBe(first)
    await t.elb.send(new SetLoadBalancerListenerSSLCertificateCommand({LoadBalancerName: LB, LoadBalancerPort: HTTPS_PORT, SSLCertificateId: arns[1]}))
    expect(await presentedCertificate(address, HTTPS_PORT)).toBe(second)
  })

  it('instance stopped: the health checker sees its EC2 state at once', async () => {
    await t.stopInstances(instanceId)
    const [target] = t.engine.health.summary()
    expect(target?.health).toMatchObject({state: 'OutOfService', reasonCode: 'Instance'})
  })

  it('delete load balancer: listeners close and probing stops', async () => {
    await t.elb.send(new DeleteLoadBalancerCommand({LoadBalancerName: LB}))
    expect(listeners()).toEqual([])
    expect(t.engine.health.summary()).toEqual([])
  })
})
