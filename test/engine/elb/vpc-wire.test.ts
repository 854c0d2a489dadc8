import {castDraft} from 'immer'
import type {InstanceRecord, RegionState} from '../../../src/engine/model/types.js'
import {elbQuery, startApiServer, type ApiServerHandle} from '../../helpers/api-server.js'
import {instanceIn, vpcNetwork} from '../../unit/engine/elb/vpc-fixture.js'

/**
 * Classic ELB in a VPC account over the wire: each VPC error with AWS's code, message, HTTP status
 * and fault type in the XML envelope, and the VPC members of a LoadBalancerDescription in AWS's
 * element order (a real loopback socket, the engine's Query API).
 */

let api: ApiServerHandle

beforeAll(async () => {
  api = await startApiServer()
  const instances: InstanceRecord[] = [instanceIn('i-0000000a', {vpcId: 'vpc-custom', subnetId: 'subnet-ca'})]
  api.store.update((state) => {
    state.platform = 'vpc'
    const region: RegionState = {loadBalancers: [], instances, network: vpcNetwork()}
    state.regions['us-east-1'] = castDraft(region)
  })
})

afterAll(async () => {
  await api.close()
})

const query = (params: Record<string, string>) => elbQuery(api.endpoint, params)

const create = (name: string, place: Record<string, string>) => ({
  Action: 'CreateLoadBalancer', LoadBalancerName: name,
  'Listeners.member.1.Protocol': 'HTTP', 'Listeners.member.1.LoadBalancerPort': '80', 'Listeners.member.1.InstancePort': '8080',
  ...place,
})

const pick = (body: string, tag: string) => new RegExp(`<${tag}>([^<]*)</${tag}>`).exec(body)?.[1]

it('creates in subnets and describes VPCId, Subnets, SecurityGroups and SourceSecurityGroup in AWS\'s order', async () => {
  expect((await query(create('web', {'Subnets.member.1': 'subnet-da', 'SecurityGroups.member.1': 'sg-web'}))).status).toBe(200)
  const answer = await query({Action: 'DescribeLoadBalancers', 'LoadBalancerNames.member.1': 'web'})
  expect(answer.status).toBe(200)
  const body = answer.body.replace(/>\s+</g, '><')
  expect(body).toContain('<SecurityGroups><member>sg-web</member></SecurityGroups>')
  expect(body).toContain('<VPCId>vpc-default</VPCId>')
  expect(body).toContain('<Subnets><member>subnet-da</member></Subnets>')
  expect(body).toContain('<SourceSecurityGroup><OwnerAlias>123456789012</OwnerAlias><GroupName>web-elb</GroupName></SourceSecurityGroup>')
  const order = ['SecurityGroups', 'LoadBalancerName', 'CreatedTime', 'HealthCheck', 'VPCId', 'ListenerDescriptions']
  const positions = order.map((tag) => body.indexOf(`<${tag}>`))
  expect(positions).toEqual([...positions].sort((a, b) => a - b))
})

it('answers each VPC error with AWS\'s code, message, status and fault type', async () => {
  expect((await query(create('inside', {'Subnets.member.1': 'subnet-ca', Scheme: 'internal'}))).status).toBe(200)
  const cases: [Record<string, string>, number, string, string][] = [
    [create('both', {'AvailabilityZones.member.1': 'us-east-1a', 'Subnets.member.1': 'subnet-da'}), 400, 'ValidationError', 'Only one of SubnetIds or AvailabilityZones may be specified'],
    [create('gone', {'Subnets.member.1': 'subnet-nope'}), 400, 'SubnetNotFound', "The subnet ID 'subnet-nope' does not exist"],
    [create('twin', {'Subnets.member.1': 'subnet-ca', 'Subnets.member.2': 'subnet-ca2', Scheme: 'internal'}), 409, 'InvalidConfigurationRequest', 'ELB cannot be attached to multiple subnets in the same AZ.'],
    [create('mixed', {'Subnets.member.1': 'subnet-da', 'Subnets.member.2': 'subnet-cb'}), 409, 'InvalidConfigurationRequest', 'Subnet "subnet-cb" does not belong to VPC "vpc-default"'],
    [create('public', {'Subnets.member.1': 'subnet-ca'}), 400, 'InvalidSubnet', 'VPC vpc-custom has no internet gateway'],
    [create('nogroup', {'Subnets.member.1': 'subnet-da', 'SecurityGroups.member.1': 'sg-nope'}), 400, 'InvalidSecurityGroup', 'One or more of the specified security groups do not exist.'],
    [create('othergroup', {'Subnets.member.1': 'subnet-da', 'SecurityGroups.member.1': 'sg-custom'}), 409, 'InvalidConfigurationRequest', 'Security group "sg-custom" does not belong to VPC "vpc-default"'],
    [create('nozone', {'AvailabilityZones.member.1': 'us-east-1d'}), 409, 'InvalidConfigurationRequest', "No default subnet for availability zone: 'us-east-1d'."],
    [{Action: 'DetachLoadBalancerFromSubnets', LoadBalancerName: 'inside', 'Subnets.member.1': 'subnet-ca'}, 409, 'InvalidConfigurationRequest',
      'Cannot detach all subnets from the LoadBalancer; at least one must remain attached.'],
    [{Action: 'EnableAvailabilityZonesForLoadBalancer', LoadBalancerName: 'inside', 'AvailabilityZones.member.1': 'us-east-1b'}, 400, 'ValidationError',
      'You cannot enable Availability Zones for ELBs in a non default VPC'],
    [{Action: 'DisableAvailabilityZonesForLoadBalancer', LoadBalancerName: 'inside', 'AvailabilityZones.member.1': 'us-east-1a'}, 400, 'ValidationError',
      'You cannot disable Availability Zones for ELBs in VPC.'],
    [{Action: 'RegisterInstancesWithLoadBalancer', LoadBalancerName: 'web', 'Instances.member.1.InstanceId': 'i-0000000a'}, 400, 'InvalidInstance',
      'EC2 instance i-0000000a is not in the same VPC as ELB.'],
  ]
  for (const [params, status, code, message] of cases) {
    const answer = await query(params)
    expect({params, status: answer.status, type: pick(answer.body, 'Type'), code: pick(answer.body, 'Code'), message: pick(answer.body, 'Message')?.replaceAll('&quot;', '"')})
      .toEqual({params, status, type: 'Sender', code, message})
  }
  const {body} = await query({Action: 'DescribeLoadBalancers'})
  expect([...body.matchAll(/<LoadBalancerName>([^<]*)<\/LoadBalancerName>/g)].map((match) => match[1])).toEqual(['web', 'inside'])
})
