import {Command} from '@oclif/core'
import {runLegacyBinary} from '../lib/cli/main.js'

/** `elb-configure-healthcheck`: the legacy command, with the legacy option syntax (parsed by src/lib/cli, not oclif). */
export default class ElbConfigureHealthcheck extends Command {
  static override summary = 'Configure the parameters for checking the health of instances registered with a LoadBalancer.'
  static override strict = false

  async run(): Promise<void> {
    process.exitCode = await runLegacyBinary('elb-configure-healthcheck', this.argv)
  }
}
