import {alarmActionsCommand} from './cloudwatch-shared.js'

export const command = alarmActionsCommand('enable')
