import {Command} from '@oclif/core'
import {runLegacyBinary} from '../lib/cli/main.js'

/** `elb-set-lb-policies-of-listener`: the legacy command, with the legacy option syntax (parsed by src/lib/cli, not oclif). */
export default class ElbSetLbPoliciesOfListener extends Command {
  static override summary = 'Set LoadBalancer policies for a port.'
  static override strict = false

  async run(): Promise<void> {
    process.exitCode = await runLegacyBinary('elb-set-lb-policies-of-listener', this.argv)
  }
}
