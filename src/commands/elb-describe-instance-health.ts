import {Command} from '@oclif/core'
import {runLegacyBinary} from '../lib/cli/main.js'

/** `elb-describe-instance-health`: the legacy command, with the legacy option syntax (parsed by src/lib/cli, not oclif). */
export default class ElbDescribeInstanceHealth extends Command {
  static override summary = 'Describes the state of instances'
  static override strict = false

  async run(): Promise<void> {
    process.exitCode = await runLegacyBinary('elb-describe-instance-health', this.argv)
  }
}
