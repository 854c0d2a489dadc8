import {Command} from '@oclif/core'
import {runLegacyBinary} from '../lib/cli/main.js'

/** `elb-describe-lb-policies`: the legacy command, with the legacy option syntax (parsed by src/lib/cli, not oclif). */
export default class ElbDescribeLbPolicies extends Command {
  static override summary = 'Describes the details of LoadBalancerPolicies'
  static override strict = false

  async run(): Promise<void> {
    process.exitCode = await runLegacyBinary('elb-describe-lb-policies', this.argv)
  }
}
