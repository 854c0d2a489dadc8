import {Command} from '@oclif/core'
import {runLegacyBinary} from '../lib/cli/main.js'

/** `elb-create-lb-listeners`: the legacy command, with the legacy option syntax (parsed by src/lib/cli, not oclif). */
export default class ElbCreateLbListeners extends Command {
  static override summary = 'Create a new LoadBalancer listener'
  static override strict = false

  async run(): Promise<void> {
    process.exitCode = await runLegacyBinary('elb-create-lb-listeners', this.argv)
  }
}
