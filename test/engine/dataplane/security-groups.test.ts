import {afterAll, beforeAll, describe, expect, test} from '@jest/globals'
import {
  AuthorizeSecurityGroupEgressCommand,
  AuthorizeSecurityGroupIngressCommand,
  CreateSecurityGroupCommand,
  EC2Client,
  RevokeSecurityGroupEgressCommand,
  RevokeSecurityGroupIngressCommand,
  type IpPermission,
} from '@aws-sdk/client-ec2'
import {
  ConfigureHealthCheckCommand,
  CreateLoadBalancerCommand,
  DescribeInstanceHealthCommand,
  RegisterInstancesWithLoadBalancerCommand,
  type InstanceState,
} from '@aws-sdk/client-elastic-load-balancing'
import {connect, type Socket} from 'node:net'
import {Agent, request} from 'node:http'
import type {InstanceRecord, LoadBalancerRecord} from '../../../src/engine/model/types.js'
import {eventually, startTestEngine, TEST_CREDENTIALS, type TestEngine} from '../../helpers/engine.js'
import {ensureDefaultNetwork, type DefaultNetwork} from '../../helpers/vpc-records.js'

/**
 * Security groups that really filter traffic, through the whole engine on loopback: a listener
 * whose load balancer's groups do not admit the client closes the connection without a byte; the
 * load balancer reaches its instance (traffic and health checks) only when its egress and the
 * instance's ingress admit it; rule changes apply to the next connection, open ones stay.
 */

const LB = 'filtered'
const LISTENER_PORT = 8480
const INSTANCE_PORT = 8481
const FAILED_CHECKS = 'Instance has failed at least the UnhealthyThreshold number of health checks consecutively.'

let api: TestEngine
let ec2: EC2Client
let network: DefaultNetwork
let lbGroup: string
let appGroup: string
let instance: InstanceRecord

function loadBalancer(): LoadBalancerRecord {
  const record = api.engine.store.region(api.region).loadBalancers.find((lb) => lb.name === LB)
  if (record === undefined) throw new Error('no load balancer')
  return record
}

/** A fresh connection's answer to one GET: the status, or `closed` when the listener closed it without a byte. */
function get(agent?: Agent): Promise<number | 'closed'> {
  return new Promise((resolve, reject) => {
    const req = request({host: loadBalancer().localAddress, port: LISTENER_PORT, path: '/', agent: agent ?? false, timeout: 5_000}, (res) => {
      res.resume()
      res.once('end', () => { resolve(res.statusCode ?? 0) })
    })
    req.once('timeout', () => req.destroy(new Error('timed out')))
    req.once('error', (error: NodeJS.ErrnoException) => {
      if (error.code === 'ECONNRESET' || error.message === 'socket hang up') resolve('closed')
      else reject(error)
    })
    req.end()
  })
}

/** Connects, sends a request, and counts what comes back until the listener closes the connection. */
function bytesAnswered(): Promise<number> {
  return new Promise((resolve, reject) => {
    let received = 0
    const socket: Socket = connect({host: loadBalancer().localAddress, port: LISTENER_PORT}, () => {
      socket.write('GET / HTTP/1.1\r\nHost: x\r\n\r\n')
    })
    socket.on('data', (chunk: Buffer) => { received += chunk.length })
    socket.once('error', (error: NodeJS.ErrnoException) => { if (error.code !== 'ECONNRESET' && error.code !== 'EPIPE') reject(error) })
    socket.once('close', () => { resolve(received) })
    socket.setTimeout(5_000, () => { socket.destroy(new Error('the listener kept the connection open')) })
  })
}

async function health(): Promise<InstanceState> {
  const answer = await api.elb.send(new DescribeInstanceHealthCommand({LoadBalancerName: LB}))
  return answer.InstanceStates?.[0] ?? {}
}

const waitForHealth = (state: 'InService' | 'OutOfService', what: string) =>
  eventually(async () => ((await health()).State === state ? health() : undefined), 20_000, what)

const tcp = (port: number, peer: Omit<IpPermission, 'IpProtocol' | 'FromPort' | 'ToPort'>): IpPermission => ({IpProtocol: 'tcp', FromPort: port, ToPort: port, ...peer})

