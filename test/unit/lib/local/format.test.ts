import {describe, expect, it} from '@jest/globals'
import {formatHosts, formatInstances, formatStatus} from '../../../../src/lib/local/format.js'
import type {EngineStatus} from '../../../../src/engine/admin/types.js'

describe('elb-local formatters', () => {
  it('hosts: one ADDRESS DNS-NAME line per load balancer', () => {
    expect(formatHosts([
      {address: '127.1.0.1', dnsName: 'MyLoadBalancer-1.us-east-1.elb.amazonaws.com'},
      {address: '127.1.0.2', dnsName: 'internal-Other-2.us-east-1.elb.amazonaws.com'},
    ])).toBe('127.1.0.1 MyLoadBalancer-1.us-east-1.elb.amazonaws.com\n127.1.0.2 internal-Other-2.us-east-1.elb.amazonaws.com')
  })

  it('instances: a row per instance with its serve specs', () => {
    const text = formatInstances([{
      instanceId: 'i-4f8cf126', privateIp: '127.0.0.2', availabilityZone: 'us-east-1a', state: 'running',
      launchTime: '2026-01-01T00:00:00.000Z', serve: [{protocol: 'http', port: 8080}, {protocol: 'https', port: 443}],
    }])
    expect(text).toMatch(/│ i-4f8cf126 │ running │ 127\.0\.0\.2 +│ us-east-1a │ http:8080, https:443 │/)
    expect(formatInstances([])).toBe('No instances.')
  })

  it('status: listener errors and failing backends are shown, not hidden', () => {
    const status: EngineStatus = {
      endpoint: 'http://127.0.0.1:8773', pid: 42, home: '/h', startedAt: '2026-01-01T00:00:00.000Z', portOffset: 0,
      timeScale: 1, defaultRegion: 'us-east-1',
      counts: {loadBalancers: 1, instances: 1, runningInstances: 1, serverCertificates: 0},
      loadBalancers: [{
        region: 'us-east-1', name: 'lb', dnsName: 'lb-1.us-east-1.elb.amazonaws.com', address: '127.1.0.1', instances: 1,
        listeners: [
          {region: 'us-east-1', loadBalancerName: 'lb', protocol: 'HTTP', loadBalancerPort: 80, address: '127.1.0.1', localPort: 80, state: 'error', error: 'no privilege to bind port 80'},
          {region: 'us-east-1', loadBalancerName: 'lb', protocol: 'HTTPS', loadBalancerPort: 443, address: '127.1.0.1', localPort: 443, state: 'bound', notOffered: ['Protocol-SSLv3', 'RC4-SHA']},
        ],
      }],
      backends: [{region: 'us-east-1', instanceId: 'i-4f8cf126', privateIp: '127.0.0.2', protocol: 'https', port: 443, localPort: 443, state: 'error', error: 'no privilege to bind port 443'}],
      backendFailures: [{region: 'us-east-1', loadBalancerName: 'lb', instanceId: 'i-4f8cf126', reason: 'authentication', count: 3, lastError: 'instance i-4f8cf126 presented a public key that no back-end authentication policy accepts'}],
    }
    const text = formatStatus(status)
    expect(text).toMatch(/│ HTTP:80 ERROR: +│\n.*│ no privilege to bind port 80 +│/)
    // Long texts wrap instead of stretching the table past 100 columns.
    expect(Math.max(...text.split('\n').map((line) => line.length))).toBeLessThanOrEqual(100)
    expect(text).toMatch(/│ lb +│ i-4f8cf126 │ authentication │ 3 +│ instance i-4f8cf126 presented a public key that +│\n.*│ no back-end authentication policy accepts +│/)
    expect(text).toContain('HTTPS:443 bound')
    expect(text).toMatch(/│ {3}not offered by this OpenSSL: Protocol-SSLv3, +│\n.*│ {3}RC4-SHA +│/)
    expect(text).toContain('(DNS name left out to fit 100 columns; --wide shows every column.)')
    expect(formatStatus(status, {wide: true})).toContain('│ lb-1.us-east-1.elb.amazonaws.com │')
    expect(text).toContain('no privilege to bind port 443')
    expect(text).toContain('/h')
  })
})
