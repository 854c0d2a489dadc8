import {Command, Flags} from '@oclif/core'
import {adminCall, autostartedAdminClient} from '../../lib/local/command-support.js'
import {formatInstances} from '../../lib/local/format.js'
import type {InstanceRecord} from '../../engine/model/types.js'

export default class ElbLocalDescribeInstances extends Command {
  static override summary = 'List the local instances (all, or the ids given).'
  static override strict = false
  static override enableJsonFlag = true
  static override flags = {
    region: Flags.string({description: 'region (default: the engine\'s default region)', env: 'EC2_REGION'}),
  }

  async run(): Promise<InstanceRecord[]> {
    const {argv, flags} = await this.parse(ElbLocalDescribeInstances)
    const client = await autostartedAdminClient()
    const instances = await adminCall(this, () => client.describeInstances(flags.region, argv as string[]))
    this.log(formatInstances(instances))
    return instances
  }
}
