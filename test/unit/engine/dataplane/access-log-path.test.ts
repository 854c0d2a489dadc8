import {accessLogPath} from '../../../../src/engine/dataplane/access-log.js'

/** Issue 9 #4: whatever the state says, a log file is never placed outside the logs directory. */
const identity = {accountId: '123456789012', region: 'us-east-1', loadBalancerName: 'web', nodeIp: '127.1.0.1'}
const start = new Date('2026-11-29T10:05:00Z')

it('places logs under <root>/<bucket>/<prefix>/AWSLogs/… and refuses a bucket or prefix that climbs out', () => {
  expect(accessLogPath('/home/e/access-logs', {bucket: 'logs', prefix: 'prod/web/', emitIntervalMinutes: 5}, identity, start, 'ab12'))
    .toBe('/home/e/access-logs/logs/prod/web/AWSLogs/123456789012/elasticloadbalancing/us-east-1/2026/11/29/' +
      '123456789012_elasticloadbalancing_us-east-1_web_20261129T1005Z_127.1.0.1_ab12.log')
  for (const [bucket, prefix] of [['../../../../../escaped', ''], ['logs', '../../../../..'], ['..', ''], ['logs', '../../x/../../..']] as const) {
    expect(() => accessLogPath('/home/e/access-logs', {bucket, prefix, emitIntervalMinutes: 5}, identity, start, 'ab12'))
      .toThrow(/is outside \/home\/e\/access-logs: not written$/)
  }
})
