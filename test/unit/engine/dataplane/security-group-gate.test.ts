import {afterAll, beforeAll, describe, expect, test} from '@jest/globals'
import {createServer, type Server} from 'node:net'
import type {AddressInfo} from 'node:net'
import {connectToInstance} from '../../../../src/engine/dataplane/upstream/connector.js'
import {SecurityGroupCheck, SecurityGroupGate} from '../../../../src/engine/dataplane/upstream/security-groups.js'
import {EVERYTHING, type ChangeSet} from '../../../../src/engine/model/persistence/changes.js'
import type {SecurityGroupRecord} from '../../../../src/engine/model/network-types.js'
import {emptyNetwork} from '../../../../src/engine/model/network-types.js'
import type {EngineState, InstanceRecord, LoadBalancerRecord} from '../../../../src/engine/model/types.js'

/**
 * The gate on its own: an index of the snapshot's groups per load balancer and instance, and the
 * connector's hook — a connection the groups drop never reaches the instance and times out.
 */

const lbGroup: SecurityGroupRecord = {
  groupId: 'sg-00000000000000001', groupName: 'lb', description: 'lb', vpcId: 'vpc-1', tags: [],
  ingress: [{ruleId: 'sgr-1', ipProtocol: 'tcp', fromPort: 80, toPort: 80, cidrIpv4: '127.0.0.0/8'}],
  egress: [{ruleId: 'sgr-2', ipProtocol: '-1', fromPort: -1, toPort: -1, cidrIpv4: '0.0.0.0/0'}],
}
const appGroup: SecurityGroupRecord = {
  groupId: 'sg-00000000000000002', groupName: 'app', description: 'app', vpcId: 'vpc-1', tags: [],
  ingress: [{ruleId: 'sgr-3', ipProtocol: 'tcp', fromPort: 8080, toPort: 8080, referencedGroupId: lbGroup.groupId}],
  egress: [],
}
const lb = {name: 'web', localAddress: '127.1.0.1', availabilityZones: ['us-east-1a'], subnets: ['subnet-1'], securityGroups: [lbGroup.groupId]} as unknown as LoadBalancerRecord
const instance = {instanceId: 'i-1', privateIp: '127.0.0.1', availabilityZone: 'us-east-1a', state: 'running', subnetIp: '172.31.0.10', securityGroupIds: [appGroup.groupId]} as unknown as InstanceRecord

function stateWith(groups: SecurityGroupRecord[], platform: 'vpc' | 'ec2-classic' = 'vpc'): EngineState {
  return {
    formatVersion: 1, accountId: '123456789012', platform, iam: {serverCertificates: []},
    regions: {'us-east-1': {
      loadBalancers: [lb], instances: [instance],
      network: {...emptyNetwork(), securityGroups: groups, subnets: [{subnetId: 'subnet-1', vpcId: 'vpc-1', cidrBlock: '172.31.0.0/20', availabilityZone: 'us-east-1a', defaultForAz: true, mapPublicIpOnLaunch: true, tags: []}]},
    }},
  }
}

const networkChanged: ChangeSet = {all: false, loadBalancers: [], instances: [], certificateArns: [], networkRegions: ['us-east-1']}

let server: Server
let port = 0
let accepted = 0

beforeAll(async () => {
  server = createServer((socket) => {
    accepted++
    socket.end()
  })
  await new Promise<void>((resolve) => { server.listen(0, '127.0.0.1', resolve) })
  port = (server.address() as AddressInfo).port
})

afterAll(async () => {
  await new Promise((resolve) => { server.close(resolve) })
})

function connectThrough(gate: SecurityGroupGate, timeoutMs = 200): Promise<string> {
  const check = new SecurityGroupCheck(gate, 'us-east-1', 'web', 8080)
  return new Promise((resolve) => {
    connectToInstance({instanceId: 'i-1', host: '127.0.0.1', port, tls: false, keys: undefined, securityGroups: check}, 'request', timeoutMs, (error, socket) => {
      socket?.destroy()
      resolve(error === undefined ? 'connected' : (error as NodeJS.ErrnoException).code ?? error.message)
    })
  })
}

describe('SecurityGroupGate', () => {
  test('admits clients and instance connections by the snapshot\'s rules, and follows a rule change', () => {
    const gate = new SecurityGroupGate()
    gate.apply(stateWith([lbGroup, appGroup]), EVERYTHING)
    expect(gate.admitsClient('us-east-1', 'web', '127.0.0.1', 80)).toBe(true)
    expect(gate.admitsClient('us-east-1', 'web', '127.0.0.1', 81)).toBe(false)
    expect(gate.admitsInstance('us-east-1', 'web', 'i-1', 8080)).toBe(true)
    expect(gate.admitsInstance('us-east-1', 'web', 'i-1', 8081)).toBe(false)
    gate.apply(stateWith([lbGroup, {...appGroup, ingress: []}]), networkChanged)
    expect(gate.admitsInstance('us-east-1', 'web', 'i-1', 8080)).toBe(false)
    // An egress that does not reach the instance's subnet address blocks it as well.
    gate.apply(stateWith([{...lbGroup, egress: [{ruleId: 'sgr-4', ipProtocol: '-1', fromPort: -1, toPort: -1, cidrIpv4: '10.0.0.0/8'}]}, appGroup]), networkChanged)
    expect(gate.admitsInstance('us-east-1', 'web', 'i-1', 8080)).toBe(false)
  })

  test('an EC2-Classic account filters nothing', () => {
    const gate = new SecurityGroupGate()
    gate.apply(stateWith([lbGroup, {...appGroup, ingress: []}], 'ec2-classic'), EVERYTHING)
    expect(gate.admitsClient('us-east-1', 'web', '127.0.0.1', 81)).toBe(true)
    expect(gate.admitsInstance('us-east-1', 'web', 'i-1', 8080)).toBe(true)
  })

  test('through the connector: an admitted connection connects; a dropped one never reaches the instance and times out', async () => {
    const gate = new SecurityGroupGate()
    gate.apply(stateWith([lbGroup, appGroup]), EVERYTHING)
    const reached = new Promise((resolve) => { server.once('connection', resolve) })
    expect(await connectThrough(gate)).toBe('connected')
    await reached
    gate.apply(stateWith([lbGroup, {...appGroup, ingress: []}]), networkChanged)
    const started = Date.now()
    expect(await connectThrough(gate, 200)).toBe('ETIMEDOUT')
    expect(Date.now() - started).toBeGreaterThanOrEqual(190)
    expect(accepted).toBe(1)
  })
})
