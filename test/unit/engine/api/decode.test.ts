import {decodeInput} from '../../../../src/engine/api/decode.js'
import {serviceSpecs} from '../../../../src/engine/api/operations.js'
import {cloudWatchSpec} from '../../../../src/engine/api/services/cloudwatch.js'
import {ServiceError} from '../../../../src/engine/model/errors.js'
import {minimalParams} from '../../../helpers/query-requests.js'

function elbOperation(action: string) {
  const operation = serviceSpecs().elb.operations.get(action)
  if (operation === undefined) throw new Error(`no ${action}`)
  return operation
}

function iamOperation(action: string) {
  const operation = serviceSpecs().iam.operations.get(action)
  if (operation === undefined) throw new Error(`no ${action}`)
  return operation
}

function decode(action: string, params: Record<string, string>, service: 'elb' | 'iam' = 'elb') {
  const operation = service === 'elb' ? elbOperation(action) : iamOperation(action)
  return decodeInput(operation, new Map(Object.entries(params)))
}

function validationMessage(action: string, params: Record<string, string>, service: 'elb' | 'iam' = 'elb'): string {
  try {
    decode(action, params, service)
  } catch (error) {
    expect(error).toBeInstanceOf(ServiceError)
    expect((error as ServiceError).code).toBe('ValidationError')
    expect((error as ServiceError).status).toBe(400)
    return (error as ServiceError).message
  }
  throw new Error('decoded without error')
}

