import type {PutMetricAlarmCommandInput} from '@aws-sdk/client-cloudwatch'
import {listOf, numberOf, requiredSubject, valueOf, type ElbCommandSpec} from '../command.js'
import {MalformedInputError} from '../errors.js'
import {ALARM_NAME, METRIC_OPTIONS, metricOf} from './cloudwatch-shared.js'

const optional = (member: string, value: unknown): Record<string, unknown> => (value === undefined ? {} : {[member]: value})

/** `--actions-enabled true|false` (any case, as Java's Boolean parsing reads it). */
function actionsEnabledOf(text: string | undefined): boolean | undefined {
  if (text === undefined) return undefined
  if (/^(true|false)$/i.test(text)) return text.toLowerCase() === 'true'
  throw new MalformedInputError(`Invalid value for --actions-enabled: '${text}' is not true or false`)
}

export const command: ElbCommandSpec = {
  name: 'mon-put-metric-alarm',
  summary: 'Create a new alarm or update an existing one.',
  service: 'cloudwatch',
  positional: ALARM_NAME,
  options: [
    {name: 'actions-enabled', kind: 'value'},
    {name: 'alarm-actions', kind: 'list'},
    {name: 'alarm-description', kind: 'value'},
    {name: 'comparison-operator', kind: 'value', required: true},
    {name: 'evaluation-periods', kind: 'value', required: true},
    {name: 'insufficient-data-actions', kind: 'list'},
    {name: 'ok-actions', kind: 'list'},
    {name: 'threshold', kind: 'value', required: true},
    ...METRIC_OPTIONS.map((option) => (option.name === 'period' ? {...option, required: true} : option)),
  ],
  async run(args, call) {
    const input = {
      AlarmName: requiredSubject(args),
      ...optional('AlarmDescription', valueOf(args, 'alarm-description')),
      ...optional('ActionsEnabled', actionsEnabledOf(valueOf(args, 'actions-enabled'))),
      ...optional('OKActions', listOf(args, 'ok-actions')),
      ...optional('AlarmActions', listOf(args, 'alarm-actions')),
      ...optional('InsufficientDataActions', listOf(args, 'insufficient-data-actions')),
      ...metricOf(args),
      EvaluationPeriods: numberOf(args, 'evaluation-periods'),
      Threshold: numberOf(args, 'threshold'),
      ComparisonOperator: valueOf(args, 'comparison-operator'),
    } as PutMetricAlarmCommandInput
    await (await call.cloudwatch()).putMetricAlarm(input)
    return {kind: 'message', text: 'OK-Created Alarm'}
  },
}
