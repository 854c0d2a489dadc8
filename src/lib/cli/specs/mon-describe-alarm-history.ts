import type {AlarmHistoryItem, HistoryItemType} from '@aws-sdk/client-cloudwatch'
import {valueOf, type ElbCommandSpec} from '../command.js'
import {ALARM_HISTORY} from '../format/cloudwatch.js'
import {toRecordSet} from '../format/records.js'
import {ALARM_NAMES, allPages, timestampOf} from './cloudwatch-shared.js'

/** DescribeAlarmHistory pages hold up to 100 items; two weeks of history fit well within 1,000 pages. */
const MAX_PAGES = 1000

export const command: ElbCommandSpec = {
  name: 'mon-describe-alarm-history',
  summary: 'Show the history of alarm transitions and actions taken.',
  service: 'cloudwatch',
  positional: ALARM_NAMES,
  options: [{name: 'end-date', kind: 'value'}, {name: 'history-item-type', kind: 'value'}, {name: 'start-date', kind: 'value'}],
  async run(args, call) {
    const client = await call.cloudwatch()
    const start = timestampOf(args, 'start-date')
    const end = timestampOf(args, 'end-date')
    const type = valueOf(args, 'history-item-type')
    const filters = {
      ...(start === undefined ? {} : {StartDate: start}),
      ...(end === undefined ? {} : {EndDate: end}),
      ...(type === undefined ? {} : {HistoryItemType: type as HistoryItemType}),
    }
    const items: AlarmHistoryItem[] = []
    // The API takes one alarm name: one listing per name given (all alarms when none is).
    for (const name of args.names.length === 0 ? [undefined] : args.names) {
      items.push(...await allPages(MAX_PAGES, async (token) => {
        const result = await client.describeAlarmHistory({
          ...filters, ...(name === undefined ? {} : {AlarmName: name}), ...(token === undefined ? {} : {NextToken: token}),
        })
        return {items: result.AlarmHistoryItems, next: result.NextToken}
      }))
    }
    return {kind: 'records', sets: [toRecordSet(ALARM_HISTORY, items)]}
  },
}
