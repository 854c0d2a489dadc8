import {Command} from '@oclif/core'
import {runLegacyBinary} from '../lib/cli/main.js'

/** `elb-create-lb-policy`: the legacy command, with the legacy option syntax (parsed by src/lib/cli, not oclif). */
export default class ElbCreateLbPolicy extends Command {
  static override summary = 'Create a LoadBalancer policy with any number of PolicyAttributes for the specified LoadBalancerPolicyType.'
  static override strict = false

  async run(): Promise<void> {
    process.exitCode = await runLegacyBinary('elb-create-lb-policy', this.argv)
  }
}
