import {
  AccessPointNotFoundException,
  ApplySecurityGroupsToLoadBalancerCommand,
  AttachLoadBalancerToSubnetsCommand,
  ConfigureHealthCheckCommand,
  CreateAppCookieStickinessPolicyCommand,
  CreateLBCookieStickinessPolicyCommand,
  CreateLoadBalancerCommand,
  CreateLoadBalancerListenersCommand,
  CreateLoadBalancerPolicyCommand,
  DeleteLoadBalancerCommand,
  DeleteLoadBalancerListenersCommand,
  DeleteLoadBalancerPolicyCommand,
  DeregisterInstancesFromLoadBalancerCommand,
  DescribeInstanceHealthCommand,
  DescribeLoadBalancerPoliciesCommand,
  DescribeLoadBalancerPolicyTypesCommand,
  DescribeLoadBalancersCommand,
  DetachLoadBalancerFromSubnetsCommand,
  DisableAvailabilityZonesForLoadBalancerCommand,
  ElasticLoadBalancingClient,
  ElasticLoadBalancingServiceException,
  EnableAvailabilityZonesForLoadBalancerCommand,
  InvalidConfigurationRequestException,
  RegisterInstancesWithLoadBalancerCommand,
  SetLoadBalancerListenerSSLCertificateCommand,
  SetLoadBalancerPoliciesForBackendServerCommand,
  SetLoadBalancerPoliciesOfListenerCommand,
} from '@aws-sdk/client-elastic-load-balancing'
import {mockClient} from 'aws-sdk-client-mock'
import 'aws-sdk-client-mock-jest'
import {MOCK_TARGET, runCli} from './run-cli.js'

const elb = mockClient(ElasticLoadBalancingClient)
beforeEach(() => elb.reset())

const usage = (name: string, synopsis: string): string =>
  `Usage:\n${name}\n${synopsis}For more information and a full list of options, run "${name} --help"\n`

