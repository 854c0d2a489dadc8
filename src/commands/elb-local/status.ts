import {Command} from '@oclif/core'
import {adminCall, adminClient} from '../../engine/admin/command-support.js'
import {formatStatus} from '../../engine/admin/format.js'
import type {EngineStatus} from '../../engine/admin/types.js'

export default class ElbLocalStatus extends Command {
  static override summary = 'Show the local engine: endpoint, pid, state dir, counts, load balancer addresses and listeners.'
  static override enableJsonFlag = true

  async run(): Promise<EngineStatus> {
    await this.parse(ElbLocalStatus)
    const status = await adminCall(this, () => adminClient().status())
    this.log(formatStatus(status))
    return status
  }
}
