import {compileListener} from '../../../../src/engine/dataplane/config.js'
import {defaultSecurityPolicyName, POLICY_TYPES} from '../../../../src/engine/model/elb/catalogue.js'
import {defaultSecurityPolicyAttributes} from '../../../../src/engine/model/elb/ssl-policy.js'
import {compileSslPolicy} from '../../../../src/engine/dataplane/tls/policy.js'
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
    expect(compiled.tls?.policy).toEqual(compileSslPolicy(defaultSecurityPolicyAttributes()))
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
