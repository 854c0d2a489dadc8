import {Command} from '@oclif/core'
import {runLegacyBinary} from '../lib/cli/main.js'

/** `elb-describe-lb-policy-types`: the legacy command, with the legacy option syntax (parsed by src/lib/cli, not oclif). */
export default class ElbDescribeLbPolicyTypes extends Command {
  static override summary = 'Describes the definition of LoadBalancerPolicyTypes'
  static override strict = false

  async run(): Promise<void> {
    process.exitCode = await runLegacyBinary('elb-describe-lb-policy-types', this.argv)
  }
}
