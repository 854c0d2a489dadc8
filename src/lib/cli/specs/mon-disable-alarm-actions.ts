import {alarmActionsCommand} from './cloudwatch-options.js'

export const command = alarmActionsCommand('disable')