beforeAll(async () => {
  api = await startTestEngine()
  ec2 = new EC2Client({endpoint: api.endpoint, region: api.region, credentials: TEST_CREDENTIALS, maxAttempts: 1})
  network = ensureDefaultNetwork(api.engine.store, api.region)
  lbGroup = (await ec2.send(new CreateSecurityGroupCommand({GroupName: 'lb', Description: 'the load balancer'}))).GroupId ?? ''
  appGroup = (await ec2.send(new CreateSecurityGroupCommand({GroupName: 'app', Description: 'the instances'}))).GroupId ?? ''
  // The instances admit the load balancer's group only (the Terraform configurations).
  await ec2.send(new AuthorizeSecurityGroupIngressCommand({GroupId: appGroup, IpPermissions: [tcp(INSTANCE_PORT, {UserIdGroupPairs: [{GroupId: lbGroup}]})]}))
  const [launched] = await api.runInstances({availabilityZone: 'us-east-1a', serve: [{protocol: 'http', port: INSTANCE_PORT}]})
  if (launched === undefined) throw new Error('no instance')
  instance = launched
  const subnet = network.subnets.find((s) => s.availabilityZone === 'us-east-1a')
  await api.elb.send(new CreateLoadBalancerCommand({
    LoadBalancerName: LB, AvailabilityZones: ['us-east-1a'],
    Listeners: [{Protocol: 'HTTP', LoadBalancerPort: LISTENER_PORT, InstanceProtocol: 'HTTP', InstancePort: INSTANCE_PORT}],
  }))
  // The placement the VPC slice gives them (subnet, address in it, groups), written directly.
  api.engine.store.update((state) => {
    const region = state.regions[api.region]
    const record = region?.instances.find((i) => i.instanceId === launched.instanceId)
    if (record !== undefined) {
      Object.assign(record, {vpcId: network.vpc.vpcId, subnetId: subnet?.subnetId, subnetIp: '172.31.0.10', securityGroupIds: [appGroup]})
      // As if launched naming the group: an instance that named none is not filtered (docs/decisions.md).
      delete record.securityGroupsDefaulted
    }
    const lb = region?.loadBalancers.find((l) => l.name === LB)
    if (lb !== undefined) Object.assign(lb, {vpcId: network.vpc.vpcId, subnets: [subnet?.subnetId], securityGroups: [lbGroup]})
  })
  await api.engine.settle()
  await api.elb.send(new ConfigureHealthCheckCommand({
    LoadBalancerName: LB, HealthCheck: {Target: `HTTP:${INSTANCE_PORT}/`, Interval: 30, Timeout: 5, UnhealthyThreshold: 2, HealthyThreshold: 2},
  }))
  await api.elb.send(new RegisterInstancesWithLoadBalancerCommand({LoadBalancerName: LB, Instances: [{InstanceId: instance.instanceId}]}))
  await waitForHealth('InService', 'the instance to pass its health checks through the groups')
})

afterAll(async () => {
  ec2.destroy()
  await api.close()
})

describe('a listener whose load balancer\'s groups do not admit the client', () => {
  test('closes the connection without answering a byte, by CIDR and by port; a rule that admits it opens the listener without a restart', async () => {
    // The LB's group admits nothing yet.
    expect(await bytesAnswered()).toBe(0)
    // A CIDR that does not hold the client's address (127.0.0.1), then the right CIDR on another port.
    await ec2.send(new AuthorizeSecurityGroupIngressCommand({GroupId: lbGroup, IpPermissions: [tcp(LISTENER_PORT, {IpRanges: [{CidrIp: '10.0.0.0/8'}]})]}))
    expect(await bytesAnswered()).toBe(0)
    await ec2.send(new AuthorizeSecurityGroupIngressCommand({GroupId: lbGroup, IpPermissions: [tcp(LISTENER_PORT + 1, {IpRanges: [{CidrIp: '127.0.0.0/8'}]})]}))
    expect(await bytesAnswered()).toBe(0)
    expect(await get()).toBe('closed')
    await ec2.send(new AuthorizeSecurityGroupIngressCommand({GroupId: lbGroup, IpPermissions: [tcp(LISTENER_PORT, {IpRanges: [{CidrIp: '127.0.0.1/32'}]})]}))
    expect(await get()).toBe(200)
  })

  test('revoking the rule refuses new connections while an open one keeps being served (groups are stateful)', async () => {
    const agent = new Agent({keepAlive: true, maxSockets: 1})
    try {
      expect(await get(agent)).toBe(200)
      await ec2.send(new RevokeSecurityGroupIngressCommand({GroupId: lbGroup, IpPermissions: [tcp(LISTENER_PORT, {IpRanges: [{CidrIp: '127.0.0.1/32'}]})]}))
      expect(await get()).toBe('closed')
      expect(await get(agent)).toBe(200)
    } finally {
      agent.destroy()
    }
    await ec2.send(new AuthorizeSecurityGroupIngressCommand({GroupId: lbGroup, IpPermissions: [{IpProtocol: '-1', IpRanges: [{CidrIp: '127.0.0.0/8'}]}]}))
    expect(await get()).toBe(200)
  })
})

