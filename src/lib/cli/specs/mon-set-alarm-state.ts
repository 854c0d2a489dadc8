import type {StateValue} from '@aws-sdk/client-cloudwatch'
import {requiredSubject, valueOf, type ElbCommandSpec} from '../command.js'
import {ALARM_NAME} from './cloudwatch-shared.js'

export const command: ElbCommandSpec = {
  name: 'mon-set-alarm-state',
  summary: 'Manually set the state of an alarm.',
  service: 'cloudwatch',
  positional: ALARM_NAME,
  options: [
    {name: 'state-reason', kind: 'value', required: true},
    {name: 'state-reason-data', kind: 'value'},
    {name: 'state-value', kind: 'value', required: true},
  ],
  async run(args, call) {
    const data = valueOf(args, 'state-reason-data')
    await (await call.cloudwatch()).setAlarmState({
      AlarmName: requiredSubject(args),
      StateValue: valueOf(args, 'state-value') as StateValue,
      StateReason: valueOf(args, 'state-reason'),
      ...(data === undefined ? {} : {StateReasonData: data}),
    })
    return {kind: 'message', text: 'OK-Set alarm state value'}
  },
}