describe('the seed tutorial command lines', () => {
  test('elb-create-lb with both listeners', async () => {
    elb.on(CreateLoadBalancerCommand).resolves({DNSName: 'MyLoadBalancer-2111276808.us-east-1.elb.amazonaws.com'})
    const run = await runCli('elb-create-lb', [
      'MyLoadBalancer',
      '--headers',
      '--listener',
      'lb-port=80,instance-port=8080,protocol=http,instance-protocol=http',
      '--listener',
      'lb-port=443,instance-port=443,protocol=https,instance-protocol=https, cert-id=arn:aws:iam::55555555555:server-certificate/production/myCert',
      '--availability-zones',
      'us-east-1a',
      ...MOCK_TARGET,
    ])
    expect(elb).toHaveReceivedCommandWith(CreateLoadBalancerCommand, {
      LoadBalancerName: 'MyLoadBalancer',
      Listeners: [
        {Protocol: 'http', LoadBalancerPort: 80, InstancePort: 8080, InstanceProtocol: 'http'},
        {
          Protocol: 'https',
          LoadBalancerPort: 443,
          InstancePort: 443,
          InstanceProtocol: 'https',
          SSLCertificateId: 'arn:aws:iam::55555555555:server-certificate/production/myCert',
        },
      ],
      AvailabilityZones: ['us-east-1a'],
    })
    expect(run).toEqual({stdout: 'DNS_NAME  DNS_NAME\nDNS_NAME  MyLoadBalancer-2111276808.us-east-1.elb.amazonaws.com\n', stderr: '', code: 0})
  })

  test('elb-describe-lb-policies MyLoadBalancer --headers', async () => {
    elb.on(DescribeLoadBalancerPoliciesCommand).resolves({
      PolicyDescriptions: [
        {PolicyName: 'MyAppStickinessPolicy', PolicyTypeName: 'AppCookieStickinessPolicyType'},
        {PolicyName: 'MyLBStickinessPolicy', PolicyTypeName: 'LBCookieStickinessPolicyType'},
        {PolicyName: 'MySSLNegotiationPolicy', PolicyTypeName: 'SSLNegotiationPolicyType'},
      ],
    })
    const run = await runCli('elb-describe-lb-policies', ['MyLoadBalancer', '--headers', ...MOCK_TARGET])
    expect(elb).toHaveReceivedCommandWith(DescribeLoadBalancerPoliciesCommand, {LoadBalancerName: 'MyLoadBalancer'})
    expect(run.stdout).toBe(
      'POLICY  NAME                    TYPE_NAME\n' +
        'POLICY  MyAppStickinessPolicy   AppCookieStickinessPolicyType\n' +
        'POLICY  MyLBStickinessPolicy    LBCookieStickinessPolicyType\n' +
        'POLICY  MySSLNegotiationPolicy  SSLNegotiationPolicyType\n',
    )
  })

  test('elb-describe-lb-policy-types SSLNegotiationPolicyType --show-long', async () => {
    elb.on(DescribeLoadBalancerPolicyTypesCommand).resolves({
      PolicyTypeDescriptions: [
        {
          PolicyTypeName: 'SSLNegotiationPolicyType',
          Description: 'Listener policy that defines the ciphers and protocols that will be accepted by the load balancer.',
          PolicyAttributeTypeDescriptions: [{AttributeName: 'Protocol-SSLv2', AttributeType: 'Boolean', Cardinality: 'ZERO_OR_ONE'}],
        },
      ],
    })
    const run = await runCli('elb-describe-lb-policy-types', ['SSLNegotiationPolicyType', '--show-long', ...MOCK_TARGET])
    expect(elb).toHaveReceivedCommandWith(DescribeLoadBalancerPolicyTypesCommand, {PolicyTypeNames: ['SSLNegotiationPolicyType']})
    expect(run.stdout).toBe(
      'POLICY_TYPE,SSLNegotiationPolicyType,Listener policy that defines the ciphers and protocols that will be accepted by the load balancer.,' +
        '"{name=Protocol-SSLv2,description=,type=Boolean,default-value=,cardinality=ZERO_OR_ONE}"\n',
    )
  })

  test('elb-create-lb-policy MySSLNegotiationPolicy with three attributes', async () => {
    elb.on(CreateLoadBalancerPolicyCommand).resolves({})
    const run = await runCli('elb-create-lb-policy', [
      'MyLoadBalancer',
      '--policy-name',
      'MySSLNegotiationPolicy',
      '--policy-type',
      'SSLNegotiationPolicyType',
      '--attribute',
      'name=Protocol-TLSv1,value=true',
      '--attribute',
      'name=Protocol-SSLv2,value=false',
      '--attribute',
      'name=DHE-RSA-AES256-SHA,value=true',
      ...MOCK_TARGET,
    ])
    expect(elb).toHaveReceivedCommandWith(CreateLoadBalancerPolicyCommand, {
      LoadBalancerName: 'MyLoadBalancer',
      PolicyName: 'MySSLNegotiationPolicy',
      PolicyTypeName: 'SSLNegotiationPolicyType',
      PolicyAttributes: [
        {AttributeName: 'Protocol-TLSv1', AttributeValue: 'true'},
        {AttributeName: 'Protocol-SSLv2', AttributeValue: 'false'},
        {AttributeName: 'DHE-RSA-AES256-SHA', AttributeValue: 'true'},
      ],
    })
    expect(run).toEqual({stdout: 'OK-Creating LoadBalancer Policy\n', stderr: '', code: 0})
  })

  test('elb-set-lb-policies-of-listener --policy-name (seed spelling)', async () => {
    elb.on(SetLoadBalancerPoliciesOfListenerCommand).resolves({})
    const run = await runCli('elb-set-lb-policies-of-listener', ['MyLoadBalancer', '--lb-port', '443', '--policy-name', 'MySSLNegotiationPolicy', ...MOCK_TARGET])
    expect(elb).toHaveReceivedCommandWith(SetLoadBalancerPoliciesOfListenerCommand, {
      LoadBalancerName: 'MyLoadBalancer',
      LoadBalancerPort: 443,
      PolicyNames: ['MySSLNegotiationPolicy'],
    })
    expect(run.stdout).toBe('OK-Setting Policies\n')
  })

  test('elb-describe-lb-policies --policy-names MySSLNegotiationPolicy', async () => {
    elb.on(DescribeLoadBalancerPoliciesCommand).resolves({
      PolicyDescriptions: [
        {
          PolicyName: 'MySSLNegotiationPolicy',
          PolicyTypeName: 'SSLNegotiationPolicyType',
          PolicyAttributeDescriptions: [
            {AttributeName: 'Protocol-SSLv2', AttributeValue: 'true'},
            {AttributeName: 'EDH-DSS-DES-CBC3-SHA', AttributeValue: 'false'},
          ],
        },
      ],
    })
    const run = await runCli('elb-describe-lb-policies', ['MyLoadBalancer', '--policy-names', 'MySSLNegotiationPolicy', '--show-long', '--headers', ...MOCK_TARGET])
    expect(elb).toHaveReceivedCommandWith(DescribeLoadBalancerPoliciesCommand, {LoadBalancerName: 'MyLoadBalancer', PolicyNames: ['MySSLNegotiationPolicy']})
    expect(run.stdout).toBe(
      'POLICY,NAME,TYPE_NAME,POLICY_ATTRIBUTE_DESCRIPTIONS\n' +
        'POLICY,MySSLNegotiationPolicy,SSLNegotiationPolicyType,"{name=Protocol-SSLv2,value=true},{name=EDH-DSS-DES-CBC3-SHA,value=false}"\n',
    )
  })

  test('elb-create-lb-policy --policy-type-name PublicKeyPolicyType (seed spelling)', async () => {
    elb.on(CreateLoadBalancerPolicyCommand).resolves({})
    await runCli('elb-create-lb-policy', [
      'MyLoadBalancer',
      '--policy-name',
      'MyPublicKeyPolicy',
      '--policy-type-name',
      'PublicKeyPolicyType',
      '--attribute',
      'name=PublicKey,value=MIICiTCCAfICCQD6m7oRw0uXOjANBgkqhkiG9w0BAQUFADCBiDELMAkGA1UEBhMCVVMxCzAJBgNVBAgTAldBMRAwDgYDVQQHEwdTZWF0dGxlMQ8wDQYDVQQKEwZBbWF6EXAMPLE',
      ...MOCK_TARGET,
    ])
    expect(elb).toHaveReceivedCommandWith(CreateLoadBalancerPolicyCommand, {
      PolicyName: 'MyPublicKeyPolicy',
      PolicyTypeName: 'PublicKeyPolicyType',
      PolicyAttributes: [
        {
          AttributeName: 'PublicKey',
          AttributeValue:
            'MIICiTCCAfICCQD6m7oRw0uXOjANBgkqhkiG9w0BAQUFADCBiDELMAkGA1UEBhMCVVMxCzAJBgNVBAgTAldBMRAwDgYDVQQHEwdTZWF0dGxlMQ8wDQYDVQQKEwZBbWF6EXAMPLE',
        },
      ],
    })
  })

  test('elb-set-lb-policies-for-backend (seed alias)', async () => {
    elb.on(SetLoadBalancerPoliciesForBackendServerCommand).resolves({})
    const run = await runCli('elb-set-lb-policies-for-backend', ['MyLoadBalancer', '--instance-port', '443', '--policy-names', 'MyBackendAuthenticationPolicy', ...MOCK_TARGET])
    expect(elb).toHaveReceivedCommandWith(SetLoadBalancerPoliciesForBackendServerCommand, {
      LoadBalancerName: 'MyLoadBalancer',
      InstancePort: 443,
      PolicyNames: ['MyBackendAuthenticationPolicy'],
    })
    expect(run).toEqual({stdout: 'OK-Setting Policies\n', stderr: '', code: 0})
  })

  test('elb-configure-healthcheck --headers', async () => {
    elb.on(ConfigureHealthCheckCommand).resolves({
      HealthCheck: {Target: 'HTTP:8080/ping', Interval: 30, Timeout: 3, UnhealthyThreshold: 2, HealthyThreshold: 2},
    })
    const run = await runCli('elb-configure-healthcheck', [
      'MyLoadBalancer', '--headers', '--target', 'HTTP:8080/ping', '--interval', '30', '--timeout', '3',
      '--unhealthy-threshold', '2', '--healthy-threshold', '2', ...MOCK_TARGET,
    ])
    expect(elb).toHaveReceivedCommandWith(ConfigureHealthCheckCommand, {
      LoadBalancerName: 'MyLoadBalancer',
      HealthCheck: {Target: 'HTTP:8080/ping', Interval: 30, Timeout: 3, UnhealthyThreshold: 2, HealthyThreshold: 2},
    })
    expect(run.stdout).toBe(
      'HEALTH_CHECK  TARGET          INTERVAL  TIMEOUT  HEALTHY_THRESHOLD  UNHEALTHY_THRESHOLD\n' +
        'HEALTH_CHECK  HTTP:8080/ping  30        3        2                  2\n',
    )
  })

  test('elb-register-instances-with-lb --headers', async () => {
    elb.on(RegisterInstancesWithLoadBalancerCommand).resolves({Instances: [{InstanceId: 'i-4f8cf126'}, {InstanceId: 'i-0bb7ca62'}]})
    const run = await runCli('elb-register-instances-with-lb', ['MyLoadBalancer', '--headers', '--instances', 'i-4f8cf126,i-0bb7ca62', ...MOCK_TARGET])
    expect(elb).toHaveReceivedCommandWith(RegisterInstancesWithLoadBalancerCommand, {
      LoadBalancerName: 'MyLoadBalancer',
      Instances: [{InstanceId: 'i-4f8cf126'}, {InstanceId: 'i-0bb7ca62'}],
    })
    expect(run.stdout).toBe('INSTANCE_ID  INSTANCE_ID\nINSTANCE_ID  i-4f8cf126\nINSTANCE_ID  i-0bb7ca62\n')
  })
})

