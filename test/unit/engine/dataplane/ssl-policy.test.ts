import {constants} from 'node:crypto'
import {loadData} from '../../../../src/common/data.js'
import {compileSslPolicy} from '../../../../src/engine/dataplane/tls/policy.js'

interface Predefined {
  policies: {PolicyName: string; PolicyAttributeDescriptions: {AttributeName: string; AttributeValue: string}[]}[]
}

function predefined(name: string) {
  const policy = loadData<Predefined>('elb-predefined-policies.json').policies.find(p => p.PolicyName === name)
  if (policy === undefined) throw new Error(name)
  return policy.PolicyAttributeDescriptions.map(a => ({name: a.AttributeName, value: a.AttributeValue}))
}

const attrs = (pairs: Record<string, string>) => Object.entries(pairs).map(([name, value]) => ({name, value}))

describe('compileSslPolicy', () => {
  test('ELBSecurityPolicy-2016-08: TLSv1..1.2, server order, its 18 ciphers in order, low security level for TLS 1.0', () => {
    const p = compileSslPolicy(predefined('ELBSecurityPolicy-2016-08'))
    expect(p).toMatchObject({minVersion: 'TLSv1', maxVersion: 'TLSv1.2', honorCipherOrder: true, secureOptions: 0, usable: true, unsupported: []})
    expect(p.ciphers.split(':')).toEqual([
      'ECDHE-ECDSA-AES128-GCM-SHA256', 'ECDHE-RSA-AES128-GCM-SHA256', 'ECDHE-ECDSA-AES128-SHA256', 'ECDHE-RSA-AES128-SHA256',
      'ECDHE-ECDSA-AES128-SHA', 'ECDHE-RSA-AES128-SHA', 'ECDHE-ECDSA-AES256-GCM-SHA384', 'ECDHE-RSA-AES256-GCM-SHA384',
      'ECDHE-ECDSA-AES256-SHA384', 'ECDHE-RSA-AES256-SHA384', 'ECDHE-RSA-AES256-SHA', 'ECDHE-ECDSA-AES256-SHA',
      'AES128-GCM-SHA256', 'AES128-SHA256', 'AES128-SHA', 'AES256-GCM-SHA384', 'AES256-SHA256', 'AES256-SHA', '@SECLEVEL=0',
    ])
  })

  test('TLS-1-2-2017-01 is TLS 1.2 only and needs no lowered security level', () => {
    const p = compileSslPolicy(predefined('ELBSecurityPolicy-TLS-1-2-2017-01'))
    expect(p).toMatchObject({minVersion: 'TLSv1.2', maxVersion: 'TLSv1.2', usable: true})
    expect(p.ciphers).not.toMatch(/SECLEVEL/)
    expect(p.ciphers.split(':')).toHaveLength(12)
  })

  test('ciphers this OpenSSL lacks are skipped and reported; SSLv3 is accepted but cannot be offered', () => {
    const p = compileSslPolicy(predefined('ELBSecurityPolicy-2011-08'))
    expect(p.unsupported).toEqual(expect.arrayContaining(['Protocol-SSLv3', 'DES-CBC3-SHA', 'RC4-SHA']))
    expect(p.minVersion).toBe('TLSv1')
    expect(p.maxVersion).toBe('TLSv1')
    expect(p.honorCipherOrder).toBe(false)
    expect(p.usable).toBe(true)
  })

  test('a hole in the protocol range becomes an SSL_OP_NO_ flag', () => {
    const p = compileSslPolicy(attrs({'Protocol-TLSv1': 'true', 'Protocol-TLSv1.1': 'false', 'Protocol-TLSv1.2': 'true', 'AES128-SHA': 'true'}))
    expect(p).toMatchObject({minVersion: 'TLSv1', maxVersion: 'TLSv1.2', secureOptions: constants.SSL_OP_NO_TLSv1_1})
  })

  test('a policy with only unavailable ciphers or only SSLv3 cannot serve', () => {
    expect(compileSslPolicy(attrs({'Protocol-TLSv1.2': 'true', 'RC4-MD5': 'true'})).usable).toBe(false)
    expect(compileSslPolicy(attrs({'Protocol-SSLv3': 'true', 'AES128-SHA': 'true'})).usable).toBe(false)
  })

  test('never offers TLS 1.3', () => {
    for (const name of ['ELBSecurityPolicy-2016-08', 'ELBSecurityPolicy-TLS-1-2-2017-01']) {
      expect(compileSslPolicy(predefined(name)).maxVersion).toBe('TLSv1.2')
    }
  })
})
