import {Command, Flags} from '@oclif/core'
import {adminCall, autostartedAdminClient} from '../../engine/admin/command-support.js'
import {formatInstances} from '../../engine/admin/format.js'
import type {InstanceRecord} from '../../engine/model/types.js'

export default class ElbLocalStopInstances extends Command {
  static override summary = 'Stop local instances: their demo backends go down; the IP they were registered with stays in the load balancer.'
  static override strict = false
  static override enableJsonFlag = true
  static override examples = ['<%= config.bin %> <%= command.id %> i-4f8cf126']
  static override flags = {
    region: Flags.string({description: 'region (default: the engine\'s default region)', env: 'EC2_REGION'}),
  }

  async run(): Promise<InstanceRecord[]> {
    const {argv, flags} = await this.parse(ElbLocalStopInstances)
    if (argv.length === 0) this.error('Give at least one instance id.', {exit: 1})
    const client = await autostartedAdminClient()
    const instances = await adminCall(this, () => client.changeInstances('stop', argv as string[], flags.region))
    this.log(formatInstances(instances))
    return instances
  }
}