describe('fixed messages and record outputs', () => {
  const cases: [string, string[], unknown, object, string][] = [
    ['elb-create-lb-listeners', ['lb', '--listener', 'protocol=HTTPS, lb-port=443, instance-port=80, cert-id=arn:c'], CreateLoadBalancerListenersCommand, {}, 'OK-Creating LoadBalancer Listener\n'],
    ['elb-delete-lb-listeners', ['lb', '--lb-ports', '80,443', '--force'], DeleteLoadBalancerListenersCommand, {}, 'OK-Deleting LoadBalancer Listener\n'],
    ['elb-delete-lb', ['lb', '--force'], DeleteLoadBalancerCommand, {}, 'OK-Deleting LoadBalancer\n'],
    ['elb-create-app-cookie-stickiness-policy', ['lb', '--cookie-name', 'PHPSESSID', '--policy-name', 'followPHPPolicy'], CreateAppCookieStickinessPolicyCommand, {}, 'OK-Creating App Stickiness Policy\n'],
    ['elb-create-lb-cookie-stickiness-policy', ['lb', '--policy-name', 'fifteenMinutesPolicy', '--expiration-period', '900'], CreateLBCookieStickinessPolicyCommand, {}, 'OK-Creating LB Stickiness Policy\n'],
    ['elb-delete-lb-policy', ['lb', '--policy-name', 'EnableProxyProtocol'], DeleteLoadBalancerPolicyCommand, {}, 'OK-Deleting Policy\n'],
    ['elb-set-lb-listener-ssl-cert', ['lb', '--lb-port', '443', '--cert-id', 'arn:c'], SetLoadBalancerListenerSSLCertificateCommand, {}, 'OK-Setting SSL Certificate\n'],
    ['elb-enable-zones-for-lb', ['lb', '--headers', '--availability-zones', 'us-east-1c'], EnableAvailabilityZonesForLoadBalancerCommand, {AvailabilityZones: ['us-east-1a', 'us-east-1c']}, 'AVAILABILITY_ZONES  AVAILABILITY_ZONES\nAVAILABILITY_ZONES  us-east-1a, us-east-1c\n'],
    ['elb-disable-zones-for-lb', ['lb', '--availability-zones', 'us-east-1c'], DisableAvailabilityZonesForLoadBalancerCommand, {AvailabilityZones: []}, 'No Availability Zones found\n'],
    ['elb-enable-zones-for-lb', ['lb', '-z', 'x'], EnableAvailabilityZonesForLoadBalancerCommand, {AvailabilityZones: []}, 'No availability zones found\n'],
    ['elb-attach-lb-to-subnets', ['lb', '--headers', '--subnets', 'subnet-bbbb2222'], AttachLoadBalancerToSubnetsCommand, {Subnets: ['subnet-aaaa1111', 'subnet-bbbb2222']}, 'SUBNETS  SUBNETS\nSUBNETS  subnet-aaaa1111, subnet-bbbb2222\n'],
    ['elb-detach-lb-from-subnets', ['lb', '--headers', '--subnets', 'subnet-bbbb2222'], DetachLoadBalancerFromSubnetsCommand, {Subnets: []}, 'No Subnets found\n'],
    ['elb-apply-security-groups-to-lb', ['lb', '--security-groups', 'sg-1a2b3c4d,sg-5e6f7a8b'], ApplySecurityGroupsToLoadBalancerCommand, {SecurityGroups: ['sg-1a2b3c4d', 'sg-5e6f7a8b']}, 'SECURITYGROUPS  sg-1a2b3c4d, sg-5e6f7a8b\n'],
    ['elb-deregister-instances-from-lb', ['lb', '--instances', 'i-11111111'], DeregisterInstancesFromLoadBalancerCommand, {Instances: []}, 'No instances currently registered to LoadBalancer\n'],
    ['elb-describe-instance-health', ['my-lb', '--headers'], DescribeInstanceHealthCommand, {InstanceStates: []}, 'No instances currently registered to LoadBalancer\n'],
    ['elb-describe-lb-policies', ['my-lb'], DescribeLoadBalancerPoliciesCommand, {PolicyDescriptions: []}, 'No Policies found\n'],
    ['elb-describe-lbs', ['--headers'], DescribeLoadBalancersCommand, {LoadBalancerDescriptions: []}, ''],
  ]
  test.each(cases)('%s %j', async (name, argv, command, response, stdout) => {
    elb.on(command as typeof DeleteLoadBalancerCommand).resolves(response)
    const run = await runCli(name, [...argv, ...MOCK_TARGET])
    expect(run).toEqual({stdout, stderr: '', code: 0})
    expect(elb.commandCalls(command as typeof DeleteLoadBalancerCommand)).toHaveLength(1)
  })

  test('--quiet prints nothing; the display switch priority is table > long > xml > quiet', async () => {
    elb.on(DescribeInstanceHealthCommand).resolves({InstanceStates: [{InstanceId: 'i-1', State: 'InService', Description: 'N/A', ReasonCode: 'N/A'}]})
    expect((await runCli('elb-describe-instance-health', ['lb', '--quiet', ...MOCK_TARGET])).stdout).toBe('')
    expect((await runCli('elb-describe-instance-health', ['lb', '--show-long', '--quiet', '--show-table', ...MOCK_TARGET])).stdout).toBe(
      'INSTANCE_ID  i-1  InService  N/A  N/A\n',
    )
  })

  test('list values go out exactly as split: no trimming, empty elements dropped', async () => {
    elb.on(DeleteLoadBalancerListenersCommand).resolves({})
    elb.on(RegisterInstancesWithLoadBalancerCommand).resolves({Instances: [{InstanceId: 'i-1'}]})
    await runCli('elb-delete-lb-listeners', ['lb', '-l', '80,,443', '--force', ...MOCK_TARGET])
    expect(elb).toHaveReceivedCommandWith(DeleteLoadBalancerListenersCommand, {LoadBalancerName: 'lb', LoadBalancerPorts: [80, 443]})
    await runCli('elb-register-instances-with-lb', ['lb', '--instances', 'i-1, i-2', '--instances', 'i-3', ...MOCK_TARGET])
    expect(elb).toHaveReceivedCommandWith(RegisterInstancesWithLoadBalancerCommand, {
      Instances: [{InstanceId: 'i-1'}, {InstanceId: ' i-2'}, {InstanceId: 'i-3'}],
    })
  })

  test('describe-lbs names: positional list, --lbs not split on commas, --marker', async () => {
    elb.on(DescribeLoadBalancersCommand).resolves({LoadBalancerDescriptions: [], NextMarker: 'abcMARKER=='})
    const run = await runCli('elb-describe-lbs', ['a', 'b', '--marker', 'm', '--headers', ...MOCK_TARGET])
    expect(elb).toHaveReceivedCommandWith(DescribeLoadBalancersCommand, {LoadBalancerNames: ['a', 'b'], Marker: 'm'})
    expect(run.stdout).toBe('PAGINATION_MARKER\nabcMARKER==\n')
    await runCli('elb-describe-lbs', ['--lbs', 'example-lb1,example-lb2', ...MOCK_TARGET])
    expect(elb).toHaveReceivedNthCommandWith(2, DescribeLoadBalancersCommand, {LoadBalancerNames: ['example-lb1,example-lb2']})
  })
})

