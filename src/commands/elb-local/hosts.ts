import {Command} from '@oclif/core'
import {adminCall, adminClient} from '../../lib/local/command-support.js'
import {formatHosts} from '../../lib/local/format.js'

export default class ElbLocalHosts extends Command {
  static override summary = 'Print one /etc/hosts line per load balancer: ADDRESS DNS-NAME.'
  static override description = 'Append them to /etc/hosts (sudo) so the AWS-style DNS names reach the local listeners.'

  async run(): Promise<void> {
    await this.parse(ElbLocalHosts)
    const lines = await adminCall(this, () => adminClient().hosts())
    if (lines.length > 0) this.log(formatHosts(lines))
  }
}
