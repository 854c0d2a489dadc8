import {loadData} from '../../../../src/common/data.js'
import {CERT_ARN, HTTP_80, HTTPS_443, REGION, expectError, harness} from './fixture.js'

const PUBLIC_KEY = 'MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAEexample'

function setup() {
  const h = harness()
  h.elb.createLoadBalancer(h.ctx, {
    LoadBalancerName: 'MyLoadBalancer',
    Listeners: [HTTP_80, HTTPS_443, {Protocol: 'TCP', LoadBalancerPort: 25, InstancePort: 2525}],
    AvailabilityZones: ['us-east-1a'],
  })
  const LoadBalancerName = 'MyLoadBalancer'
  const describe = () => h.elb.describeLoadBalancers(h.ctx, {LoadBalancerNames: [LoadBalancerName]}).LoadBalancerDescriptions?.[0]
  const policy = (name: string) =>
    h.elb.describeLoadBalancerPolicies(h.ctx, {LoadBalancerName, PolicyNames: [name]}).PolicyDescriptions?.[0]
  return {...h, LoadBalancerName, describe, policy}
}

describe('ElbService policies', () => {
  it('creates stickiness policies and shows them in DescribeLoadBalancers and DescribeLoadBalancerPolicies', () => {
    const {elb, ctx, LoadBalancerName, describe, policy} = setup()
    elb.createAppCookieStickinessPolicy(ctx, {LoadBalancerName, PolicyName: 'followPHPPolicy', CookieName: 'PHPSESSID'})
    elb.createLBCookieStickinessPolicy(ctx, {LoadBalancerName, PolicyName: 'fifteenMinutesPolicy', CookieExpirationPeriod: 900})
    elb.createLBCookieStickinessPolicy(ctx, {LoadBalancerName, PolicyName: 'browserSession'})
    expect(describe()?.Policies).toEqual({
      AppCookieStickinessPolicies: [{PolicyName: 'followPHPPolicy', CookieName: 'PHPSESSID'}],
      OtherPolicies: ['ELBSecurityPolicy-2016-08'],
      LBCookieStickinessPolicies: [{PolicyName: 'fifteenMinutesPolicy', CookieExpirationPeriod: 900}, {PolicyName: 'browserSession'}],
    })
    expect(policy('followPHPPolicy')).toEqual({
      PolicyName: 'followPHPPolicy',
      PolicyTypeName: 'AppCookieStickinessPolicyType',
      PolicyAttributeDescriptions: [{AttributeName: 'CookieName', AttributeValue: 'PHPSESSID'}],
    })
    expect(policy('browserSession')?.PolicyAttributeDescriptions).toEqual([])
    expectError(
      () => elb.createAppCookieStickinessPolicy(ctx, {LoadBalancerName, PolicyName: 'browserSession', CookieName: 'x'}),
      'DuplicatePolicyName',
      'Policy Name [browserSession] already exists.',
    )
    expectError(
      () => elb.createLBCookieStickinessPolicy(ctx, {LoadBalancerName, PolicyName: 'bad_name'}),
      'ValidationError',
      /Policy name bad_name is not valid/,
    )
    expectError(
      () => elb.createLBCookieStickinessPolicy(ctx, {LoadBalancerName, PolicyName: 'neg', CookieExpirationPeriod: -1}),
      'InvalidConfigurationRequest',
      'CookieExpirationPeriod must not be negative',
    )
  })

  it('validates policy types and attributes against the catalogue', () => {
    const {elb, ctx, LoadBalancerName, store} = setup()
    const create = (PolicyTypeName: string, attributes: [string, string][], PolicyName = 'p1') => () =>
      elb.createLoadBalancerPolicy(ctx, {
        LoadBalancerName,
        PolicyName,
        PolicyTypeName,
        PolicyAttributes: attributes.map(([AttributeName, AttributeValue]) => ({AttributeName, AttributeValue})),
      })
    expectError(create('NoSuchPolicyType', []), 'PolicyTypeNotFound', 'There is no policy type with name NoSuchPolicyType')
    expectError(create('ProxyProtocolPolicyType', []), 'InvalidConfigurationRequest', 'Policy type ProxyProtocolPolicyType requires the attribute ProxyProtocol')
    expectError(create('ProxyProtocolPolicyType', [['ProxyProtocol', 'yes']]), 'InvalidConfigurationRequest', "Invalid value 'yes' for attribute ProxyProtocol: expected true or false")
    expectError(
      create('ProxyProtocolPolicyType', [['ProxyProtocol', 'true'], ['ProxyProtocol', 'false']]),
      'InvalidConfigurationRequest',
      'The attribute ProxyProtocol can be given only once for policy type ProxyProtocolPolicyType',
    )
    expectError(create('ProxyProtocolPolicyType', [['Colour', 'blue']]), 'ValidationError', "PolicyAttribute 'Colour' is not defined in the policy type")
    expectError(
      create('SSLNegotiationPolicyType', [['Server Order Preference', 'true']]),
      'ValidationError',
      'PolicyAttributeName may only contain non-whitespace printable ASCII characters',
    )
    expectError(create('LBCookieStickinessPolicyType', [['CookieExpirationPeriod', 'soon']]), 'InvalidConfigurationRequest', /expected a whole number/)
    expectError(
      create('SSLNegotiationPolicyType', [['ECDHE-RSA-CHACHA20-POLY1305', 'true']]),
      'ValidationError',
      "PolicyAttribute 'ECDHE-RSA-CHACHA20-POLY1305' is not defined in the policy type",
    )
    expectError(create('ProxyProtocolPolicyType', [['ProxyProtocol', 'true']], 'ELBSecurityPolicy-Mine'), 'InvalidConfigurationRequest', /reserved/)
    expectError(create('ProxyProtocolPolicyType', [['ProxyProtocol', 'true']], 'ELBSample-Mine'), 'InvalidConfigurationRequest', /reserved/)
    expect(store.region(REGION).loadBalancers[0]?.policies.map((p) => p.name)).toEqual(['ELBSecurityPolicy-2016-08'])
    create('ProxyProtocolPolicyType', [['ProxyProtocol', 'TRUE']], 'EnableProxyProtocol')()
    expect(elb.describeLoadBalancerPolicies(ctx, {LoadBalancerName, PolicyNames: ['EnableProxyProtocol']}).PolicyDescriptions).toEqual([
      {PolicyName: 'EnableProxyProtocol', PolicyTypeName: 'ProxyProtocolPolicyType', PolicyAttributeDescriptions: [{AttributeName: 'ProxyProtocol', AttributeValue: 'true'}]},
    ])
  })

  it('expands a custom SSL negotiation policy to every flag in AWS order, unlisted ones at the type default, and needs a protocol and a cipher', () => {
    const {elb, ctx, LoadBalancerName, policy} = setup()
    expectError(
      () =>
        elb.createLoadBalancerPolicy(ctx, {
          LoadBalancerName,
          PolicyName: 'MySSLNegotiationPolicy',
          PolicyTypeName: 'SSLNegotiationPolicyType',
          PolicyAttributes: [{AttributeName: 'Protocol-TLSv1', AttributeValue: 'false'}, {AttributeName: 'Protocol-SSLv3', AttributeValue: 'false'}],
        }),
      'InvalidConfigurationRequest',
      'An SSL negotiation policy must enable at least one protocol and one cipher.',
    )
    expectError(
      () =>
        elb.createLoadBalancerPolicy(ctx, {
          LoadBalancerName,
          PolicyName: 'MySSLNegotiationPolicy',
          PolicyTypeName: 'SSLNegotiationPolicyType',
          PolicyAttributes: ['AES128-SHA', 'AES256-SHA', 'DES-CBC3-SHA', 'RC4-SHA', 'RC4-MD5'].map((AttributeName) => ({AttributeName, AttributeValue: 'false'})),
        }),
      'InvalidConfigurationRequest',
      /at least one protocol and one cipher/,
    )
    elb.createLoadBalancerPolicy(ctx, {
      LoadBalancerName,
      PolicyName: 'MySSLNegotiationPolicy',
      PolicyTypeName: 'SSLNegotiationPolicyType',
      PolicyAttributes: [
        {AttributeName: 'Protocol-TLSv1', AttributeValue: 'true'},
        {AttributeName: 'Protocol-SSLv2', AttributeValue: 'false'},
        {AttributeName: 'DHE-RSA-AES256-SHA', AttributeValue: 'true'},
      ],
    })
    const attributes = policy('MySSLNegotiationPolicy')?.PolicyAttributeDescriptions ?? []
    const order = loadData<{attributeOrder: string[]}>('elb-predefined-policies.json').attributeOrder
    expect(attributes.map((a) => a.AttributeName)).toEqual(['Protocol-SSLv2', ...order])
    expect(attributes.filter((a) => a.AttributeValue === 'true').map((a) => a.AttributeName).sort()).toEqual(
      ['AES128-SHA', 'AES256-SHA', 'DES-CBC3-SHA', 'DHE-RSA-AES256-SHA', 'Protocol-SSLv3', 'Protocol-TLSv1', 'RC4-MD5', 'RC4-SHA'],
    )
  })

  it('expands Reference-Security-Policy to the predefined flags, reference first', () => {
    const {elb, ctx, LoadBalancerName, policy} = setup()
    elb.createLoadBalancerPolicy(ctx, {
      LoadBalancerName,
      PolicyName: 'tls12',
      PolicyTypeName: 'SSLNegotiationPolicyType',
      PolicyAttributes: [{AttributeName: 'Reference-Security-Policy', AttributeValue: 'ELBSecurityPolicy-TLS-1-2-2017-01'}],
    })
    const attributes = policy('tls12')?.PolicyAttributeDescriptions ?? []
    expect(attributes[0]).toEqual({AttributeName: 'Reference-Security-Policy', AttributeValue: 'ELBSecurityPolicy-TLS-1-2-2017-01'})
    expect(attributes.filter((a) => (a.AttributeName ?? '').startsWith('Protocol-') && a.AttributeValue === 'true').map((a) => a.AttributeName)).toEqual([
      'Protocol-TLSv1.2',
    ])
    expect(attributes).toHaveLength(94)
    expectError(
      () =>
        elb.createLoadBalancerPolicy(ctx, {
          LoadBalancerName,
          PolicyName: 'bogus',
          PolicyTypeName: 'SSLNegotiationPolicyType',
          PolicyAttributes: [{AttributeName: 'Reference-Security-Policy', AttributeValue: 'ELBSecurityPolicy-1999-01'}],
        }),
      'InvalidConfigurationRequest',
      'Referenced security policy ELBSecurityPolicy-1999-01 is not found',
    )
  })

  it('sets listener policies with AWS type rules', () => {
    const {elb, ctx, LoadBalancerName, describe, store} = setup()
    elb.createAppCookieStickinessPolicy(ctx, {LoadBalancerName, PolicyName: 'app', CookieName: 'SID'})
    elb.createLBCookieStickinessPolicy(ctx, {LoadBalancerName, PolicyName: 'lb'})
    elb.createLoadBalancerPolicy(ctx, {
      LoadBalancerName,
      PolicyName: 'proxy-policy-test',
      PolicyTypeName: 'ProxyProtocolPolicyType',
      PolicyAttributes: [{AttributeName: 'ProxyProtocol', AttributeValue: 'true'}],
    })
    elb.createLoadBalancerPolicy(ctx, {
      LoadBalancerName,
      PolicyName: 'ssl',
      PolicyTypeName: 'SSLNegotiationPolicyType',
      PolicyAttributes: [{AttributeName: 'Reference-Security-Policy', AttributeValue: 'ELBSecurityPolicy-2015-05'}],
    })
    const set = (LoadBalancerPort: number, PolicyNames: string[]) => () =>
      elb.setLoadBalancerPoliciesOfListener(ctx, {LoadBalancerName, LoadBalancerPort, PolicyNames})
    set(80, ['app'])()
    set(443, ['lb', 'ssl'])()
    expect(describe()?.ListenerDescriptions?.map((d) => d.PolicyNames)).toEqual([['app'], ['lb', 'ssl'], []])

    expectError(set(8080, ['app']), 'ListenerNotFound', 'There is no listener with LoadBalancerPort 8080 for load balancer MyLoadBalancer')
    expectError(set(80, ['nope']), 'PolicyNotFound', 'There is no policy with name nope for load balancer MyLoadBalancer')
    expectError(set(80, ['ELBSecurityPolicy-TLS-1-2-2017-01']), 'PolicyNotFound', 'There is no policy with name ELBSecurityPolicy-TLS-1-2-2017-01 for load balancer MyLoadBalancer')
    expectError(set(25, ['proxy-policy-test']), 'InvalidConfigurationRequest', 'proxy-policy-test cannot be enabled')
    expectError(set(25, ['app']), 'InvalidConfigurationRequest', /app cannot be enabled: a AppCookieStickinessPolicyType policy cannot be enabled on the TCP listener/)
    expectError(set(80, ['ssl']), 'InvalidConfigurationRequest', /ssl cannot be enabled/)
    expectError(set(443, ['ssl', 'ELBSecurityPolicy-2016-08']), 'InvalidConfigurationRequest', 'A listener can have only one SSLNegotiationPolicyType policy')
    expectError(set(80, ['app', 'lb']), 'InvalidConfigurationRequest', 'A listener can have only one stickiness policy')
    expect(store.region(REGION).loadBalancers[0]?.listeners.map((l) => l.policyNames)).toEqual([['app'], ['lb', 'ssl'], []])

    // An HTTPS listener left without a negotiation policy gets the default one back.
    set(443, [])()
    set(80, [])()
    expect(describe()?.ListenerDescriptions?.map((d) => d.PolicyNames)).toEqual([[], ['ELBSecurityPolicy-2016-08'], []])
  })

  it('sets back-end server policies: ProxyProtocol anywhere, authentication only on a secure InstancePort', () => {
    const {elb, ctx, LoadBalancerName, describe} = setup()
    elb.createLoadBalancerPolicy(ctx, {
      LoadBalancerName,
      PolicyName: 'MyPublicKeyPolicy',
      PolicyTypeName: 'PublicKeyPolicyType',
      PolicyAttributes: [{AttributeName: 'PublicKey', AttributeValue: PUBLIC_KEY}],
    })
    expectError(
      () =>
        elb.createLoadBalancerPolicy(ctx, {
          LoadBalancerName,
          PolicyName: 'auth',
          PolicyTypeName: 'BackendServerAuthenticationPolicyType',
          PolicyAttributes: [{AttributeName: 'PublicKeyPolicyName', AttributeValue: 'NoSuchKeyPolicy'}],
        }),
      'PolicyNotFound',
      'There is no policy with name NoSuchKeyPolicy for load balancer MyLoadBalancer',
    )
    elb.createLoadBalancerPolicy(ctx, {
      LoadBalancerName,
      PolicyName: 'MyBackendServerAuthenticationPolicy',
      PolicyTypeName: 'BackendServerAuthenticationPolicyType',
      PolicyAttributes: [{AttributeName: 'PublicKeyPolicyName', AttributeValue: 'MyPublicKeyPolicy'}],
    })
    elb.createLoadBalancerPolicy(ctx, {
      LoadBalancerName,
      PolicyName: 'EnableProxyProtocol',
      PolicyTypeName: 'ProxyProtocolPolicyType',
      PolicyAttributes: [{AttributeName: 'ProxyProtocol', AttributeValue: 'true'}],
    })
    expectError(
      () =>
        elb.createLoadBalancerPolicy(ctx, {
          LoadBalancerName,
          PolicyName: 'auth2',
          PolicyTypeName: 'BackendServerAuthenticationPolicyType',
          PolicyAttributes: [{AttributeName: 'PublicKeyPolicyName', AttributeValue: 'EnableProxyProtocol'}],
        }),
      'InvalidConfigurationRequest',
      /not a PublicKeyPolicyType policy/,
    )
    const set = (InstancePort: number, PolicyNames: string[]) => () =>
      elb.setLoadBalancerPoliciesForBackendServer(ctx, {LoadBalancerName, InstancePort, PolicyNames})
    set(443, ['MyBackendServerAuthenticationPolicy'])()
    set(2525, ['EnableProxyProtocol'])()
    expect(describe()?.BackendServerDescriptions).toEqual([
      {InstancePort: 443, PolicyNames: ['MyBackendServerAuthenticationPolicy']},
      {InstancePort: 2525, PolicyNames: ['EnableProxyProtocol']},
    ])
    // The seed's last step names a policy that was never created.
    expectError(set(443, ['MyBackendAuthenticationPolicy']), 'PolicyNotFound', 'There is no policy with name MyBackendAuthenticationPolicy for load balancer MyLoadBalancer')
    expectError(set(8080, ['MyBackendServerAuthenticationPolicy']), 'InvalidConfigurationRequest', /InstancePort 8080 is not used by a listener with InstanceProtocol HTTPS or SSL/)
    expectError(set(443, ['MyPublicKeyPolicy']), 'InvalidConfigurationRequest', 'MyPublicKeyPolicy cannot be enabled')
    expectError(set(443, ['ELBSecurityPolicy-2016-08']), 'InvalidConfigurationRequest', 'ELBSecurityPolicy-2016-08 cannot be enabled')
    set(2525, [])()
    expect(describe()?.BackendServerDescriptions).toEqual([{InstancePort: 443, PolicyNames: ['MyBackendServerAuthenticationPolicy']}])
  })

  it('refuses to delete a policy in use and is lenient about unknown names', () => {
    const {elb, ctx, LoadBalancerName, store} = setup()
    elb.createLoadBalancerPolicy(ctx, {
      LoadBalancerName,
      PolicyName: 'key',
      PolicyTypeName: 'PublicKeyPolicyType',
      PolicyAttributes: [{AttributeName: 'PublicKey', AttributeValue: PUBLIC_KEY}],
    })
    elb.createLoadBalancerPolicy(ctx, {
      LoadBalancerName,
      PolicyName: 'auth',
      PolicyTypeName: 'BackendServerAuthenticationPolicyType',
      PolicyAttributes: [{AttributeName: 'PublicKeyPolicyName', AttributeValue: 'key'}],
    })
    elb.createLBCookieStickinessPolicy(ctx, {LoadBalancerName, PolicyName: 'sticky'})
    elb.setLoadBalancerPoliciesOfListener(ctx, {LoadBalancerName, LoadBalancerPort: 80, PolicyNames: ['sticky']})
    for (const name of ['sticky', 'key', 'ELBSecurityPolicy-2016-08']) {
      expectError(() => elb.deleteLoadBalancerPolicy(ctx, {LoadBalancerName, PolicyName: name}), 'InvalidConfigurationRequest', new RegExp(`Policy ${name} cannot be deleted`))
    }
    elb.deleteLoadBalancerPolicy(ctx, {LoadBalancerName, PolicyName: 'auth'})
    elb.deleteLoadBalancerPolicy(ctx, {LoadBalancerName, PolicyName: 'key'})
    elb.deleteLoadBalancerPolicy(ctx, {LoadBalancerName, PolicyName: 'never-existed'})
    expect(store.region(REGION).loadBalancers[0]?.policies.map((p) => p.name)).toEqual(['ELBSecurityPolicy-2016-08', 'sticky'])
  })

  it('limits the number of policies per load balancer', () => {
    const {elb, ctx, LoadBalancerName} = setup()
    for (let i = 1; i < 98; i++) elb.createLBCookieStickinessPolicy(ctx, {LoadBalancerName, PolicyName: `p${i}`})
    expectError(() => elb.createLBCookieStickinessPolicy(ctx, {LoadBalancerName, PolicyName: 'one-more'}), 'TooManyPolicies', /\(98\)/)
  })

  it('describes the predefined policies without a load balancer, PolicyNotFound for unknown names', () => {
    const {elb, ctx, LoadBalancerName} = setup()
    const all = elb.describeLoadBalancerPolicies(ctx, {}).PolicyDescriptions ?? []
    expect(all.map((p) => p.PolicyName)).toEqual([
      'ELBSecurityPolicy-2016-08',
      'ELBSecurityPolicy-TLS-1-2-2017-01',
      'ELBSecurityPolicy-TLS-1-1-2017-01',
      'ELBSecurityPolicy-2015-05',
      'ELBSecurityPolicy-2015-03',
      'ELBSecurityPolicy-2015-02',
      'ELBSecurityPolicy-2014-10',
      'ELBSecurityPolicy-2014-01',
      'ELBSecurityPolicy-2011-08',
      'ELBSample-ELBDefaultCipherPolicy',
      'ELBSample-OpenSSLDefaultCipherPolicy',
    ])
    expect(all.every((p) => p.PolicyTypeName === 'SSLNegotiationPolicyType' && p.PolicyAttributeDescriptions?.length === 93)).toBe(true)
    const old = elb.describeLoadBalancerPolicies(ctx, {PolicyNames: ['ELBSample-OpenSSLDefaultNegotiationPolicy']}).PolicyDescriptions ?? []
    expect(old[0]?.PolicyName).toBe('ELBSample-OpenSSLDefaultNegotiationPolicy')
    expect(old[0]?.PolicyAttributeDescriptions?.filter((a) => a.AttributeValue === 'true').map((a) => a.AttributeName)).toEqual([
      'Protocol-TLSv1',
      'Protocol-SSLv3',
      'AES128-SHA',
      'AES256-SHA',
      'DES-CBC3-SHA',
      'RC4-SHA',
      'RC4-MD5',
    ])
    expectError(() => elb.describeLoadBalancerPolicies(ctx, {PolicyNames: ['MyPolicy']}), 'PolicyNotFound', 'There is no policy with name MyPolicy')
    expectError(
      () => elb.describeLoadBalancerPolicies(ctx, {LoadBalancerName, PolicyNames: ['MyPolicy']}),
      'PolicyNotFound',
      'There is no policy with name MyPolicy for load balancer MyLoadBalancer',
    )
  })

  it('describes the policy type catalogue, filtered, PolicyTypeNotFound for unknown names', () => {
    const {elb, ctx} = setup()
    const all = elb.describeLoadBalancerPolicyTypes(ctx, {}).PolicyTypeDescriptions ?? []
    expect(all.map((t) => t.PolicyTypeName)).toEqual([
      'ProxyProtocolPolicyType',
      'PublicKeyPolicyType',
      'AppCookieStickinessPolicyType',
      'LBCookieStickinessPolicyType',
      'SSLNegotiationPolicyType',
      'BackendServerAuthenticationPolicyType',
    ])
    expect(all.find((t) => t.PolicyTypeName === 'SSLNegotiationPolicyType')?.PolicyAttributeTypeDescriptions).toHaveLength(95)
    expect(elb.describeLoadBalancerPolicyTypes(ctx, {PolicyTypeNames: ['ProxyProtocolPolicyType']}).PolicyTypeDescriptions).toEqual([
      {
        PolicyTypeName: 'ProxyProtocolPolicyType',
        Description:
          'Policy that controls whether to include the IP address and port of the originating request for TCP messages. This policy operates on TCP/SSL listeners only',
        PolicyAttributeTypeDescriptions: [{AttributeName: 'ProxyProtocol', AttributeType: 'Boolean', Cardinality: 'ONE'}],
      },
    ])
    expect(Object.keys(all[4]?.PolicyAttributeTypeDescriptions?.[0] ?? {})).toEqual(['AttributeName', 'AttributeType', 'DefaultValue', 'Cardinality'])
    expectError(() => elb.describeLoadBalancerPolicyTypes(ctx, {PolicyTypeNames: ['Nope']}), 'PolicyTypeNotFound', 'There is no policy type with name Nope')
  })

  it('keeps the CertificateNotFound check for listener certificates in CreateLoadBalancer', () => {
    const {elb, ctx} = harness()
    expectError(
      () =>
        elb.createLoadBalancer(ctx, {
          LoadBalancerName: 'x',
          Listeners: [{...HTTPS_443, SSLCertificateId: `${CERT_ARN}-missing`}],
          AvailabilityZones: ['us-east-1a'],
        }),
      'CertificateNotFound',
      `Server Certificate not found for the key: ${CERT_ARN}-missing`,
    )
  })
})
