import {readFileSync} from 'node:fs'
import {ServiceError} from '../../../../src/engine/model/errors.js'
import {emptyState} from '../../../../src/engine/model/store.js'
import {parseHealthCheckTarget} from '../../../../src/engine/model/elb/health-check.js'
import {allocateLocalAddress, dnsNameFor, hostedZoneIdFor} from '../../../../src/engine/model/elb/naming.js'
import {paginate} from '../../../../src/engine/model/elb/paging.js'
import {expandSslPolicyAttributes, referencePolicyAttributes} from '../../../../src/engine/model/elb/ssl-policy.js'
import type {EngineState, LoadBalancerRecord} from '../../../../src/engine/model/types.js'

interface CapturedPolicy {
  readonly PolicyName: string
  readonly enabledProtocols: readonly string[]
  readonly enabledCiphersInServerOrder: readonly string[]
  readonly PolicyAttributeDescriptions: readonly {AttributeName: string; AttributeValue: string}[]
}
const PREDEFINED = JSON.parse(readFileSync(new URL('../../../../data/elb-predefined-policies.json', import.meta.url), 'utf8')) as {
  readonly policies: readonly CapturedPolicy[]
}

describe('parseHealthCheckTarget', () => {
  it.each([
    ['TCP:22', {protocol: 'TCP', port: 22}],
    ['ssl:443', {protocol: 'SSL', port: 443}],
    ['http:8080/ping', {protocol: 'HTTP', port: 8080, path: '/ping'}],
    ['HTTPS:443/a/b?c=d', {protocol: 'HTTPS', port: 443, path: '/a/b?c=d'}],
    ['HTTP:80/', {protocol: 'HTTP', port: 80, path: '/'}],
  ])('parses %j', (target, expected) => {
    expect(parseHealthCheckTarget(target)).toEqual(expected)
  })

  it.each(['', 'TCP', 'TCP:', 'UDP:53', 'HTTP:80', 'TCP:80/x', 'TCP:-1', 'TCP:99999', ':80'])('rejects %j', (target) => {
    expect(() => parseHealthCheckTarget(target)).toThrow(ServiceError)
  })
})

describe('naming', () => {
  it('makes 9-10 digit ids that depend on account, region and name', () => {
    const a = dnsNameFor('123456789012', 'us-east-1', 'web', 'internet-facing')
    expect(a).toMatch(/^web-\d{9,10}\.us-east-1\.elb\.amazonaws\.com$/)
    expect(dnsNameFor('123456789012', 'us-east-1', 'web', 'internet-facing')).toBe(a)
    expect(dnsNameFor('210987654321', 'us-east-1', 'web', 'internet-facing')).not.toBe(a)
    expect(dnsNameFor('123456789012', 'us-east-1', 'web', 'internal')).toBe(`internal-${a}`)
    expect(dnsNameFor('123456789012', 'cn-north-1', 'web', 'internet-facing')).toMatch(/\.cn-north-1\.elb\.amazonaws\.com\.cn$/)
  })

  it('knows the hosted zone ids of AWS regions only', () => {
    expect(hostedZoneIdFor('us-west-2')).toBe('Z1H1FL5HABSF5')
    expect(hostedZoneIdFor('local-1')).toBeUndefined()
  })

  it('allocates loopback addresses past 127.1.0.254', () => {
    const lbs = Array.from({length: 254}, (_, i) => ({localAddress: `127.1.0.${i + 1}`}) as LoadBalancerRecord)
    const state: EngineState = {...emptyState(), regions: {'us-east-1': {loadBalancers: lbs, instances: []}}}
    expect(allocateLocalAddress(state)).toBe('127.1.1.1')
  })
})

describe('paginate', () => {
  const items = ['a', 'b', 'c', 'd', 'e']
  const key = (s: string) => s

  it('walks the pages and falls back to the position when the marked item is gone', () => {
    const first = paginate(items, key, undefined, 2)
    expect(first.items).toEqual(['a', 'b'])
    const second = paginate(items, key, first.nextMarker, 2)
    expect(second.items).toEqual(['c', 'd'])
    expect(paginate(['a', 'b', 'd', 'e'], key, first.nextMarker, 2).items).toEqual(['d', 'e'])
    expect(paginate(items, key, undefined, undefined)).toEqual({items})
  })
})

describe('SSL negotiation policy expansion', () => {
  it('keeps the reference first and copies the predefined flags, ignoring explicit ones', () => {
    const expanded = expandSslPolicyAttributes([
      {name: 'Protocol-SSLv3', value: 'true'},
      {name: 'Reference-Security-Policy', value: 'ELBSecurityPolicy-2016-08'},
    ])
    // The oracle is the captured AWS answer in data/ (read here directly), not the code under test.
    const captured = PREDEFINED.policies.find((policy) => policy.PolicyName === 'ELBSecurityPolicy-2016-08')
    expect(expanded).toEqual([
      {name: 'Reference-Security-Policy', value: 'ELBSecurityPolicy-2016-08'},
      ...(captured?.PolicyAttributeDescriptions ?? []).map((a) => ({name: a.AttributeName, value: a.AttributeValue})),
    ])
    expect(expanded).toHaveLength(94)
    // …and agrees with the capture's other projection: exactly these are enabled.
    expect(expanded.filter((a) => a.value === 'true' && a.name !== 'Reference-Security-Policy').map((a) => a.name).sort()).toEqual(
      [...(captured?.enabledProtocols ?? []), 'Server-Defined-Cipher-Order', ...(captured?.enabledCiphersInServerOrder ?? [])].sort())
    expect(expanded.find((a) => a.name === 'Protocol-SSLv3')?.value).toBe('false')
  })

  it('accepts the historical sample names as references', () => {
    expect(referencePolicyAttributes('ELBSample-ELBDefaultNegotiationPolicy')[0]).toEqual({
      name: 'Reference-Security-Policy',
      value: 'ELBSample-ELBDefaultNegotiationPolicy',
    })
  })

  it('needs a protocol and a cipher', () => {
    const off = (...names: string[]) => names.map((name) => ({name, value: 'false'}))
    expect(() => expandSslPolicyAttributes(off('Protocol-TLSv1', 'Protocol-SSLv3'))).toThrow(/at least one protocol and one cipher/)
    expect(() => expandSslPolicyAttributes([{name: 'Protocol-TLSv1.2', value: 'true'}, ...off('AES128-SHA', 'AES256-SHA', 'DES-CBC3-SHA', 'RC4-SHA', 'RC4-MD5')])).toThrow(
      /at least one protocol and one cipher/,
    )
    // Unlisted attributes take SSLNegotiationPolicyType's DefaultValue (the seed's "SSLv3 is still enabled").
    const seed = expandSslPolicyAttributes([{name: 'Protocol-TLSv1', value: 'true'}])
    expect(seed.filter((a) => a.value === 'true').map((a) => a.name).sort()).toEqual(
      ['AES128-SHA', 'AES256-SHA', 'DES-CBC3-SHA', 'Protocol-SSLv3', 'Protocol-TLSv1', 'RC4-MD5', 'RC4-SHA'],
    )
    expect(expandSslPolicyAttributes([{name: 'Protocol-TLSv1.2', value: 'true'}, {name: 'AES128-GCM-SHA256', value: 'true'}])).toHaveLength(93)
  })
})
