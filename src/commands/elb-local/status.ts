import {Command} from '@oclif/core'
import {adminCall, adminClient} from '../../lib/local/command-support.js'
import {formatStatus} from '../../lib/local/format.js'
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
