import {Command} from '@oclif/core'
import {runLegacyBinary} from '../lib/cli/main.js'

/** `elb-detach-lb-from-subnets`: the legacy command, with the legacy option syntax (parsed by src/lib/cli, not oclif). */
export default class ElbDetachLbFromSubnets extends Command {
  static override summary = 'Detach existing LoadBalancer from Subnets in VPC.'
  static override strict = false

  async run(): Promise<void> {
    process.exitCode = await runLegacyBinary('elb-detach-lb-from-subnets', this.argv)
  }
}
