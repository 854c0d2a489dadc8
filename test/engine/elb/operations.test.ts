import {
  AddTagsCommand,
  ApplySecurityGroupsToLoadBalancerCommand,
  AttachLoadBalancerToSubnetsCommand,
  CertificateNotFoundException,
  ConfigureHealthCheckCommand,
  CreateAppCookieStickinessPolicyCommand,
  CreateLBCookieStickinessPolicyCommand,
  CreateLoadBalancerCommand,
  CreateLoadBalancerListenersCommand,
  CreateLoadBalancerPolicyCommand,
  DeleteLoadBalancerListenersCommand,
  DeleteLoadBalancerPolicyCommand,
  DeregisterInstancesFromLoadBalancerCommand,
  DescribeInstanceHealthCommand,
  DescribeLoadBalancerPoliciesCommand,
  DescribeLoadBalancerPolicyTypesCommand,
  DescribeLoadBalancersCommand,
  DescribeTagsCommand,
  DetachLoadBalancerFromSubnetsCommand,
  DisableAvailabilityZonesForLoadBalancerCommand,
  DuplicateListenerException,
  DuplicatePolicyNameException,
  DuplicateTagKeysException,
  EnableAvailabilityZonesForLoadBalancerCommand,
  InvalidConfigurationRequestException,
  InvalidEndPointException,
  ListenerNotFoundException,
  LoadBalancerAttributeNotFoundException,
  ModifyLoadBalancerAttributesCommand,
  PolicyNotFoundException,
  PolicyTypeNotFoundException,
  RegisterInstancesWithLoadBalancerCommand,
  RemoveTagsCommand,
  SetLoadBalancerListenerSSLCertificateCommand,
  SetLoadBalancerPoliciesForBackendServerCommand,
  SetLoadBalancerPoliciesOfListenerCommand,
  TooManyTagsException,
  UnsupportedProtocolException,
  waitUntilInstanceDeregistered,
} from '@aws-sdk/client-elastic-load-balancing'
import {UploadServerCertificateCommand} from '@aws-sdk/client-iam'
import {InstanceService} from '../../../src/engine/model/instance-service.js'
import {startApiServer, type ApiServerHandle, elbRejection} from '../../helpers/api-server.js'
import {makePki, type Pki} from '../iam/pki.js'

/** Every other Classic ELB operation through the SDK: success shapes and each modelled error. */

let pki: Pki
let api: ApiServerHandle
const LoadBalancerName = 'web'

beforeAll(() => {
  pki = makePki()
})

beforeEach(async () => {
  api = await startApiServer()
  await api.elb.send(new CreateLoadBalancerCommand({
    LoadBalancerName,
    Listeners: [{Protocol: 'HTTP', LoadBalancerPort: 80, InstancePort: 8080}, {Protocol: 'TCP', LoadBalancerPort: 25, InstancePort: 2525}],
    AvailabilityZones: ['us-east-1a'],
  }))
})

afterEach(async () => {
  await api.close()
})

async function uploadCertificate(name: string): Promise<string> {
  const out = await api.iam.send(new UploadServerCertificateCommand({ServerCertificateName: name, CertificateBody: pki.selfSignedCert, PrivateKey: pki.selfSignedKey}))
  return out.ServerCertificateMetadata?.Arn ?? ''
}

async function describe() {
  const out = await api.elb.send(new DescribeLoadBalancersCommand({LoadBalancerNames: [LoadBalancerName]}))
  const lb = out.LoadBalancerDescriptions?.[0]
  if (lb === undefined) throw new Error('load balancer missing')
  return lb
}

