import {Command} from '@oclif/core'
import {runLegacyBinary} from '../lib/cli/main.js'

/** `elb-attach-lb-to-subnets`: the legacy command, with the legacy option syntax (parsed by src/lib/cli, not oclif). */
export default class ElbAttachLbToSubnets extends Command {
  static override summary = 'Attach existing LoadBalancer to Subnets in VPC.'
  static override strict = false

  async run(): Promise<void> {
    process.exitCode = await runLegacyBinary('elb-attach-lb-to-subnets', this.argv)
  }
}
