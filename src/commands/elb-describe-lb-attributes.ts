import {Command} from '@oclif/core'
import {runLegacyBinary} from '../lib/cli/main.js'

/** `elb-describe-lb-attributes`: the legacy command, with the legacy option syntax (parsed by src/lib/cli, not oclif). */
export default class ElbDescribeLbAttributes extends Command {
  static override summary = 'Describes the attributes of a LoadBalancer.'
  static override strict = false

  async run(): Promise<void> {
    process.exitCode = await runLegacyBinary('elb-describe-lb-attributes', this.argv)
  }
}
