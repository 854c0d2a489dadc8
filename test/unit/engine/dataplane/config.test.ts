import {compileListener} from '../../../../src/engine/dataplane/config.js'
import {defaultSecurityPolicyName, POLICY_TYPES} from '../../../../src/engine/model/elb/catalogue.js'
import {cleanupCerts, listener, makeKeyPair, makeLoadBalancer, policy, serverCertificate} from '../../../engine/dataplane/fixtures.js'

/** The data plane compiles what the model says: policy type names, the default negotiation policy. */
describe('listener compilation reads the model', () => {
  afterAll(() => { cleanupCerts() })

  test('an HTTPS listener without a negotiation policy serves the model default (ELBSecurityPolicy-2016-08)', () => {
    const certificate = serverCertificate('site', makeKeyPair('lb.test'))
    const https = listener('HTTPS', 443, 'HTTP', 80, {sslCertificateId: certificate.arn})
    const lb = makeLoadBalancer({name: 'web', localAddress: '127.1.0.9', listeners: [https]})
    const compiled = compileListener(lb, https, [certificate], 0)
    expect(defaultSecurityPolicyName()).toBe('ELBSecurityPolicy-2016-08')
    expect(compiled.tls?.policyName).toBe(defaultSecurityPolicyName())
    // ELBSecurityPolicy-2016-08 as AWS publishes it (the ELB guide's predefined-policy table), written
    // out here rather than compiled from the same data: TLSv1 to TLSv1.2, the server's cipher order,
    // these 18 ciphers in this order (TLSv1 needs OpenSSL's security level 0 for its SHA-1 suites).
    expect(compiled.tls?.policy).toEqual({
      minVersion: 'TLSv1',
      maxVersion: 'TLSv1.2',
      ciphers: [
        'ECDHE-ECDSA-AES128-GCM-SHA256', 'ECDHE-RSA-AES128-GCM-SHA256', 'ECDHE-ECDSA-AES128-SHA256', 'ECDHE-RSA-AES128-SHA256',
        'ECDHE-ECDSA-AES128-SHA', 'ECDHE-RSA-AES128-SHA', 'ECDHE-ECDSA-AES256-GCM-SHA384', 'ECDHE-RSA-AES256-GCM-SHA384',
        'ECDHE-ECDSA-AES256-SHA384', 'ECDHE-RSA-AES256-SHA384', 'ECDHE-RSA-AES256-SHA', 'ECDHE-ECDSA-AES256-SHA',
        'AES128-GCM-SHA256', 'AES128-SHA256', 'AES128-SHA', 'AES256-GCM-SHA384', 'AES256-SHA256', 'AES256-SHA', '@SECLEVEL=0',
      ].join(':'),
      honorCipherOrder: true,
      secureOptions: 0,
      usable: true,
      unsupported: [],
    })
    expect(compiled.tlsError).toBeUndefined()
  })

  test('policies are recognised by the catalogue type names', () => {
    const sticky = policy('s', POLICY_TYPES.appCookie, {CookieName: 'SESSION'})
    const proxy = policy('p', POLICY_TYPES.proxyProtocol, {ProxyProtocol: 'true'})
    const http = listener('HTTP', 80, 'HTTP', 8080, {policyNames: ['s']})
    const tcp = listener('TCP', 81, 'TCP', 8081)
    const lb = makeLoadBalancer({
      name: 'web', localAddress: '127.1.0.9', listeners: [http, tcp], policies: [sticky, proxy],
      backendServers: [{instancePort: 8081, policyNames: ['p']}],
    })
    expect(compileListener(lb, http, [], 0).stickiness).toEqual({kind: 'app-cookie', policyName: 's', cookieName: 'SESSION'})
    expect(compileListener(lb, tcp, [], 0).proxyProtocol).toBe(true)
    expect(compileListener(lb, http, [], 0).proxyProtocol).toBe(false)
  })
})
