import {Command} from '@oclif/core'
import {runLegacyBinary} from '../lib/cli/main.js'

/** `elb-modify-lb-attributes`: the legacy command, with the legacy option syntax (parsed by src/lib/cli, not oclif). */
export default class ElbModifyLbAttributes extends Command {
  static override summary = 'Modifies the attributes of a LoadBalancer.'
  static override strict = false

  async run(): Promise<void> {
    process.exitCode = await runLegacyBinary('elb-modify-lb-attributes', this.argv)
  }
}
