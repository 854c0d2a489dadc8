import {Command} from '@oclif/core'
import {runLegacyBinary} from '../lib/cli/main.js'

/** `elb-cmd`: the legacy command, with the legacy option syntax (parsed by src/lib/cli, not oclif). */
export default class ElbCmd extends Command {
  static override summary = 'Runs any elb-* command by name (elb-cmd elb-describe-lbs ...), or lists them.'
  static override strict = false

  async run(): Promise<void> {
    process.exitCode = await runLegacyBinary('elb-cmd', this.argv)
  }
}
