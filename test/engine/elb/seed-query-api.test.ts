import {X509Certificate} from 'node:crypto'
import {
  ConfigureHealthCheckCommand,
  CreateLoadBalancerCommand,
  CreateLoadBalancerPolicyCommand,
  DescribeInstanceHealthCommand,
  DescribeLoadBalancerPoliciesCommand,
  DescribeLoadBalancersCommand,
  InvalidConfigurationRequestException,
  PolicyNotFoundException,
  RegisterInstancesWithLoadBalancerCommand,
  SetLoadBalancerPoliciesForBackendServerCommand,
  SetLoadBalancerPoliciesOfListenerCommand,
} from '@aws-sdk/client-elastic-load-balancing'
import {UploadServerCertificateCommand} from '@aws-sdk/client-iam'
import {InstanceService} from '../../../src/engine/model/instance-service.js'
import {startApiServer, type ApiServerHandle, elbRejection} from '../../helpers/api-server.js'
import {makePki, type Pki} from '../iam/pki.js'

/**
 * The seed page's "Using Query API" walk-through (shared/seeds), call by call, through the SDK:
 * certificate upload, a load balancer with HTTP and HTTPS listeners, a custom SSL negotiation
 * policy, back-end server authentication, the health check and the two instances.
 */

let pki: Pki
let api: ApiServerHandle

beforeAll(() => {
  pki = makePki()
})

beforeEach(async () => {
  api = await startApiServer()
})

afterEach(async () => {
  await api.close()
})

