import {elbQuery, startApiServer, type ApiServerHandle} from '../../helpers/api-server.js'

/**
 * The ELB model's answers as they go over the wire: error codes, HTTP statuses and fault types in
 * the XML envelope, and the element order of a LoadBalancerDescription (what `--show-xml` prints).
 */

let api: ApiServerHandle

beforeEach(async () => {
  api = await startApiServer()
})

afterEach(async () => {
  await api.close()
})

const query = (params: Record<string, string>) => elbQuery(api.endpoint, params)

const createWeb = {
  Action: 'CreateLoadBalancer',
  LoadBalancerName: 'web',
  'AvailabilityZones.member.1': 'us-east-1a',
  'Listeners.member.1.Protocol': 'HTTP',
  'Listeners.member.1.LoadBalancerPort': '80',
  'Listeners.member.1.InstancePort': '8080',
}

function errorOf(body: string): {type?: string; code?: string; message?: string} {
  const pick = (tag: string) => new RegExp(`<${tag}>([^<]*)</${tag}>`).exec(body)?.[1]
  const type = pick('Type')
  const code = pick('Code')
  const message = pick('Message')
  return {...(type === undefined ? {} : {type}), ...(code === undefined ? {} : {code}), ...(message === undefined ? {} : {message})}
}

it('sends every modelled error with its wire code, status and fault type', async () => {
  expect((await query(createWeb)).status).toBe(200)
  const cases: [Record<string, string>, number, string, string][] = [
    [{Action: 'DescribeLoadBalancers', 'LoadBalancerNames.member.1': 'nope'}, 400, 'LoadBalancerNotFound', 'Cannot find Load Balancer nope'],
    [{Action: 'DescribeLoadBalancerAttributes', LoadBalancerName: 'nope'}, 400, 'LoadBalancerNotFound', "There is no ACTIVE Load Balancer named 'nope'"],
    [{...createWeb, 'Listeners.member.1.InstancePort': '9090'}, 400, 'DuplicateLoadBalancerName', "Load Balancer named 'web' already exists and it is configured with different parameters."],
    [
      {Action: 'CreateLoadBalancerListeners', LoadBalancerName: 'web', 'Listeners.member.1.Protocol': 'HTTP', 'Listeners.member.1.LoadBalancerPort': '80', 'Listeners.member.1.InstancePort': '81'},
      400, 'DuplicateListener', 'A listener already exists for web with LoadBalancerPort 80, but with a different InstancePort, Protocol, or SSLCertificateId',
    ],
    [
      {Action: 'CreateLoadBalancerListeners', LoadBalancerName: 'web', 'Listeners.member.1.Protocol': 'HTTPS', 'Listeners.member.1.LoadBalancerPort': '443', 'Listeners.member.1.InstancePort': '443', 'Listeners.member.1.SSLCertificateId': 'arn:aws:iam::123456789012:server-certificate/none'},
      400, 'CertificateNotFound', 'Server Certificate not found for the key: arn:aws:iam::123456789012:server-certificate/none',
    ],
    [
      {Action: 'CreateLoadBalancerListeners', LoadBalancerName: 'web', 'Listeners.member.1.Protocol': 'TCP', 'Listeners.member.1.LoadBalancerPort': '25', 'Listeners.member.1.InstanceProtocol': 'HTTP', 'Listeners.member.1.InstancePort': '25'},
      409, 'InvalidConfigurationRequest', 'Listener on LoadBalancerPort 25: InstanceProtocol HTTP cannot be used with Protocol TCP. HTTP and HTTPS listeners need an HTTP or HTTPS InstanceProtocol; TCP and SSL listeners need TCP or SSL.',
    ],
    [{Action: 'RegisterInstancesWithLoadBalancer', LoadBalancerName: 'web', 'Instances.member.1.InstanceId': 'i-12345678'}, 400, 'InvalidInstance', 'Could not find EC2 instance i-12345678. Launch it on this engine first: elb-local run-instances --id i-12345678 (or EC2 RunInstances on this endpoint with the tag elb-local:instance-id=i-12345678).'],
    [{Action: 'SetLoadBalancerPoliciesOfListener', LoadBalancerName: 'web', LoadBalancerPort: '81', PolicyNames: ''}, 400, 'ListenerNotFound', 'There is no listener with LoadBalancerPort 81 for load balancer web'],
    [{Action: 'SetLoadBalancerPoliciesForBackendServer', LoadBalancerName: 'web', InstancePort: '443', 'PolicyNames.member.1': 'MyBackendAuthenticationPolicy'}, 400, 'PolicyNotFound', 'There is no policy with name MyBackendAuthenticationPolicy for load balancer web'],
    [{Action: 'CreateLoadBalancerPolicy', LoadBalancerName: 'web', PolicyName: 'p', PolicyTypeName: 'NoSuchType'}, 400, 'PolicyTypeNotFound', 'There is no policy type with name NoSuchType'],
    [{Action: 'CreateLBCookieStickinessPolicy', LoadBalancerName: 'web', PolicyName: 'ELBSample-x'}, 409, 'InvalidConfigurationRequest', 'Policy name ELBSample-x is not valid: names beginning with ELBSecurityPolicy- or ELBSample- are reserved.'],
    [{Action: 'AddTags', 'LoadBalancerNames.member.1': 'web', 'Tags.member.1.Key': 'a', 'Tags.member.2.Key': 'a'}, 400, 'DuplicateTagKeys', 'A tag key was specified more than once: a'],
    [
      {Action: 'ModifyLoadBalancerAttributes', LoadBalancerName: 'web', 'LoadBalancerAttributes.AdditionalAttributes.member.1.Key': 'elb.x', 'LoadBalancerAttributes.AdditionalAttributes.member.1.Value': 'y'},
      400, 'LoadBalancerAttributeNotFound', 'The specified load balancer attribute does not exist: elb.x',
    ],
    [{...createWeb, LoadBalancerName: 'vpc', 'Subnets.member.1': 'subnet-12345678'}, 400, 'SubnetNotFound', "The subnet ID 'subnet-12345678' does not exist"],
    [{...createWeb, LoadBalancerName: 'sch', Scheme: 'private'}, 400, 'InvalidScheme', 'The specified value for the scheme is not valid: private. Valid values are internet-facing and internal.'],
    [{...createWeb, LoadBalancerName: 'proto', 'Listeners.member.1.Protocol': 'UDP'}, 400, 'UnsupportedProtocol', 'Protocol UDP is not supported. Valid protocols are HTTP, HTTPS, TCP and SSL.'],
    [{Action: 'DescribeLoadBalancerPolicyTypes', 'PolicyTypeNames.member.1': 'X'}, 400, 'PolicyTypeNotFound', 'There is no policy type with name X'],
  ]
  for (const [params, status, code, message] of cases) {
    const response = await query(params)
    expect({action: params['Action'], status: response.status, ...errorOf(response.body)}).toEqual({
      action: params['Action'],
      status,
      type: 'Sender',
      code,
      message,
    })
  }
})

