import type {StateValue} from '@aws-sdk/client-cloudwatch'
import {valueOf, type ElbCommandSpec} from '../command.js'
import {ALARM} from '../format/cloudwatch.js'
import {toRecordSet} from '../format/records.js'
import {ALARM_NAMES, allPages} from './cloudwatch-shared.js'

/** DescribeAlarms pages hold up to 100 alarms: 1,000 pages are far beyond any account's alarms. */
const MAX_PAGES = 1000

export const command: ElbCommandSpec = {
  name: 'mon-describe-alarms',
  summary: 'List alarms and show detailed alarm configuration.',
  service: 'cloudwatch',
  positional: ALARM_NAMES,
  options: [{name: 'action-prefix', kind: 'value'}, {name: 'alarm-name-prefix', kind: 'value'}, {name: 'state-value', kind: 'value'}],
  async run(args, call) {
    const client = await call.cloudwatch()
    const filters = {
      ...(args.names.length === 0 ? {} : {AlarmNames: [...args.names]}),
      ...(valueOf(args, 'action-prefix') === undefined ? {} : {ActionPrefix: valueOf(args, 'action-prefix')}),
      ...(valueOf(args, 'alarm-name-prefix') === undefined ? {} : {AlarmNamePrefix: valueOf(args, 'alarm-name-prefix')}),
      ...(valueOf(args, 'state-value') === undefined ? {} : {StateValue: valueOf(args, 'state-value') as StateValue}),
    }
    const alarms = await allPages(MAX_PAGES, async (token) => {
      const result = await client.describeAlarms({...filters, ...(token === undefined ? {} : {NextToken: token})})
      return {items: result.MetricAlarms, next: result.NextToken}
    })
    return {kind: 'records', sets: [toRecordSet(ALARM, alarms)]}
  },
}