describe('between the load balancer and its instance', () => {
  test('an instance whose groups stop admitting the LB\'s group fails its health checks (OutOfService, AWS\'s reason) and draws no traffic; a CIDR rule for the LB node\'s subnet lets it back', async () => {
    await ec2.send(new RevokeSecurityGroupIngressCommand({GroupId: appGroup, IpPermissions: [tcp(INSTANCE_PORT, {UserIdGroupPairs: [{GroupId: lbGroup}]})]}))
    expect(await waitForHealth('OutOfService', 'the health checks to fail')).toEqual({
      InstanceId: instance.instanceId, State: 'OutOfService', ReasonCode: 'Instance', Description: FAILED_CHECKS,
    })
    expect(await get()).toBe(503)
    // The LB node's address lies in its subnet (172.31.0.0/20 in us-east-1a): a rule for the subnet admits it, one for another does not.
    await ec2.send(new AuthorizeSecurityGroupIngressCommand({GroupId: appGroup, IpPermissions: [tcp(INSTANCE_PORT, {IpRanges: [{CidrIp: '172.31.16.0/20'}]})]}))
    await ec2.send(new AuthorizeSecurityGroupIngressCommand({GroupId: appGroup, IpPermissions: [tcp(INSTANCE_PORT + 1, {IpRanges: [{CidrIp: '172.31.0.0/20'}]})]}))
    await api.engine.settle()
    // Several health-check intervals (300 ms each at this time scale) later, still failing.
    await new Promise((resolve) => { setTimeout(resolve, 1_500) })
    expect((await health()).State).toBe('OutOfService')
    await ec2.send(new AuthorizeSecurityGroupIngressCommand({GroupId: appGroup, IpPermissions: [tcp(INSTANCE_PORT, {IpRanges: [{CidrIp: '172.31.0.0/20'}]})]}))
    await waitForHealth('InService', 'the health checks to pass again')
    expect(await get()).toBe(200)
  })

  test('the load balancer\'s egress must admit the instance\'s address and port too', async () => {
    await ec2.send(new RevokeSecurityGroupEgressCommand({GroupId: lbGroup, IpPermissions: [{IpProtocol: '-1', IpRanges: [{CidrIp: '0.0.0.0/0'}]}]}))
    expect(await waitForHealth('OutOfService', 'the health checks to fail without egress')).toMatchObject({Description: FAILED_CHECKS})
    // Egress to the instance's group, on its port: back in service.
    await ec2.send(new AuthorizeSecurityGroupEgressCommand({GroupId: lbGroup, IpPermissions: [tcp(INSTANCE_PORT, {UserIdGroupPairs: [{GroupId: appGroup}]})]}))
    await waitForHealth('InService', 'the health checks to pass with egress to the instances\' group')
    expect(await get()).toBe(200)
  })

  test('a load balancer without security groups filters nothing', async () => {
    await ec2.send(new RevokeSecurityGroupEgressCommand({GroupId: lbGroup, IpPermissions: [tcp(INSTANCE_PORT, {UserIdGroupPairs: [{GroupId: appGroup}]})]}))
    await waitForHealth('OutOfService', 'the health checks to fail without egress')
    api.engine.store.update((state) => {
      const lb = state.regions[api.region]?.loadBalancers.find((l) => l.name === LB)
      if (lb !== undefined) lb.securityGroups = []
    })
    await waitForHealth('InService', 'the health checks to pass with no groups on the LB')
    expect(await get()).toBe(200)
  })
})
