import {InstanceStateCommand} from '../../lib/local/instance-state-command.js'

export default class ElbLocalStopInstances extends InstanceStateCommand {
  static override summary = 'Stop local instances: their demo backends go down; the IP they were registered with stays in the load balancer.'
  protected readonly change = 'stop'
}