describe('decodeInput', () => {
  it('turns flattened lists of structures into arrays in index order, with numbers converted', () => {
    expect(decode('CreateLoadBalancer', {
      LoadBalancerName: 'web',
      'Listeners.member.2.Protocol': 'TCP',
      'Listeners.member.2.LoadBalancerPort': '25',
      'Listeners.member.2.InstancePort': '2525',
      'Listeners.member.1.Protocol': 'HTTPS',
      'Listeners.member.1.LoadBalancerPort': '443',
      'Listeners.member.1.InstancePort': '80',
      'Listeners.member.1.InstanceProtocol': 'HTTP',
      'Listeners.member.1.SSLCertificateId': 'arn:aws:iam::123456789012:server-certificate/www',
      'AvailabilityZones.member.1': 'us-east-1a',
      'Tags.member.1.Key': 'env',
      Action: 'CreateLoadBalancer',
      Version: '2012-06-01',
      Signature: 'ignored',
    })).toEqual({
      LoadBalancerName: 'web',
      Listeners: [
        {Protocol: 'HTTPS', LoadBalancerPort: 443, InstanceProtocol: 'HTTP', InstancePort: 80, SSLCertificateId: 'arn:aws:iam::123456789012:server-certificate/www'},
        {Protocol: 'TCP', LoadBalancerPort: 25, InstancePort: 2525},
      ],
      AvailabilityZones: ['us-east-1a'],
      Tags: [{Key: 'env'}],
    })
  })

  it('decodes nested structures and booleans', () => {
    expect(decode('ModifyLoadBalancerAttributes', {
      LoadBalancerName: 'web',
      'LoadBalancerAttributes.ConnectionDraining.Enabled': 'true',
      'LoadBalancerAttributes.ConnectionDraining.Timeout': '60',
      'LoadBalancerAttributes.CrossZoneLoadBalancing.Enabled': 'FALSE',
      'LoadBalancerAttributes.AdditionalAttributes.member.1.Key': 'elb.http.desyncmitigationmode',
      'LoadBalancerAttributes.AdditionalAttributes.member.1.Value': 'monitor',
    })).toEqual({
      LoadBalancerName: 'web',
      LoadBalancerAttributes: {
        CrossZoneLoadBalancing: {Enabled: false},
        ConnectionDraining: {Enabled: true, Timeout: 60},
        AdditionalAttributes: [{Key: 'elb.http.desyncmitigationmode', Value: 'monitor'}],
      },
    })
  })

  it('reads a bare list key as an explicitly empty list, and an absent one as absent', () => {
    expect(decode('SetLoadBalancerPoliciesOfListener', {LoadBalancerName: 'web', LoadBalancerPort: '80', PolicyNames: ''}))
      .toEqual({LoadBalancerName: 'web', LoadBalancerPort: 80, PolicyNames: []})
    expect(validationMessage('SetLoadBalancerPoliciesOfListener', {LoadBalancerName: 'web', LoadBalancerPort: '80'}))
      .toBe("1 validation error detected: Value null at 'policyNames' failed to satisfy constraint: Member must not be null")
  })

  it('reports every violation in Coral wording, in member order', () => {
    expect(validationMessage('ConfigureHealthCheck', {LoadBalancerName: 'web', 'HealthCheck.Target': 'TCP:80', 'HealthCheck.Interval': '301',
      'HealthCheck.Timeout': '1', 'HealthCheck.UnhealthyThreshold': '2', 'HealthCheck.HealthyThreshold': '11'})).toBe(
      "3 validation errors detected: Value '301' at 'healthCheck.interval' failed to satisfy constraint: Member must have value less than or equal to 300; " +
      "Value '1' at 'healthCheck.timeout' failed to satisfy constraint: Member must have value greater than or equal to 2; " +
      "Value '11' at 'healthCheck.healthyThreshold' failed to satisfy constraint: Member must have value less than or equal to 10")
  })

  it('requires a whole structure the model requires, but a nested required member only when its parent is present', () => {
    expect(validationMessage('ConfigureHealthCheck', {LoadBalancerName: 'web'}))
      .toBe("1 validation error detected: Value null at 'healthCheck' failed to satisfy constraint: Member must not be null")
    expect(decode('ModifyLoadBalancerAttributes', {LoadBalancerName: 'web', 'LoadBalancerAttributes.ConnectionSettings.IdleTimeout': '30'}))
      .toEqual({LoadBalancerName: 'web', LoadBalancerAttributes: {ConnectionSettings: {IdleTimeout: 30}}})
    expect(validationMessage('ModifyLoadBalancerAttributes', {LoadBalancerName: 'web', 'LoadBalancerAttributes.ConnectionDraining.Timeout': '30'}))
      .toBe("1 validation error detected: Value null at 'loadBalancerAttributes.connectionDraining.enabled' failed to satisfy constraint: Member must not be null")
  })

  it('names list items as Coral does: tags.N.member.key', () => {
    expect(validationMessage('AddTags', {'LoadBalancerNames.member.1': 'web', 'Tags.member.1.Key': 'ok', 'Tags.member.2.Key': '', 'Tags.member.2.Value': 'v'})).toBe(
      "1 validation error detected: Value '' at 'tags.2.member.key' failed to satisfy constraint: Member must have length greater than or equal to 1")
    expect(validationMessage('UntagServerCertificate', {ServerCertificateName: 'c', 'TagKeys.member.1': 'bad key!'}, 'iam')).toBe(
      "1 validation error detected: Value 'bad key!' at 'tagKeys.1.member' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\p{L}\\p{Z}\\p{N}_.:/=+\\-@]+")
  })

  it('checks list sizes', () => {
    const keys = Object.fromEntries(Array.from({length: 51}, (_, index) => [`TagKeys.member.${index + 1}`, `k${index}`]))
    expect(validationMessage('UntagServerCertificate', {ServerCertificateName: 'c', ...keys}, 'iam'))
      .toMatch(/^1 validation error detected: Value '\[k0, k1, .*k50\]' at 'tagKeys' failed to satisfy constraint: Member must have length less than or equal to 50$/)
  })

  it('matches patterns against the whole value', () => {
    expect(validationMessage('GetServerCertificate', {ServerCertificateName: 'ok name'}, 'iam')).toBe(
      "1 validation error detected: Value 'ok name' at 'serverCertificateName' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\w+=,.@-]+")
    expect(decode('UpdateServerCertificate', {ServerCertificateName: 'a.b@c', NewPath: '/x/y/'}, 'iam'))
      .toEqual({ServerCertificateName: 'a.b@c', NewPath: '/x/y/'})
  })

  it('refuses numbers and booleans that do not parse', () => {
    expect(validationMessage('ListServerCertificates', {MaxItems: 'ten'}, 'iam')).toBe(
      "1 validation error detected: Value 'ten' at 'maxItems' failed to satisfy constraint: Member must be a valid integer number")
    expect(validationMessage('ListServerCertificates', {MaxItems: '99999999999'}, 'iam')).toMatch(/Member must be a valid integer number$/)
    expect(validationMessage('ModifyLoadBalancerAttributes', {LoadBalancerName: 'w', 'LoadBalancerAttributes.CrossZoneLoadBalancing.Enabled': 'yes'}))
      .toBe("1 validation error detected: Value 'yes' at 'loadBalancerAttributes.crossZoneLoadBalancing.enabled' failed to satisfy constraint: Member must be a boolean (true or false)")
  })

  it('ignores parameters the operation does not model', () => {
    expect(decode('DescribeLoadBalancers', {Foo: 'bar', 'LoadBalancerNames.member.1': 'a', 'LoadBalancerNames.member.x': 'b', AWSAccessKeyId: 'AKID'}))
      .toEqual({LoadBalancerNames: ['a']})
  })

  it('accepts every operation’s smallest valid request and reports each required member left out, by its path', () => {
    for (const service of [serviceSpecs().elb, serviceSpecs().iam]) {
      for (const operation of service.operations.values()) {
        const params = minimalParams(operation, service.apiVersion)
        const input = decodeInput(operation, new Map(Object.entries(params)))
        for (const member of operation.input.members.values()) {
          if (!member.required) continue
          expect(Object.keys(input)).toContain(member.name)
          const without = new Map(Object.entries(params).filter(([key]) => key !== member.name && !key.startsWith(`${member.name}.`)))
          let message = ''
          try {
            decodeInput(operation, without)
          } catch (error) {
            message = error instanceof ServiceError ? error.message : String(error)
          }
          const path = member.name.charAt(0).toLowerCase() + member.name.slice(1)
          expect({action: operation.action, message})
            .toEqual({action: operation.action, message: `1 validation error detected: Value null at '${path}' failed to satisfy constraint: Member must not be null`})
        }
      }
    }
  })
})

