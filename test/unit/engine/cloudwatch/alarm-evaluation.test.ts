/**
 * The alarm evaluation rules (pure): M out of N over the evaluation range, each TreatMissingData
 * setting on the rows of AWS's missing-data table, the premature-ALARM rule, the state reasons in
 * their three forms, StateReasonData, and Java's number formatting.
 */
import {evaluateAlarm, type RangePoint} from '../../../../src/engine/cloudwatch/alarm-evaluation.js'
import {javaDouble, javaJson, reasonTime} from '../../../../src/engine/cloudwatch/alarm-format.js'
import type {AlarmRecord} from '../../../../src/engine/model/alarm-types.js'

const NOW = Date.UTC(2026, 11, 7, 22, 11, 15, 250)
const minute = (n: number) => Date.UTC(2026, 11, 7, 22, n)

function alarm(extra: Partial<AlarmRecord> = {}): AlarmRecord {
  return {
    name: 'a', arn: 'arn:aws:cloudwatch:us-east-1:123456789012:alarm:a', configurationUpdated: new Date(NOW).toISOString(),
    actionsEnabled: true, okActions: [], alarmActions: [], insufficientDataActions: [],
    metric: {namespace: 'AWS/ELB', metricName: 'UnHealthyHostCount', dimensions: [], statistic: 'Maximum', period: 60},
    evaluationPeriods: 3, threshold: 0, comparisonOperator: 'GreaterThanThreshold', tags: [],
    state: {value: 'OK', reason: 'x', updated: new Date(NOW).toISOString(), transitioned: new Date(NOW).toISOString()},
    ...extra,
  }
}

/**
 * A range written oldest first as AWS's table does: `0` a good point, `X` a breaching one, `-` none.
 * Returned newest first, five periods ending at 22:11 (EvaluationPeriods 3 + 2).
 */
function range(text: string): RangePoint[] {
  return text.split(' ').map((cell, index) => {
    const timestamp = minute(6 + index)
    return cell === '-' ? {timestamp} : {timestamp, value: cell === 'X' ? 1 : 0, sampleCount: 1}
  }).reverse()
}

// AWS's table, "How alarm state is evaluated when data is missing" (3 of 3, evaluation range 5).
test.each([
  ['0 - X - X', {missing: 'OK', ignore: 'OK', breaching: 'OK', notBreaching: 'OK'}],
  ['0 - - - -', {missing: 'OK', ignore: 'OK', breaching: 'OK', notBreaching: 'OK'}],
  ['- - - - -', {missing: 'INSUFFICIENT_DATA', ignore: undefined, breaching: 'ALARM', notBreaching: 'OK'}],
  ['0 X X - X', {missing: 'ALARM', ignore: 'ALARM', breaching: 'ALARM', notBreaching: 'ALARM'}],
  ['- - X - -', {missing: 'ALARM', ignore: undefined, breaching: 'ALARM', notBreaching: 'OK'}],
])('range %s', (points, expected) => {
  for (const [treat, value] of Object.entries(expected)) {
    expect([treat, evaluateAlarm(alarm({treatMissingData: treat}), range(points), NOW)?.value]).toEqual([treat, value])
  }
})

test('M out of N: two breaching of the last three is ALARM, with the reason naming the minimum', () => {
  const result = evaluateAlarm(alarm({datapointsToAlarm: 2}), range('0 0 X 0 X'), NOW)
  expect(result?.value).toBe('ALARM')
  expect(result?.reason).toBe('Threshold Crossed: 2 out of the last 3 datapoints [1.0 (07/12/26 22:10:00), 1.0 (07/12/26 22:08:00)] ' +
    'were greater than the threshold (0.0) (minimum 2 datapoints for OK -> ALARM transition).')
  const ok = evaluateAlarm(alarm({datapointsToAlarm: 2}), range('X X X 0 0'), NOW)
  expect(ok?.reason).toBe('Threshold Crossed: 2 out of the last 3 datapoints [0.0 (07/12/26 22:10:00), 0.0 (07/12/26 22:09:00)] ' +
    'were not greater than the threshold (0.0) (minimum 2 datapoints for ALARM -> OK transition).')
})

test('without DatapointsToAlarm: the short form, and StateReasonData as AWS writes it', () => {
  const result = evaluateAlarm(alarm({metric: {...alarm().metric, unit: 'Count'}}), range('0 0 X X X'), NOW)
  expect(result?.reason).toBe('Threshold Crossed: 3 datapoints [1.0 (07/12/26 22:10:00), 1.0 (07/12/26 22:09:00), 1.0 (07/12/26 22:08:00)] were greater than the threshold (0.0).')
  expect(result?.reasonData).toBe('{"version":"1.0","queryDate":"2026-12-07T22:11:15.250+0000","startDate":"2026-12-07T22:08:00.000+0000",' +
    '"unit":"Count","statistic":"Maximum","period":60,"recentDatapoints":[1.0,1.0,1.0],"threshold":0.0,"evaluatedDatapoints":[' +
    '{"timestamp":"2026-12-07T22:10:00.000+0000","sampleCount":1.0,"value":1.0},{"timestamp":"2026-12-07T22:09:00.000+0000","sampleCount":1.0,"value":1.0},' +
    '{"timestamp":"2026-12-07T22:08:00.000+0000","sampleCount":1.0,"value":1.0}]}')
})

test('no datapoints: INSUFFICIENT_DATA for missing, the treated-as reason for breaching and notBreaching', () => {
  const insufficient = evaluateAlarm(alarm(), range('- - - - -'), NOW)
  expect(insufficient?.reason).toBe('Insufficient Data: 3 datapoints were unknown.')
  expect(JSON.parse(insufficient?.reasonData ?? '')).toEqual({
    version: '1.0', queryDate: '2026-12-07T22:11:15.250+0000', statistic: 'Maximum', period: 60, recentDatapoints: [], threshold: 0,
    evaluatedDatapoints: [{timestamp: '2026-12-07T22:10:00.000+0000'}, {timestamp: '2026-12-07T22:09:00.000+0000'}, {timestamp: '2026-12-07T22:08:00.000+0000'}],
  })
  expect(evaluateAlarm(alarm({evaluationPeriods: 1, treatMissingData: 'breaching'}), range('- - -'), NOW)?.reason)
    .toBe('Threshold Crossed: no datapoints were received for 1 period and 1 missing datapoint was treated as [Breaching].')
  expect(evaluateAlarm(alarm({treatMissingData: 'notBreaching'}), range('- - - - -'), NOW)?.reason)
    .toBe('Threshold Crossed: no datapoints were received for 3 periods and 3 missing datapoints were treated as [NonBreaching].')
})

test.each([
  [1, '1.0'], [0, '0.0'], [-0, '-0.0'], [0.5, '0.5'], [3.4666088898518357, '3.4666088898518357'], [1e7, '1.0E7'],
  [12_345_678.9, '1.23456789E7'], [0.0001, '1.0E-4'], [-2.5e-5, '-2.5E-5'], [999_999.5, '999999.5'],
])('javaDouble(%p) is %s', (value, text) => {
  expect(javaDouble(value)).toBe(text)
})

test('javaJson writes doubles as Java does, integers where CloudWatch does', () => {
  expect(javaJson({period: 60, threshold: 70, values: [1, 2.5], name: 'x', gone: undefined})).toBe('{"period":60,"threshold":70.0,"values":[1.0,2.5],"name":"x"}')
  expect(reasonTime(Date.UTC(2026, 0, 2, 3, 4, 5))).toBe('02/01/26 03:04:05')
})
