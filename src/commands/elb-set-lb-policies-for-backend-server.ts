import {Command} from '@oclif/core'
import {runLegacyBinary} from '../lib/cli/main.js'

/** `elb-set-lb-policies-for-backend-server`: the legacy command, with the legacy option syntax (parsed by src/lib/cli, not oclif). */
export default class ElbSetLbPoliciesForBackendServer extends Command {
  static override summary = 'Set LoadBalancer policies for backend servers.'
  static override strict = false

  async run(): Promise<void> {
    process.exitCode = await runLegacyBinary('elb-set-lb-policies-for-backend-server', this.argv)
  }
}
