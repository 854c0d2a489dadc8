import {Command} from '@oclif/core'
import {runLegacyBinary} from '../lib/cli/main.js'

/** `elb-delete-lb-listeners`: the legacy command, with the legacy option syntax (parsed by src/lib/cli, not oclif). */
export default class ElbDeleteLbListeners extends Command {
  static override summary = 'Deletes a listener on an existing LoadBalancer'
  static override strict = false

  async run(): Promise<void> {
    process.exitCode = await runLegacyBinary('elb-delete-lb-listeners', this.argv)
  }
}
