import {describe, expect, test} from '@jest/globals'
import type {SecurityGroupRecord, SecurityGroupRuleRecord} from '../../../../src/engine/model/network-types.js'
import {admits, admitsCompiled, compileRules} from '../../../../src/engine/model/network/security-group-evaluation.js'

let next = 0
function rule(fields: Omit<SecurityGroupRuleRecord, 'ruleId'>): SecurityGroupRuleRecord {
  return {ruleId: `sgr-${String(next++).padStart(17, '0')}`, ...fields}
}

function group(groupId: string, ingress: SecurityGroupRuleRecord[], egress: SecurityGroupRuleRecord[] = []): SecurityGroupRecord {
  return {groupId, groupName: groupId, description: groupId, vpcId: 'vpc-1', ingress, egress, tags: []}
}

const stranger = {address: '203.0.113.9', groupIds: []}

describe('security-group evaluation', () => {
  test('a CIDR rule admits addresses inside it, on its ports only', () => {
    const web = group('sg-web', [rule({ipProtocol: 'tcp', fromPort: 80, toPort: 80, cidrIpv4: '10.0.0.0/8'})])
    expect(admits([web], 'ingress', 'tcp', 80, {address: '10.200.3.4', groupIds: []})).toBe(true)
    expect(admits([web], 'ingress', 'tcp', 80, {address: '11.0.0.1', groupIds: []})).toBe(false)
    expect(admits([web], 'ingress', 'tcp', 81, {address: '10.0.0.1', groupIds: []})).toBe(false)
    expect(admits([web], 'ingress', 'udp', 80, {address: '10.0.0.1', groupIds: []})).toBe(false)
    // Egress rules are another list: ingress rules say nothing about them.
    expect(admits([web], 'egress', 'tcp', 80, {address: '10.0.0.1', groupIds: []})).toBe(false)
  })

  test('port ranges are inclusive at both ends', () => {
    const range = group('sg-r', [rule({ipProtocol: 'tcp', fromPort: 8000, toPort: 8010, cidrIpv4: '0.0.0.0/0'})])
    expect([7999, 8000, 8005, 8010, 8011].map((port) => admits([range], 'ingress', 'tcp', port, stranger))).toEqual([false, true, true, true, false])
  })

  test('an all-protocol rule (-1) admits every port', () => {
    const all = group('sg-all', [], [rule({ipProtocol: '-1', fromPort: -1, toPort: -1, cidrIpv4: '0.0.0.0/0'})])
    expect(admits([all], 'egress', 'tcp', 1, stranger)).toBe(true)
    expect(admits([all], 'egress', 'tcp', 65535, stranger)).toBe(true)
  })

  test('a group reference admits peers in that group, whatever their address', () => {
    const app = group('sg-app', [rule({ipProtocol: 'tcp', fromPort: 8080, toPort: 8080, referencedGroupId: 'sg-lb'})])
    expect(admits([app], 'ingress', 'tcp', 8080, {address: '172.31.5.6', groupIds: ['sg-other', 'sg-lb']})).toBe(true)
    expect(admits([app], 'ingress', 'tcp', 8080, {address: '172.31.5.6', groupIds: ['sg-other']})).toBe(false)
  })

  test('several groups admit what any one of them admits; no groups admit nothing', () => {
    const ssh = group('sg-ssh', [rule({ipProtocol: 'tcp', fromPort: 22, toPort: 22, cidrIpv4: '198.51.100.0/24'})])
    const web = group('sg-web', [rule({ipProtocol: 'tcp', fromPort: 80, toPort: 80, cidrIpv4: '0.0.0.0/0'})])
    expect(admits([ssh, web], 'ingress', 'tcp', 80, stranger)).toBe(true)
    expect(admits([ssh, web], 'ingress', 'tcp', 22, stranger)).toBe(false)
    expect(admits([ssh, web], 'ingress', 'tcp', 22, {address: '198.51.100.7', groupIds: []})).toBe(true)
    expect(admits([], 'ingress', 'tcp', 80, stranger)).toBe(false)
  })

  test('IPv6 and prefix-list peers never match an IPv4 connection; a /32 and a /0 are exact', () => {
    const other = group('sg-x', [
      rule({ipProtocol: 'tcp', fromPort: 80, toPort: 80, cidrIpv6: '::/0'}),
      rule({ipProtocol: 'tcp', fromPort: 80, toPort: 80, prefixListId: 'pl-12345678'}),
      rule({ipProtocol: 'tcp', fromPort: 443, toPort: 443, cidrIpv4: '127.0.0.1/32'}),
    ])
    expect(admits([other], 'ingress', 'tcp', 80, stranger)).toBe(false)
    expect(admits([other], 'ingress', 'tcp', 443, {address: '127.0.0.1', groupIds: []})).toBe(true)
    expect(admits([other], 'ingress', 'tcp', 443, {address: '127.0.0.2', groupIds: []})).toBe(false)
    expect(admits([other], 'ingress', 'tcp', 443, {address: 'not-an-address', groupIds: []})).toBe(false)
  })

  test('compiled once, matched many times, in time linear in the rules', () => {
    const many = group('sg-many', Array.from({length: 60}, (_, i) => rule({ipProtocol: 'tcp', fromPort: 1000 + i, toPort: 1000 + i, cidrIpv4: `10.${i}.0.0/16`})))
    const rules = compileRules([many], 'ingress')
    expect(rules).toHaveLength(60)
    expect(admitsCompiled(rules, 'tcp', 1059, {address: '10.59.1.1', groupIds: []})).toBe(true)
    expect(admitsCompiled(rules, 'tcp', 1059, {address: '10.58.1.1', groupIds: []})).toBe(false)
  })
})
