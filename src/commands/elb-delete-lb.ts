import {Command} from '@oclif/core'
import {runLegacyBinary} from '../lib/cli/main.js'

/** `elb-delete-lb`: the legacy command, with the legacy option syntax (parsed by src/lib/cli, not oclif). */
export default class ElbDeleteLb extends Command {
  static override summary = 'Deletes an existing LoadBalancer'
  static override strict = false

  async run(): Promise<void> {
    process.exitCode = await runLegacyBinary('elb-delete-lb', this.argv)
  }
}