it('runs the seed Query API sequence', async () => {
  const LoadBalancerName = 'MyLoadBalancer'
  // UploadServerCertificate testCert, Path /
  const uploaded = await api.iam.send(new UploadServerCertificateCommand({
    ServerCertificateName: 'testCert', CertificateBody: pki.leafCert, PrivateKey: pki.leafKey, CertificateChain: pki.chain, Path: '/',
  }))
  const certificateArn = uploaded.ServerCertificateMetadata?.Arn ?? ''
  expect(certificateArn).toMatch(/^arn:aws:iam::\d{12}:server-certificate\/testCert$/)

  // CreateLoadBalancer with the two listeners in us-east-1a
  const created = await api.elb.send(new CreateLoadBalancerCommand({
    LoadBalancerName,
    AvailabilityZones: ['us-east-1a'],
    Listeners: [
      {Protocol: 'HTTP', InstanceProtocol: 'HTTP', InstancePort: 8080, LoadBalancerPort: 80},
      {Protocol: 'HTTPS', InstanceProtocol: 'HTTPS', InstancePort: 443, LoadBalancerPort: 443, SSLCertificateId: certificateArn},
    ],
  }))
  expect(created.DNSName).toMatch(/^MyLoadBalancer-\d+\.us-east-1\.elb\.amazonaws\.com$/)

  // DescribeLoadBalancerPolicies: the default cipher settings AWS put on the HTTPS listener
  const initial = await api.elb.send(new DescribeLoadBalancerPoliciesCommand({LoadBalancerName}))
  expect(initial.PolicyDescriptions?.map((p) => [p.PolicyName, p.PolicyTypeName])).toEqual([['ELBSecurityPolicy-2016-08', 'SSLNegotiationPolicyType']])

  // CreateLoadBalancerPolicy exactly as the page lists it (Protocol-TLSv1 only): every attribute the
  // request leaves out keeps the type's DefaultValue, so SSLv3 and the default ciphers stay enabled.
  await api.elb.send(new CreateLoadBalancerPolicyCommand({
    LoadBalancerName,
    PolicyName: 'MySSLNegotiationPolicy',
    PolicyTypeName: 'SSLNegotiationPolicyType',
    PolicyAttributes: [{AttributeName: 'Protocol-TLSv1', AttributeValue: 'true'}],
  }))
  await api.elb.send(new SetLoadBalancerPoliciesOfListenerCommand({LoadBalancerName, LoadBalancerPort: 443, PolicyNames: ['MySSLNegotiationPolicy']}))
  const ssl = await api.elb.send(new DescribeLoadBalancerPoliciesCommand({LoadBalancerName, PolicyNames: ['MySSLNegotiationPolicy']}))
  const sslAttributes = ssl.PolicyDescriptions?.[0]?.PolicyAttributeDescriptions ?? []
  expect(sslAttributes).toHaveLength(93)
  expect(sslAttributes.filter((a) => a.AttributeValue === 'true').map((a) => a.AttributeName).sort()).toEqual(
    ['AES128-SHA', 'AES256-SHA', 'DES-CBC3-SHA', 'Protocol-SSLv3', 'Protocol-TLSv1', 'RC4-MD5', 'RC4-SHA'],
  )

  // "At least one protocol and one cipher" applies to the resulting set: turning every default cipher off is refused.
  const noCipher = await elbRejection(api.elb.send(new CreateLoadBalancerPolicyCommand({
    LoadBalancerName,
    PolicyName: 'NoCipherPolicy',
    PolicyTypeName: 'SSLNegotiationPolicyType',
    PolicyAttributes: ['AES128-SHA', 'AES256-SHA', 'DES-CBC3-SHA', 'RC4-SHA', 'RC4-MD5'].map((AttributeName) => ({AttributeName, AttributeValue: 'false'})),
  })))
  expect(noCipher).toBeInstanceOf(InvalidConfigurationRequestException)
  expect(noCipher.$metadata.httpStatusCode).toBe(409)
  expect(noCipher.message).toBe('An SSL negotiation policy must enable at least one protocol and one cipher.')

  // Back-end server authentication: a public key policy, the authentication policy, port 443.
  const publicKey = new X509Certificate(pki.selfSignedCert).publicKey.export({type: 'spki', format: 'der'}).toString('base64')
  await api.elb.send(new CreateLoadBalancerPolicyCommand({
    LoadBalancerName,
    PolicyName: 'MyPublicKeyPolicy',
    PolicyTypeName: 'PublicKeyPolicyType',
    PolicyAttributes: [{AttributeName: 'PublicKey', AttributeValue: publicKey}],
  }))
  await api.elb.send(new CreateLoadBalancerPolicyCommand({
    LoadBalancerName,
    PolicyName: 'MyBackendServerAuthenticationPolicy',
    PolicyTypeName: 'BackendServerAuthenticationPolicyType',
    PolicyAttributes: [{AttributeName: 'PublicKeyPolicyName', AttributeValue: 'MyPublicKeyPolicy'}],
  }))
  await api.elb.send(new SetLoadBalancerPoliciesForBackendServerCommand({
    LoadBalancerName, InstancePort: 443, PolicyNames: ['MyBackendServerAuthenticationPolicy'],
  }))
  // The command line variant of the page names a policy it never created.
  const wrongName = await elbRejection(api.elb.send(new SetLoadBalancerPoliciesForBackendServerCommand({
    LoadBalancerName, InstancePort: 443, PolicyNames: ['MyBackendAuthenticationPolicy'],
  })))
  expect(wrongName).toBeInstanceOf(PolicyNotFoundException)
  expect(wrongName.message).toBe('There is no policy with name MyBackendAuthenticationPolicy for load balancer MyLoadBalancer')

  const all = await api.elb.send(new DescribeLoadBalancerPoliciesCommand({LoadBalancerName}))
  expect(all.PolicyDescriptions?.map((p) => p.PolicyName)).toEqual([
    'ELBSecurityPolicy-2016-08', 'MySSLNegotiationPolicy', 'MyPublicKeyPolicy', 'MyBackendServerAuthenticationPolicy',
  ])
  const auth = await api.elb.send(new DescribeLoadBalancerPoliciesCommand({LoadBalancerName, PolicyNames: ['MyBackendServerAuthenticationPolicy']}))
  expect(auth.PolicyDescriptions).toEqual([{
    PolicyName: 'MyBackendServerAuthenticationPolicy',
    PolicyTypeName: 'BackendServerAuthenticationPolicyType',
    PolicyAttributeDescriptions: [{AttributeName: 'PublicKeyPolicyName', AttributeValue: 'MyPublicKeyPolicy'}],
  }])

  // ConfigureHealthCheck http:8080/ping 30/3/2/2
  const health = await api.elb.send(new ConfigureHealthCheckCommand({
    LoadBalancerName, HealthCheck: {Target: 'http:8080/ping', Interval: 30, Timeout: 3, HealthyThreshold: 2, UnhealthyThreshold: 2},
  }))
  expect(health.HealthCheck).toEqual({Target: 'http:8080/ping', Interval: 30, Timeout: 3, HealthyThreshold: 2, UnhealthyThreshold: 2})

  // RegisterInstancesWithLoadBalancer [i-4f8cf126, i-0bb7ca62], launched in us-east-1a first.
  const instances = new InstanceService(api.store, {network: '127.0.250'})
  instances.runInstances('us-east-1', {instanceId: 'i-4f8cf126'})
  instances.runInstances('us-east-1', {instanceId: 'i-0bb7ca62'})
  const registered = await api.elb.send(new RegisterInstancesWithLoadBalancerCommand({
    LoadBalancerName, Instances: [{InstanceId: 'i-4f8cf126'}, {InstanceId: 'i-0bb7ca62'}],
  }))
  expect(registered.Instances).toEqual([{InstanceId: 'i-4f8cf126'}, {InstanceId: 'i-0bb7ca62'}])
  const states = await api.elb.send(new DescribeInstanceHealthCommand({LoadBalancerName}))
  expect(states.InstanceStates?.map((s) => s.InstanceId)).toEqual(['i-4f8cf126', 'i-0bb7ca62'])
  for (const state of states.InstanceStates ?? []) expect(['InService', 'OutOfService']).toContain(state.State)

  const [lb] = (await api.elb.send(new DescribeLoadBalancersCommand({LoadBalancerNames: [LoadBalancerName]}))).LoadBalancerDescriptions ?? []
  expect(lb?.ListenerDescriptions?.map((d) => [d.Listener?.Protocol, d.Listener?.LoadBalancerPort, d.PolicyNames])).toEqual([
    ['HTTP', 80, []],
    ['HTTPS', 443, ['MySSLNegotiationPolicy']],
  ])
  expect(lb?.BackendServerDescriptions).toEqual([{InstancePort: 443, PolicyNames: ['MyBackendServerAuthenticationPolicy']}])
  expect(lb?.Policies?.OtherPolicies).toEqual(['ELBSecurityPolicy-2016-08', 'MySSLNegotiationPolicy', 'MyPublicKeyPolicy', 'MyBackendServerAuthenticationPolicy'])
  expect(lb?.HealthCheck?.Target).toBe('http:8080/ping')
  expect(lb?.Instances).toEqual([{InstanceId: 'i-4f8cf126'}, {InstanceId: 'i-0bb7ca62'}])
})
