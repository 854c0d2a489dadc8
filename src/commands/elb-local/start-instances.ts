import {InstanceStateCommand} from '../../lib/local/instance-state-command.js'

export default class ElbLocalStartInstances extends InstanceStateCommand {
  static override summary = 'Start stopped local instances. Like EC2, each comes back on a NEW private IP: deregister and register it again.'
  protected readonly change = 'start'
}