it('creates and deletes listeners, sets certificates, with the listener errors', async () => {
  const arn = await uploadCertificate('site')
  await api.elb.send(new CreateLoadBalancerListenersCommand({
    LoadBalancerName,
    Listeners: [{Protocol: 'https', LoadBalancerPort: 443, InstancePort: 8080, SSLCertificateId: arn}],
  }))
  expect((await describe()).ListenerDescriptions?.[2]).toEqual({
    Listener: {Protocol: 'HTTPS', LoadBalancerPort: 443, InstanceProtocol: 'HTTP', InstancePort: 8080, SSLCertificateId: arn},
    PolicyNames: ['ELBSecurityPolicy-2016-08'],
  })

  const duplicate = await elbRejection(api.elb.send(new CreateLoadBalancerListenersCommand({
    LoadBalancerName, Listeners: [{Protocol: 'HTTP', LoadBalancerPort: 80, InstancePort: 9999}],
  })))
  expect(duplicate).toBeInstanceOf(DuplicateListenerException)
  expect(duplicate.message).toBe('A listener already exists for web with LoadBalancerPort 80, but with a different InstancePort, Protocol, or SSLCertificateId')

  const badCertificate = await elbRejection(api.elb.send(new CreateLoadBalancerListenersCommand({
    LoadBalancerName, Listeners: [{Protocol: 'SSL', LoadBalancerPort: 465, InstancePort: 465, SSLCertificateId: `${arn}x`}],
  })))
  expect(badCertificate).toBeInstanceOf(CertificateNotFoundException)
  expect(badCertificate.message).toBe(`Server Certificate not found for the key: ${arn}x`)

  const noCertificate = await elbRejection(api.elb.send(new CreateLoadBalancerListenersCommand({
    LoadBalancerName, Listeners: [{Protocol: 'SSL', LoadBalancerPort: 465, InstancePort: 465}],
  })))
  expect(noCertificate.name).toBe('ValidationError')
  expect(noCertificate.message).toBe('Secure Listeners need to specify a SSLCertificateId')

  const pairing = await elbRejection(api.elb.send(new CreateLoadBalancerListenersCommand({
    LoadBalancerName, Listeners: [{Protocol: 'TCP', LoadBalancerPort: 26, InstanceProtocol: 'HTTP', InstancePort: 26}],
  })))
  expect(pairing).toBeInstanceOf(InvalidConfigurationRequestException)
  expect(pairing.$metadata.httpStatusCode).toBe(409)

  const protocol = await elbRejection(api.elb.send(new CreateLoadBalancerListenersCommand({
    LoadBalancerName, Listeners: [{Protocol: 'UDP', LoadBalancerPort: 53, InstancePort: 53}],
  })))
  expect(protocol).toBeInstanceOf(UnsupportedProtocolException)

  const other = await uploadCertificate('other')
  await api.elb.send(new SetLoadBalancerListenerSSLCertificateCommand({LoadBalancerName, LoadBalancerPort: 443, SSLCertificateId: other}))
  expect((await describe()).ListenerDescriptions?.[2]?.Listener?.SSLCertificateId).toBe(other)
  const noListener = await elbRejection(api.elb.send(new SetLoadBalancerListenerSSLCertificateCommand({LoadBalancerName, LoadBalancerPort: 444, SSLCertificateId: other})))
  expect(noListener).toBeInstanceOf(ListenerNotFoundException)

  await api.elb.send(new DeleteLoadBalancerListenersCommand({LoadBalancerName, LoadBalancerPorts: [443, 25]}))
  expect((await describe()).ListenerDescriptions?.map((d) => d.Listener?.LoadBalancerPort)).toEqual([80])
})

