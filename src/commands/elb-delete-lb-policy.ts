import {Command} from '@oclif/core'
import {runLegacyBinary} from '../lib/cli/main.js'

/** `elb-delete-lb-policy`: the legacy command, with the legacy option syntax (parsed by src/lib/cli, not oclif). */
export default class ElbDeleteLbPolicy extends Command {
  static override summary = 'Delete a LoadBalancer policy.'
  static override strict = false

  async run(): Promise<void> {
    process.exitCode = await runLegacyBinary('elb-delete-lb-policy', this.argv)
  }
}
