import {Command, Flags} from '@oclif/core'
import {adminCall, autostartedAdminClient, warnAboutBackends} from './command-support.js'
import {formatInstances} from './format.js'
import type {InstanceRecord} from '../../engine/model/types.js'

/** `elb-local stop-instances|start-instances|terminate-instances ID…`: one state change, then the table. */
export abstract class InstanceStateCommand extends Command {
  static override strict = false
  static override enableJsonFlag = true
  static override examples = ['<%= config.bin %> <%= command.id %> i-4f8cf126']
  static override flags = {
    region: Flags.string({description: 'region (default: the engine\'s default region)', env: 'EC2_REGION'}),
  }

  protected abstract readonly change: 'stop' | 'start' | 'terminate'

  async run(): Promise<InstanceRecord[]> {
    const {argv, flags} = await this.parse(InstanceStateCommand)
    if (argv.length === 0) this.error('Give at least one instance id.', {exit: 1})
    const client = await autostartedAdminClient()
    const instances = await adminCall(this, () => client.changeInstances(this.change, argv as string[], flags.region))
    this.log(formatInstances(instances))
    // A started instance comes back on a new IP: say so if its demo backends could not bind there.
    if (this.change === 'start') await warnAboutBackends(client, instances.map((instance) => instance.instanceId))
    return instances
  }
}
