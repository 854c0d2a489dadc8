import {InstanceStateCommand} from '../../lib/local/instance-state-command.js'

export default class ElbLocalTerminateInstances extends InstanceStateCommand {
  static override summary = 'Terminate local instances (their backends stop and their IPs are freed).'
  protected readonly change = 'terminate'
}
