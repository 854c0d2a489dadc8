import type {ElbCommandSpec} from '../command.js'
import {REQUIRED_ALARM_NAMES} from './cloudwatch-shared.js'
import {FORCE} from './shared.js'

export const command: ElbCommandSpec = {
  name: 'mon-delete-alarms',
  summary: 'Delete alarms.',
  service: 'cloudwatch',
  positional: REQUIRED_ALARM_NAMES,
  options: [{...FORCE, short: 'f'}],
  confirmation: '    Are you sure you want to delete these Alarms? [Ny]',
  async run(args, call) {
    await (await call.cloudwatch()).deleteAlarms({AlarmNames: [...args.names]})
    return {kind: 'message', text: 'OK-Deleted alarms'}
  },
}