it('registers, describes and deregisters instances (InvalidEndPointException, waiter)', async () => {
  const instances = new InstanceService(api.store, {network: '127.0.251'})
  const [a, b] = [instances.runInstances('us-east-1', {})[0], instances.runInstances('us-east-1', {availabilityZone: 'us-east-1b'})[0]]
  const ids = [a?.instanceId ?? '', b?.instanceId ?? '']
  const out = await api.elb.send(new RegisterInstancesWithLoadBalancerCommand({LoadBalancerName, Instances: ids.map((InstanceId) => ({InstanceId}))}))
  expect(out.Instances).toEqual(ids.map((InstanceId) => ({InstanceId})))

  const health = await api.elb.send(new DescribeInstanceHealthCommand({LoadBalancerName, Instances: [{InstanceId: ids[1]}]}))
  expect(health.InstanceStates).toEqual([{
    InstanceId: ids[1],
    State: 'OutOfService',
    ReasonCode: 'ELB',
    Description: 'Instance is in the EC2 Availability Zone for which LoadBalancer is not configured to route traffic to.',
  }])

  const unknown = await elbRejection(api.elb.send(new RegisterInstancesWithLoadBalancerCommand({LoadBalancerName, Instances: [{InstanceId: 'i-00000000'}]})))
  expect(unknown).toBeInstanceOf(InvalidEndPointException)
  expect(unknown.message).toBe('Could not find EC2 instance i-00000000. Launch it on this engine first: elb-local run-instances --id i-00000000 (or EC2 RunInstances on this endpoint with the tag elb-local:instance-id=i-00000000).')
  const unknownHealth = await elbRejection(api.elb.send(new DescribeInstanceHealthCommand({LoadBalancerName, Instances: [{InstanceId: 'i-00000000'}]})))
  expect(unknownHealth).toBeInstanceOf(InvalidEndPointException)
  // An existing instance this load balancer never had: InvalidInstance, as on AWS (getmoto/moto#1751).
  const neverRegistered = instances.runInstances('us-east-1', {})[0]?.instanceId ?? ''
  const neverHealth = await elbRejection(api.elb.send(new DescribeInstanceHealthCommand({LoadBalancerName, Instances: [{InstanceId: neverRegistered}]})))
  expect(neverHealth).toBeInstanceOf(InvalidEndPointException)
  expect(neverHealth.message).toBe('The specified endpoint is not valid.')

  const remaining = await api.elb.send(new DeregisterInstancesFromLoadBalancerCommand({LoadBalancerName, Instances: [{InstanceId: ids[0]}]}))
  expect(remaining.Instances).toEqual([{InstanceId: ids[1]}])
  const notRegistered = await elbRejection(api.elb.send(new DeregisterInstancesFromLoadBalancerCommand({LoadBalancerName, Instances: [{InstanceId: ids[0]}]})))
  expect(notRegistered).toBeInstanceOf(InvalidEndPointException)
  expect(notRegistered.message).toBe(`Could not find EC2 instance ${ids[0] ?? ''}.`)

  // The SDK's InstanceDeregistered waiter: every named instance OutOfService.
  const waited = await waitUntilInstanceDeregistered(
    {client: api.elb, maxWaitTime: 5, minDelay: 1, maxDelay: 1},
    {LoadBalancerName, Instances: [{InstanceId: ids[0]}]},
  )
  expect(waited.state).toBe('SUCCESS')
})

it('configures the health check, rejecting bad targets with ValidationError', async () => {
  const out = await api.elb.send(new ConfigureHealthCheckCommand({
    LoadBalancerName, HealthCheck: {Target: 'HTTPS:8443/health?full=1', Interval: 10, Timeout: 5, UnhealthyThreshold: 3, HealthyThreshold: 4},
  }))
  expect(out.HealthCheck).toEqual({Target: 'HTTPS:8443/health?full=1', Interval: 10, Timeout: 5, UnhealthyThreshold: 3, HealthyThreshold: 4})
  const noPort = await elbRejection(api.elb.send(new ConfigureHealthCheckCommand({
    LoadBalancerName, HealthCheck: {Target: 'HTTP:/ping', Interval: 10, Timeout: 5, UnhealthyThreshold: 3, HealthyThreshold: 4},
  })))
  expect(noPort.name).toBe('ValidationError')
  expect(noPort.message).toBe('HealthCheck Target must specify a port number')
  const timeout = await elbRejection(api.elb.send(new ConfigureHealthCheckCommand({
    LoadBalancerName, HealthCheck: {Target: 'TCP:80', Interval: 10, Timeout: 10, UnhealthyThreshold: 3, HealthyThreshold: 4},
  })))
  expect(timeout.message).toBe('Health check interval must be greater than the timeout.')
  expect((await describe()).HealthCheck?.Target).toBe('HTTPS:8443/health?full=1')
})

