import {conditionText, fieldOfError, suggestedAlarmName} from '../../../src/console/lb/alarm-rules.js'
import {cloudWatchQueries, cloudWatchWindow, durationText, RANGES, snapshotOf, weightedLatency} from '../../../src/console/lb/monitoring-data.js'

/** The Monitoring tab's pure parts (src/console/lb/monitoring-data.ts, alarm-rules.ts). */

const range = (label: string) => {
  const found = RANGES.find((candidate) => candidate.label === label)
  if (found === undefined) throw new Error(`no range ${label}`)
  return found
}

test('the CloudWatch ranges and their periods; each query stays within 1,440 points and GetMetricData\'s 500 queries', () => {
  expect(RANGES.filter((each) => each.source === 'cloudwatch').map((each) => [each.label, each.step]))
    .toEqual([['3 h', 60], ['12 h', 300], ['1 day', 300], ['1 week', 3600]])
  expect(RANGES.filter((each) => each.source === 'seconds').map((each) => each.label)).toEqual(['5 min', '15 min', '1 h'])
  for (const each of RANGES) expect(each.seconds / each.step).toBeLessThanOrEqual(1440)
  const queries = cloudWatchQueries()
  expect(queries.length).toBeLessThanOrEqual(500)
  for (const query of queries) expect(query.id).toMatch(/^[a-z][a-zA-Z0-9_]*$/)
  expect(new Set(queries.map((query) => query.id)).size).toBe(queries.length)
  expect(queries.map((query) => `${query.metric}:${query.statistic}`)).toEqual(expect.arrayContaining(['RequestCount:Sum', 'Latency:Average', 'Latency:Maximum', 'Latency:SampleCount', 'HealthyHostCount:Average']))
  expect(queries.some((query) => query.statistic === 'p99')).toBe(false)
})

test('a window ends at the next period boundary and spans the range; points land on its grid, missing ones are gaps', () => {
  const day = range('1 day')
  const now = Date.UTC(2026, 11, 8, 2, 7, 30) / 1000
  const window = cloudWatchWindow(day, now)
  expect(window).toEqual({start: Date.UTC(2026, 11, 7, 2, 10) / 1000, end: Date.UTC(2026, 11, 8, 2, 10) / 1000})
  expect(cloudWatchWindow(day, window.end)).toEqual(window)
  const snapshot = snapshotOf(window, 300, new Map([['RequestCount', new Map([[window.start, 4], [window.end - 300, 6]])]]))
  expect(snapshot.timestamps).toHaveLength(288)
  expect([snapshot.metrics.RequestCount?.[0], snapshot.metrics.RequestCount?.[1], snapshot.metrics.RequestCount?.[287]]).toEqual([4, null, 6])
})

test('the average latency is weighted by CloudWatch\'s sample counts, else by the requests of each second', () => {
  expect(weightedLatency({timestamps: [0, 60], step: 60, metrics: {Latency: [0.1, 0.4], LatencySamples: [3, 1], RequestCount: [1, 1]}})).toBeCloseTo(0.175, 10)
  expect(weightedLatency({timestamps: [0, 1], step: 1, metrics: {Latency: [0.1, 0.4], RequestCount: [1, 1]}})).toBeCloseTo(0.25, 10)
  expect(weightedLatency({timestamps: [0], step: 1, metrics: {Latency: [null], RequestCount: [0]}})).toBeNull()
  expect([1, 3, 60, 300, 3600, 86_400].map(durationText)).toEqual(['1 s', '3 s', '1 min', '5 min', '1 h', '1 day'])
})

test('alarms: the condition as AWS\'s console words it, the suggested name, the field an error names', () => {
  expect(conditionText({metricName: 'RequestCount', statistic: 'Sum', comparison: 'GreaterThanOrEqualToThreshold', threshold: '1', period: 60, evaluationPeriods: 1}))
    .toBe('RequestCount Sum >= 1 for 1 datapoint within 1 minute')
  expect(conditionText({metricName: 'Latency', statistic: 'Average', comparison: 'LessThanThreshold', threshold: '0.5', period: 300, evaluationPeriods: 3, datapointsToAlarm: 2}))
    .toBe('Latency Average < 0.5 for 2 datapoints within 15 minutes')
  expect(suggestedAlarmName('web', 'HealthyHostCount', 'LessThanThreshold')).toBe('awselb-web-Low-HealthyHostCount')
  const fields = ['AlarmName', 'Threshold', 'Period', 'EvaluationPeriods'] as const
  expect(fieldOfError('1 validation error detected: Value \'abc\' at \'threshold\' failed to satisfy constraint: Member must be a valid double number', fields)).toBe('Threshold')
  expect(fieldOfError('1 validation error detected: Value \'0\' at \'evaluationPeriods\' failed to satisfy constraint', fields)).toBe('EvaluationPeriods')
  expect(fieldOfError('The parameter Period must be 10, 20, 30 or a multiple of 60.', fields)).toBe('Period')
  expect(fieldOfError('Metrics cannot be checked across more than a day (EvaluationPeriods * Period must be <= 86400).', fields)).toBe('EvaluationPeriods')
  expect(fieldOfError('Request is missing Authentication Token', fields)).toBeUndefined()
})
