import type {Listener} from '@aws-sdk/client-elastic-load-balancing'
import {CERT_ARN, HTTP_80, HTTPS_443, REGION, expectError, harness} from './fixture.js'

function setup() {
  const h = harness()
  h.elb.createLoadBalancer(h.ctx, {LoadBalancerName: 'web', Listeners: [HTTP_80], AvailabilityZones: ['us-east-1a']})
  const listeners = () => h.elb.describeLoadBalancers(h.ctx, {LoadBalancerNames: ['web']}).LoadBalancerDescriptions?.[0]?.ListenerDescriptions
  return {...h, listeners}
}

describe('ElbService listeners', () => {
  it('upper-cases protocols and defaults InstanceProtocol to the plain protocol of the same layer', () => {
    const {elb, ctx, listeners} = setup()
    elb.createLoadBalancerListeners(ctx, {
      LoadBalancerName: 'web',
      Listeners: [
        {Protocol: 'tcp', LoadBalancerPort: 25, InstancePort: 2525},
        {Protocol: 'https', LoadBalancerPort: 8443, InstancePort: 8080, SSLCertificateId: CERT_ARN},
        {Protocol: 'ssl', LoadBalancerPort: 9443, InstancePort: 9000, SSLCertificateId: CERT_ARN},
      ],
    })
    expect(listeners()?.map((d) => d.Listener)).toEqual([
      {Protocol: 'HTTP', LoadBalancerPort: 80, InstanceProtocol: 'HTTP', InstancePort: 8080},
      {Protocol: 'TCP', LoadBalancerPort: 25, InstanceProtocol: 'TCP', InstancePort: 2525},
      {Protocol: 'HTTPS', LoadBalancerPort: 8443, InstanceProtocol: 'HTTP', InstancePort: 8080, SSLCertificateId: CERT_ARN},
      {Protocol: 'SSL', LoadBalancerPort: 9443, InstanceProtocol: 'TCP', InstancePort: 9000, SSLCertificateId: CERT_ARN},
    ])
  })

  it('drops an SSLCertificateId given to an HTTP or TCP listener', () => {
    const {elb, ctx, listeners} = setup()
    elb.createLoadBalancerListeners(ctx, {
      LoadBalancerName: 'web',
      Listeners: [{Protocol: 'TCP', LoadBalancerPort: 22, InstancePort: 22, SSLCertificateId: 'arn:aws:iam::1:server-certificate/x'}],
    })
    expect(listeners()?.[1]?.Listener).toEqual({Protocol: 'TCP', LoadBalancerPort: 22, InstanceProtocol: 'TCP', InstancePort: 22})
  })

  it('creates ELBSecurityPolicy-2016-08 once, as a Reference-Security-Policy copy, and attaches it to each secure listener', () => {
    const {elb, ctx, listeners} = setup()
    elb.createLoadBalancerListeners(ctx, {
      LoadBalancerName: 'web',
      Listeners: [HTTPS_443, {Protocol: 'SSL', LoadBalancerPort: 465, InstanceProtocol: 'SSL', InstancePort: 4650, SSLCertificateId: CERT_ARN}],
    })
    expect(listeners()?.map((d) => d.PolicyNames)).toEqual([[], ['ELBSecurityPolicy-2016-08'], ['ELBSecurityPolicy-2016-08']])
    const policies = elb.describeLoadBalancerPolicies(ctx, {LoadBalancerName: 'web'}).PolicyDescriptions ?? []
    expect(policies.map((p) => p.PolicyName)).toEqual(['ELBSecurityPolicy-2016-08'])
    const attributes = policies[0]?.PolicyAttributeDescriptions ?? []
    expect(attributes[0]).toEqual({AttributeName: 'Reference-Security-Policy', AttributeValue: 'ELBSecurityPolicy-2016-08'})
    expect(attributes).toHaveLength(94)
    expect(attributes).toContainEqual({AttributeName: 'Protocol-TLSv1.2', AttributeValue: 'true'})
    expect(attributes).toContainEqual({AttributeName: 'Protocol-SSLv3', AttributeValue: 'false'})
  })

  it('treats an identical listener as a no-op and a different one on the same port as DuplicateListener', () => {
    const {elb, ctx, listeners, store} = setup()
    elb.createLoadBalancerListeners(ctx, {LoadBalancerName: 'web', Listeners: [{...HTTP_80, Protocol: 'http'}]})
    expect(listeners()).toHaveLength(1)
    expectError(
      () => elb.createLoadBalancerListeners(ctx, {LoadBalancerName: 'web', Listeners: [{Protocol: 'TCP', LoadBalancerPort: 25, InstancePort: 25}, {...HTTP_80, InstancePort: 81}]}),
      'DuplicateListener',
      'A listener already exists for web with LoadBalancerPort 80, but with a different InstancePort, Protocol, or SSLCertificateId',
    )
    expect(store.region(REGION).loadBalancers[0]?.listeners).toHaveLength(1)
    expectError(
      () =>
        elb.createLoadBalancerListeners(ctx, {
          LoadBalancerName: 'web',
          Listeners: [{Protocol: 'TCP', LoadBalancerPort: 25, InstancePort: 25}, {Protocol: 'TCP', LoadBalancerPort: 25, InstancePort: 26}],
        }),
      'DuplicateListener',
      /LoadBalancerPort 25/,
    )
  })

  it('enforces protocol pairing, secure agreement per InstancePort, ports and certificates', () => {
    const {elb, ctx, store} = setup()
    const add = (listener: Listener) => () => elb.createLoadBalancerListeners(ctx, {LoadBalancerName: 'web', Listeners: [listener]})
    expectError(add({Protocol: 'HTTP', LoadBalancerPort: 81, InstanceProtocol: 'TCP', InstancePort: 81}), 'InvalidConfigurationRequest', /InstanceProtocol TCP cannot be used with Protocol HTTP/)
    expectError(add({Protocol: 'SSL', LoadBalancerPort: 82, InstanceProtocol: 'HTTPS', InstancePort: 82, SSLCertificateId: CERT_ARN}), 'InvalidConfigurationRequest', /InstanceProtocol HTTPS cannot be used with Protocol SSL/)
    expectError(add({Protocol: 'HTTPS', LoadBalancerPort: 83, InstanceProtocol: 'HTTPS', InstancePort: 8080, SSLCertificateId: CERT_ARN}), 'InvalidConfigurationRequest', /Listeners with InstancePort 8080 must all use a secure InstanceProtocol/)
    expectError(add({Protocol: 'HTTPS', LoadBalancerPort: 443, InstancePort: 443}), 'ValidationError', 'Secure Listeners need to specify a SSLCertificateId')
    expectError(add({Protocol: 'HTTPS', LoadBalancerPort: 443, InstancePort: 443, SSLCertificateId: 'arn:aws:iam::123456789012:server-certificate/nope'}), 'CertificateNotFound', 'Server Certificate not found for the key: arn:aws:iam::123456789012:server-certificate/nope')
    expectError(add({Protocol: 'FTP', LoadBalancerPort: 21, InstancePort: 21}), 'UnsupportedProtocol', /Protocol FTP is not supported/)
    expectError(add({Protocol: 'TCP', LoadBalancerPort: 0, InstancePort: 21}), 'ValidationError', /LoadBalancerPort 0 is not valid/)
    expectError(add({Protocol: 'TCP', LoadBalancerPort: 65536, InstancePort: 21}), 'ValidationError', /LoadBalancerPort 65536 is not valid/)
    expectError(add({Protocol: 'TCP', LoadBalancerPort: 21, InstancePort: 70000}), 'ValidationError', /InstancePort 70000 is not valid/)
    expect(store.region(REGION).loadBalancers[0]?.listeners).toHaveLength(1)
    expect(store.region(REGION).loadBalancers[0]?.policies).toEqual([])
  })

  it('InvalidConfigurationRequest is HTTP 409', () => {
    const {elb, ctx} = setup()
    const error = expectError(
      () => elb.createLoadBalancerListeners(ctx, {LoadBalancerName: 'web', Listeners: [{Protocol: 'HTTP', LoadBalancerPort: 81, InstanceProtocol: 'TCP', InstancePort: 81}]}),
      'InvalidConfigurationRequest',
      /cannot be used/,
    )
    expect(error.status).toBe(409)
  })

  it('allows 100 listeners per load balancer', () => {
    const {elb, ctx} = setup()
    const listeners = Array.from({length: 99}, (_, i) => ({Protocol: 'TCP', LoadBalancerPort: 1000 + i, InstancePort: 1000 + i}))
    elb.createLoadBalancerListeners(ctx, {LoadBalancerName: 'web', Listeners: listeners})
    expectError(
      () => elb.createLoadBalancerListeners(ctx, {LoadBalancerName: 'web', Listeners: [{Protocol: 'TCP', LoadBalancerPort: 2000, InstancePort: 2000}]}),
      'InvalidConfigurationRequest',
      /listeners per load balancer \(100\)/,
    )
  })

  it('deletes listeners by port, ignoring ports without one, and keeps the policies', () => {
    const {elb, ctx, listeners} = setup()
    elb.createLoadBalancerListeners(ctx, {LoadBalancerName: 'web', Listeners: [HTTPS_443]})
    elb.deleteLoadBalancerListeners(ctx, {LoadBalancerName: 'web', LoadBalancerPorts: [443, 9999]})
    expect(listeners()?.map((d) => d.Listener?.LoadBalancerPort)).toEqual([80])
    expect(elb.describeLoadBalancerPolicies(ctx, {LoadBalancerName: 'web'}).PolicyDescriptions?.map((p) => p.PolicyName)).toEqual([
      'ELBSecurityPolicy-2016-08',
    ])
    const [lb] = elb.describeLoadBalancers(ctx, {}).LoadBalancerDescriptions ?? []
    expect(lb?.HealthCheck?.Target).toBe('TCP:8080')
  })

  it('replaces the certificate of a secure listener', () => {
    const {elb, ctx, listeners, certificates} = setup()
    elb.createLoadBalancerListeners(ctx, {LoadBalancerName: 'web', Listeners: [HTTPS_443]})
    const other = 'arn:aws:iam::123456789012:server-certificate/other'
    certificates.arns.add(other)
    elb.setLoadBalancerListenerSSLCertificate(ctx, {LoadBalancerName: 'web', LoadBalancerPort: 443, SSLCertificateId: other})
    expect(listeners()?.[1]?.Listener?.SSLCertificateId).toBe(other)
    expectError(
      () => elb.setLoadBalancerListenerSSLCertificate(ctx, {LoadBalancerName: 'web', LoadBalancerPort: 8443, SSLCertificateId: other}),
      'ListenerNotFound',
      'There is no listener with LoadBalancerPort 8443 for load balancer web',
    )
    expectError(
      () => elb.setLoadBalancerListenerSSLCertificate(ctx, {LoadBalancerName: 'web', LoadBalancerPort: 80, SSLCertificateId: other}),
      'InvalidConfigurationRequest',
      /does not use HTTPS or SSL/,
    )
    expectError(
      () => elb.setLoadBalancerListenerSSLCertificate(ctx, {LoadBalancerName: 'web', LoadBalancerPort: 443, SSLCertificateId: `${other}-gone`}),
      'CertificateNotFound',
      `Server Certificate not found for the key: ${other}-gone`,
    )
    expect(listeners()?.[1]?.Listener?.SSLCertificateId).toBe(other)
  })
})
