import {Command} from '@oclif/core'
import {runLegacyBinary} from '../lib/cli/main.js'

/** `elb-apply-security-groups-to-lb`: the legacy command, with the legacy option syntax (parsed by src/lib/cli, not oclif). */
export default class ElbApplySecurityGroupsToLb extends Command {
  static override summary = 'Apply VPC security groups to LoadBalancer.'
  static override strict = false

  async run(): Promise<void> {
    process.exitCode = await runLegacyBinary('elb-apply-security-groups-to-lb', this.argv)
  }
}