it('writes a LoadBalancerDescription in the element order AWS sends', async () => {
  await query(createWeb)
  const {status, body} = await query({Action: 'DescribeLoadBalancers'})
  expect(status).toBe(200)
  const member = /<LoadBalancerDescriptions>\s*<member>([\s\S]*)<\/member>\s*<\/LoadBalancerDescriptions>/.exec(body)?.[1] ?? ''
  // Top-level children of the member, in document order.
  const order: string[] = []
  let depth = 0
  for (const match of member.matchAll(/<(\/?)([A-Za-z]+)(\/?)>/g)) {
    const [, closing, name = '', selfClosing] = match
    if (closing === '/') depth--
    else {
      if (depth === 0) order.push(name)
      if (selfClosing !== '/') depth++
    }
  }
  expect(order).toEqual([
    'SecurityGroups', 'LoadBalancerName', 'CreatedTime', 'HealthCheck', 'ListenerDescriptions', 'Instances', 'Policies',
    'AvailabilityZones', 'CanonicalHostedZoneName', 'CanonicalHostedZoneNameID', 'Scheme', 'DNSName',
    'BackendServerDescriptions', 'Subnets', 'SourceSecurityGroup',
  ])
  expect(body).toMatch(/<CreatedTime>\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z<\/CreatedTime>/)
  const healthCheck = /<HealthCheck>([\s\S]*?)<\/HealthCheck>/.exec(body)?.[1] ?? ''
  expect([...healthCheck.matchAll(/<([A-Za-z]+)>([^<]*)<\/\1>/g)].map((m) => `${m[1] ?? ''}=${m[2] ?? ''}`)).toEqual([
    'Interval=30', 'Target=TCP:8080', 'HealthyThreshold=10', 'Timeout=5', 'UnhealthyThreshold=2',
  ])
  expect(body).not.toContain('<NextMarker')
})
