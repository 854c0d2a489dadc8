import {describe, expect, it} from '@jest/globals'
import {
  cidrContains, cidrsOverlap, cidrWithin, formatCidr, parseCidr, parseIpv4, stableAddressIn,
} from '../../../../src/engine/model/network/addresses.js'

describe('VPC addresses', () => {
  it('parses dotted quads and refuses everything else', () => {
    expect(parseIpv4('172.31.0.1')).toBe(0xac1f0001)
    for (const bad of ['256.0.0.1', '1.2.3', '01.2.3.4', '1.2.3.4 ', '', '1..2.3']) expect(parseIpv4(bad)).toBeUndefined()
  })

  it('parses CIDR blocks, strictly when asked', () => {
    expect(formatCidr(parseCidr('172.31.5.9/16') ?? {base: 0, prefix: 0})).toBe('172.31.0.0/16')
    expect(parseCidr('172.31.5.9/16', true)).toBeUndefined()
    for (const bad of ['172.31.0.0', '172.31.0.0/33', '172.31.0.0/1/2', '172.31.0.0/x']) expect(parseCidr(bad)).toBeUndefined()
    expect(parseCidr('0.0.0.0/0')).toEqual({base: 0, prefix: 0})
  })

  it('answers membership, nesting and overlap', () => {
    const vpc = parseCidr('10.0.0.0/16') ?? {base: 0, prefix: 0}
    const subnet = parseCidr('10.0.1.0/24') ?? {base: 0, prefix: 0}
    expect(cidrContains(vpc, parseIpv4('10.0.255.255') ?? 0)).toBe(true)
    expect(cidrContains(vpc, parseIpv4('10.1.0.0') ?? 0)).toBe(false)
    expect(cidrWithin(subnet, vpc)).toBe(true)
    expect(cidrWithin(vpc, subnet)).toBe(false)
    expect(cidrsOverlap(vpc, subnet)).toBe(true)
    expect(cidrsOverlap(subnet, parseCidr('10.0.2.0/24') ?? vpc)).toBe(false)
    expect(cidrContains(parseCidr('0.0.0.0/0') ?? vpc, parseIpv4('127.0.0.1') ?? 0)).toBe(true)
  })

  it('gives a key a stable address inside the subnet, past the reserved ones, and moves it off taken ones', () => {
    const subnet = parseCidr('10.0.1.0/28') ?? {base: 0, prefix: 0}
    const first = stableAddressIn(subnet, 'my-lb') ?? ''
    expect(stableAddressIn(subnet, 'my-lb')).toBe(first)
    const last = Number(first.split('.')[3])
    expect(last).toBeGreaterThanOrEqual(4)
    expect(last).toBeLessThanOrEqual(14)
    const other = stableAddressIn(subnet, 'my-lb', new Set([first]))
    expect(other).not.toBe(first)
    const all = new Set<string>()
    for (let n = 0; n < 11; n++) all.add(stableAddressIn(subnet, 'k', all) ?? '')
    expect(all.size).toBe(11)
    expect(stableAddressIn(subnet, 'k', all)).toBeUndefined()
  })
})
