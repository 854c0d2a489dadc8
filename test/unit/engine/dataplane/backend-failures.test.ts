import {describe, expect, it} from '@jest/globals'
import {BackendAuthenticationError} from '../../../../src/engine/dataplane/upstream/auth.js'
import {BackendFailureLog, backendFailureReason} from '../../../../src/engine/dataplane/backend-failures.js'

const errno = (code: string, message: string): Error => Object.assign(new Error(message), {code})

describe('back-end failures', () => {
  it('names the reason: authentication, TLS, connect, else connection', () => {
    expect(backendFailureReason(new BackendAuthenticationError('i-1'))).toBe('authentication')
    expect(backendFailureReason(errno('ERR_SSL_WRONG_VERSION_NUMBER', 'wrong version number'))).toBe('tls')
    expect(backendFailureReason(errno('ECONNREFUSED', 'connect ECONNREFUSED 127.0.0.2:80'))).toBe('connect')
    expect(backendFailureReason(errno('EPIPE', 'write EPIPE'))).toBe('connection')
    expect(backendFailureReason(undefined)).toBe('connection')
  })

  it('logs once per load balancer, instance and reason every 10 s, saying how many it did not log; counts all', () => {
    let now = 1_000_000
    const lines: string[] = []
    const failures = new BackendFailureLog((line) => lines.push(line), () => now)
    const auth = {region: 'us-east-1', loadBalancerName: 'lb', instanceId: 'i-1', address: '127.0.0.2:443', error: new BackendAuthenticationError('i-1')}
    for (let i = 0; i < 5; i++) failures.record(auth)
    failures.record({...auth, instanceId: 'i-2', error: errno('ECONNREFUSED', 'connect ECONNREFUSED 127.0.0.3:443')})
    now += 10_000
    failures.record(auth)
    expect(lines).toEqual([
      'WARN backend: load balancer lb (us-east-1) cannot use instance i-1 at 127.0.0.2:443: authentication failure: ' +
        'instance i-1 presented a public key that no back-end authentication policy accepts',
      'WARN backend: load balancer lb (us-east-1) cannot use instance i-2 at 127.0.0.2:443: connect failure: connect ECONNREFUSED 127.0.0.3:443',
      'WARN backend: load balancer lb (us-east-1) cannot use instance i-1 at 127.0.0.2:443: authentication failure: ' +
        'instance i-1 presented a public key that no back-end authentication policy accepts (4 more since the last report)',
    ])
    expect(failures.counts().map(({instanceId, reason, count}) => ({instanceId, reason, count}))).toEqual([
      {instanceId: 'i-1', reason: 'authentication', count: 6},
      {instanceId: 'i-2', reason: 'connect', count: 1},
    ])
  })
})
