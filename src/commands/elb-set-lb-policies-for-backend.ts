import {Command} from '@oclif/core'
import {runLegacyBinary} from '../lib/cli/main.js'

/** `elb-set-lb-policies-for-backend`: the legacy command, with the legacy option syntax (parsed by src/lib/cli, not oclif). */
export default class ElbSetLbPoliciesForBackend extends Command {
  static override summary = 'Alias of elb-set-lb-policies-for-backend-server.'
  static override strict = false

  async run(): Promise<void> {
    process.exitCode = await runLegacyBinary('elb-set-lb-policies-for-backend', this.argv)
  }
}