describe('double and timestamp members (CloudWatch)', () => {
  const putMetricData = cloudWatchSpec().operations.get('PutMetricData')
  const run = (params: Record<string, string>) => {
    if (putMetricData === undefined) throw new Error('no PutMetricData')
    return decodeInput(putMetricData, new Map(Object.entries({Namespace: 'App', 'MetricData.member.1.MetricName': 'm', ...params})))
  }

  it('reads decimals, exponents and ISO 8601 times in any zone', () => {
    expect(run({'MetricData.member.1.Value': '-1.5e3', 'MetricData.member.1.Timestamp': '2026-01-02T04:04:05.250+01:00', 'MetricData.member.1.Values.member.1': '.5'}))
      .toEqual({Namespace: 'App', MetricData: [{MetricName: 'm', Value: -1500, Timestamp: new Date(Date.UTC(2026, 0, 2, 3, 4, 5, 250)), Values: [0.5]}]})
  })

  it.each(['NaN', 'Infinity', '1e999', '0x10', '', '1,5'])('refuses the double %j', (text) => {
    expect(() => run({'MetricData.member.1.Value': text})).toThrow(`Value '${text}' at 'metricData.1.member.value' failed to satisfy constraint: Member must be a valid double number`)
  })

  it.each(['2026-01-02', '2026-01-02T03:04:05', '1767323045', '2026-13-02T03:04:05Z', 'yesterday'])('refuses the timestamp %j', (text) => {
    expect(() => run({'MetricData.member.1.Timestamp': text})).toThrow(`Value '${text}' at 'metricData.1.member.timestamp' failed to satisfy constraint: Member must be a valid ISO 8601 timestamp`)
  })
})