describe('the [Ny] delete prompt', () => {
  const prompt =
    '    \n    Warning: Deleting a LoadBalancer can lead to service disruption to any\n' +
    '    customers connected to the LoadBalancer. Are you sure you want to delete\n    this LoadBalancer? [Ny]'

  test.each([['y'], ['Y'], ['yes']])('%s deletes', async (answer) => {
    elb.on(DeleteLoadBalancerCommand).resolves({})
    const run = await runCli('elb-delete-lb', ['my-lb', ...MOCK_TARGET], {stdin: [answer]})
    expect(run).toEqual({stdout: `${prompt}OK-Deleting LoadBalancer\n`, stderr: '', code: 0})
  })

  test.each([[['n']], [[]]])('%j stops with exit 2 and sends nothing', async (stdin) => {
    const run = await runCli('elb-delete-lb', ['my-lb', ...MOCK_TARGET], {stdin})
    expect(run).toEqual({stdout: prompt, stderr: 'elb-delete-lb:  User stopped the execution of elb-delete-lb.\n\n', code: 2})
    expect(elb.calls()).toHaveLength(0)
  })
})

describe('errors', () => {
  const describeLbsUsage = usage('elb-describe-lbs', '       [LoadBalancerNames [LoadBalancerNames ...] ] [--marker  value ]\n        [General Options]\n')

  test('usage errors: stderr, usage block, exit 1, no request', async () => {
    const run = await runCli('elb-describe-lbs', ['--foo', ...MOCK_TARGET])
    expect(run).toEqual({stdout: '', stderr: `elb-describe-lbs:  Malformed input-Unrecognized option:  --foo\n${describeLbsUsage}`, code: 1})
    const missing = await runCli('elb-describe-instance-health', [...MOCK_TARGET])
    expect(missing.stderr).toBe(
      'elb-describe-instance-health:  Malformed input-Missing argument(s): --lb\n' +
        usage('elb-describe-instance-health', '        LoadBalancerName [--instances  value[,value...] ]  [General Options]\n'),
    )
    expect(elb.calls()).toHaveLength(0)
  })

  test('a modelled 400 (SDK class AccessPointNotFoundException) is Malformed input with the service text', async () => {
    elb.on(DescribeLoadBalancersCommand).rejects(
      new AccessPointNotFoundException({message: 'Cannot find Load Balancer nosuch-lb', $metadata: {httpStatusCode: 400}}),
    )
    const run = await runCli('elb-describe-lbs', ['nosuch-lb', '--headers', ...MOCK_TARGET])
    expect(run).toEqual({stdout: '', stderr: `elb-describe-lbs:  Malformed input-Cannot find Load Balancer nosuch-lb\n${describeLbsUsage}`, code: 1})
  })

  test('409 → 32, throttling → 32, 5xx → 30 (request id appended)', async () => {
    elb.on(SetLoadBalancerPoliciesOfListenerCommand).rejects(
      new InvalidConfigurationRequestException({message: 'Requested configuration change is invalid.', $metadata: {httpStatusCode: 409, requestId: 'rid-409'}}),
    )
    const conflict = await runCli('elb-set-lb-policies-of-listener', ['lb', '-l', '80', '-p', 'x', ...MOCK_TARGET])
    expect(conflict).toEqual({
      stdout: '',
      stderr: 'elb-set-lb-policies-of-listener:  Conflicting data provided: Requested configuration change is invalid. \n AWSRequestId:rid-409\n\n',
      code: 32,
    })
    const throttled = new ElasticLoadBalancingServiceException({name: 'Throttling', $fault: 'client', message: 'Rate exceeded', $metadata: {httpStatusCode: 400, requestId: 'rid'}})
    elb.on(DescribeLoadBalancersCommand).rejects(throttled)
    expect(await runCli('elb-describe-lbs', [...MOCK_TARGET])).toEqual({
      stdout: '',
      stderr: 'elb-describe-lbs:  Your request was throttled by the service: Rate exceeded  AWSRequestId:rid\n\n',
      code: 32,
    })
    const failure = new ElasticLoadBalancingServiceException({name: 'InternalFailure', $fault: 'server', message: 'An internal failure occurred', $metadata: {httpStatusCode: 500, requestId: 'rid-500'}})
    elb.on(DescribeLoadBalancersCommand).rejects(failure)
    expect(await runCli('elb-describe-lbs', [...MOCK_TARGET])).toEqual({
      stdout: '',
      stderr: 'elb-describe-lbs:  Service error: An internal failure occurred  AWSRequestId:rid-500\n\n',
      code: 30,
    })
  })
})