it('creates, attaches, describes and deletes policies with the policy errors', async () => {
  await api.elb.send(new CreateAppCookieStickinessPolicyCommand({LoadBalancerName, PolicyName: 'app', CookieName: 'JSESSIONID'}))
  await api.elb.send(new CreateLBCookieStickinessPolicyCommand({LoadBalancerName, PolicyName: 'lb', CookieExpirationPeriod: 60}))
  await api.elb.send(new CreateLoadBalancerPolicyCommand({
    LoadBalancerName, PolicyName: 'proxy', PolicyTypeName: 'ProxyProtocolPolicyType', PolicyAttributes: [{AttributeName: 'ProxyProtocol', AttributeValue: 'true'}],
  }))
  await api.elb.send(new SetLoadBalancerPoliciesOfListenerCommand({LoadBalancerName, LoadBalancerPort: 80, PolicyNames: ['lb']}))
  await api.elb.send(new SetLoadBalancerPoliciesForBackendServerCommand({LoadBalancerName, InstancePort: 2525, PolicyNames: ['proxy']}))
  const lb = await describe()
  expect(lb.Policies).toEqual({
    AppCookieStickinessPolicies: [{PolicyName: 'app', CookieName: 'JSESSIONID'}],
    LBCookieStickinessPolicies: [{PolicyName: 'lb', CookieExpirationPeriod: 60}],
    OtherPolicies: ['proxy'],
  })
  expect(lb.ListenerDescriptions?.[0]?.PolicyNames).toEqual(['lb'])
  expect(lb.BackendServerDescriptions).toEqual([{InstancePort: 2525, PolicyNames: ['proxy']}])

  expect(await elbRejection(api.elb.send(new CreateLBCookieStickinessPolicyCommand({LoadBalancerName, PolicyName: 'app'})))).toBeInstanceOf(DuplicatePolicyNameException)
  expect(await elbRejection(api.elb.send(new CreateLoadBalancerPolicyCommand({LoadBalancerName, PolicyName: 'x', PolicyTypeName: 'NoType'})))).toBeInstanceOf(PolicyTypeNotFoundException)
  const enable = await elbRejection(api.elb.send(new SetLoadBalancerPoliciesOfListenerCommand({LoadBalancerName, LoadBalancerPort: 25, PolicyNames: ['proxy']})))
  expect(enable).toBeInstanceOf(InvalidConfigurationRequestException)
  expect(enable.message).toBe('proxy cannot be enabled')
  const noPolicy = await elbRejection(api.elb.send(new SetLoadBalancerPoliciesOfListenerCommand({LoadBalancerName, LoadBalancerPort: 80, PolicyNames: ['ELBSecurityPolicy-2014-10']})))
  expect(noPolicy).toBeInstanceOf(PolicyNotFoundException)
  expect(noPolicy.message).toBe('There is no policy with name ELBSecurityPolicy-2014-10 for load balancer web')
  expect(await elbRejection(api.elb.send(new SetLoadBalancerPoliciesOfListenerCommand({LoadBalancerName, LoadBalancerPort: 81, PolicyNames: []})))).toBeInstanceOf(ListenerNotFoundException)
  const inUse = await elbRejection(api.elb.send(new DeleteLoadBalancerPolicyCommand({LoadBalancerName, PolicyName: 'lb'})))
  expect(inUse).toBeInstanceOf(InvalidConfigurationRequestException)

  await api.elb.send(new SetLoadBalancerPoliciesOfListenerCommand({LoadBalancerName, LoadBalancerPort: 80, PolicyNames: []}))
  await api.elb.send(new DeleteLoadBalancerPolicyCommand({LoadBalancerName, PolicyName: 'lb'}))
  const remaining = await api.elb.send(new DescribeLoadBalancerPoliciesCommand({LoadBalancerName}))
  expect(remaining.PolicyDescriptions?.map((p) => p.PolicyName)).toEqual(['app', 'proxy'])
  expect(await elbRejection(api.elb.send(new DescribeLoadBalancerPoliciesCommand({LoadBalancerName, PolicyNames: ['lb']})))).toBeInstanceOf(PolicyNotFoundException)

  const samples = await api.elb.send(new DescribeLoadBalancerPoliciesCommand({}))
  expect(samples.PolicyDescriptions).toHaveLength(11)
  expect(samples.PolicyDescriptions?.[0]?.PolicyName).toBe('ELBSecurityPolicy-2016-08')

  const types = await api.elb.send(new DescribeLoadBalancerPolicyTypesCommand({PolicyTypeNames: ['BackendServerAuthenticationPolicyType']}))
  expect(types.PolicyTypeDescriptions?.[0]?.PolicyAttributeTypeDescriptions).toEqual([
    {AttributeName: 'PublicKeyPolicyName', AttributeType: 'PolicyName', Cardinality: 'ONE_OR_MORE'},
  ])
  expect(await elbRejection(api.elb.send(new DescribeLoadBalancerPolicyTypesCommand({PolicyTypeNames: ['Nope']})))).toBeInstanceOf(PolicyTypeNotFoundException)
})

