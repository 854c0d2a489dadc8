/**
 * Alarms in the store: journaled record by record under the region's `alarms` key (one op per
 * alarm written, not the region), replayed on open, written into the snapshot by compaction.
 */
import {mkdtempSync, readFileSync, rmSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {afterEach, beforeEach, expect, it} from '@jest/globals'
import {AlarmService} from '../../../../src/engine/cloudwatch/alarms.js'
import {listSegments} from '../../../../src/engine/model/persistence/journal.js'
import {Store} from '../../../../src/engine/model/store.js'

let dir: string
beforeEach(() => { dir = mkdtempSync(join(tmpdir(), 'elb-alarm-store-')) })
afterEach(() => { rmSync(dir, {recursive: true, force: true}) })

const ctx = {region: 'us-east-1', requestId: 'r'}
const put = (alarms: AlarmService, AlarmName: string, Threshold = 1) => alarms.putMetricAlarm(ctx, {
  AlarmName, Namespace: 'AWS/ELB', MetricName: 'UnHealthyHostCount', Dimensions: [{Name: 'LoadBalancerName', Value: 'web'}],
  Statistic: 'Maximum', Period: 60, EvaluationPeriods: 2, Threshold, ComparisonOperator: 'GreaterThanThreshold', Tags: [{Key: 'k', Value: 'v'}],
})

it('journals each alarm write as one alarm record, replays it, and snapshots it', async () => {
  const store = Store.open(dir)
  const alarms = new AlarmService(store)
  put(alarms, 'one')
  put(alarms, 'two')
  put(alarms, 'one', 5)
  const [first] = alarms.alarms('us-east-1')
  alarms.applyStates('us-east-1', first === undefined ? [] : [{alarm: first, value: 'ALARM', reason: 'Threshold Crossed: …', reasonData: '{"version":"1.0"}'}])
  alarms.deleteAlarms(ctx, {AlarmNames: ['two']})
  const lines = readFileSync(listSegments(dir)[0]?.file ?? '', 'utf8').trim().split('\n')
  // The update of "one" and its state change each journal that alarm alone; the delete names "two" only.
  expect(lines.at(-1)).toMatch(/"ops":\[\{"kind":"alarm","region":"us-east-1","name":"two"\}\]/)
  expect(lines.at(-2)).toMatch(/"ops":\[\{"kind":"alarm","region":"us-east-1","name":"one","record":\{.*"state":\{"value":"ALARM"/)
  const reopened = Store.open(dir)
  expect(reopened.state).toEqual(store.state)
  expect(reopened.region('us-east-1').alarms?.map((alarm) => [alarm.name, alarm.threshold, alarm.state.value, alarm.tags])).toEqual([['one', 5, 'ALARM', [{key: 'k', value: 'v'}]]])
  await store.compact()
  expect(readFileSync(join(dir, 'state.json'), 'utf8')).toContain('"alarms":[{"name":"one"')
  expect(Store.open(dir).state).toEqual(store.state)
})
