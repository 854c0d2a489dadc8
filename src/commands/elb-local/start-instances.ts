import {Command, Flags} from '@oclif/core'
import {adminCall, autostartedAdminClient, warnAboutBackends} from '../../engine/admin/command-support.js'
import {formatInstances} from '../../engine/admin/format.js'
import type {InstanceRecord} from '../../engine/model/types.js'

export default class ElbLocalStartInstances extends Command {
  static override summary = 'Start stopped local instances. Like EC2, each comes back on a NEW private IP: deregister and register it again.'
  static override strict = false
  static override enableJsonFlag = true
  static override examples = ['<%= config.bin %> <%= command.id %> i-4f8cf126']
  static override flags = {
    region: Flags.string({description: 'region (default: the engine\'s default region)', env: 'EC2_REGION'}),
  }

  async run(): Promise<InstanceRecord[]> {
    const {argv, flags} = await this.parse(ElbLocalStartInstances)
    if (argv.length === 0) this.error('Give at least one instance id.', {exit: 1})
    const client = await autostartedAdminClient()
    const instances = await adminCall(this, () => client.changeInstances('start', argv as string[], flags.region))
    this.log(formatInstances(instances))
    await warnAboutBackends(client, instances.map((instance) => instance.instanceId))
    return instances
  }
}