it('enables and disables zones and refuses the VPC-only operations', async () => {
  const enabled = await api.elb.send(new EnableAvailabilityZonesForLoadBalancerCommand({LoadBalancerName, AvailabilityZones: ['us-east-1c']}))
  expect(enabled.AvailabilityZones).toEqual(['us-east-1a', 'us-east-1c'])
  const disabled = await api.elb.send(new DisableAvailabilityZonesForLoadBalancerCommand({LoadBalancerName, AvailabilityZones: ['us-east-1a']}))
  expect(disabled.AvailabilityZones).toEqual(['us-east-1c'])
  expect(await elbRejection(api.elb.send(new DisableAvailabilityZonesForLoadBalancerCommand({LoadBalancerName, AvailabilityZones: ['us-east-1c']})))).toBeInstanceOf(
    InvalidConfigurationRequestException,
  )
  for (const command of [
    new AttachLoadBalancerToSubnetsCommand({LoadBalancerName, Subnets: ['subnet-1']}),
    new DetachLoadBalancerFromSubnetsCommand({LoadBalancerName, Subnets: ['subnet-1']}),
  ]) {
    expect(await elbRejection(api.elb.send(command))).toBeInstanceOf(InvalidConfigurationRequestException)
  }
  expect(await elbRejection(api.elb.send(new ApplySecurityGroupsToLoadBalancerCommand({LoadBalancerName, SecurityGroups: ['sg-1']})))).toBeInstanceOf(
    InvalidConfigurationRequestException,
  )
})

it('modifies attributes (LoadBalancerAttributeNotFoundException) and manages tags', async () => {
  const modified = await api.elb.send(new ModifyLoadBalancerAttributesCommand({
    LoadBalancerName,
    LoadBalancerAttributes: {ConnectionDraining: {Enabled: true, Timeout: 30}, ConnectionSettings: {IdleTimeout: 300}},
  }))
  expect(modified).toMatchObject({
    LoadBalancerName,
    LoadBalancerAttributes: {ConnectionDraining: {Enabled: true, Timeout: 30}, ConnectionSettings: {IdleTimeout: 300}},
  })
  expect(modified.LoadBalancerAttributes?.CrossZoneLoadBalancing).toBeUndefined()
  const unknown = await elbRejection(api.elb.send(new ModifyLoadBalancerAttributesCommand({
    LoadBalancerName, LoadBalancerAttributes: {AdditionalAttributes: [{Key: 'elb.unknown', Value: 'x'}]},
  })))
  expect(unknown).toBeInstanceOf(LoadBalancerAttributeNotFoundException)

  await api.elb.send(new AddTagsCommand({LoadBalancerNames: [LoadBalancerName], Tags: [{Key: 'env', Value: 'dev'}, {Key: 'owner'}]}))
  await api.elb.send(new RemoveTagsCommand({LoadBalancerNames: [LoadBalancerName], Tags: [{Key: 'owner'}]}))
  const tags = await api.elb.send(new DescribeTagsCommand({LoadBalancerNames: [LoadBalancerName]}))
  expect(tags.TagDescriptions).toEqual([{LoadBalancerName, Tags: [{Key: 'env', Value: 'dev'}]}])
  expect(await elbRejection(api.elb.send(new AddTagsCommand({LoadBalancerNames: [LoadBalancerName], Tags: [{Key: 'a'}, {Key: 'a'}]})))).toBeInstanceOf(
    DuplicateTagKeysException,
  )
  const tooMany = await elbRejection(api.elb.send(new AddTagsCommand({
    LoadBalancerNames: [LoadBalancerName], Tags: Array.from({length: 10}, (_, i) => ({Key: `k${i}`})),
  })))
  expect(tooMany).toBeInstanceOf(TooManyTagsException)
  expect(tooMany.message).toBe('The quota for the number of tags that can be assigned to a load balancer has been reached.')
})
