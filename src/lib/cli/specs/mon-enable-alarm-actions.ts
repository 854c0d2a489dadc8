import type {ElbCommandSpec} from '../command.js'
import {REQUIRED_ALARM_NAMES} from './cloudwatch-options.js'

export const command: ElbCommandSpec = {
  name: 'mon-enable-alarm-actions',
  summary: 'Enable all actions for a given alarm.',
  service: 'cloudwatch',
  positional: REQUIRED_ALARM_NAMES,
  options: [],
  async run(args, call) {
    await (await call.cloudwatch()).enableAlarmActions({AlarmNames: [...args.names]})
    return {kind: 'message', text: 'OK-Enabled alarm actions'}
  },
}
