import {Command} from '@oclif/core'
import {runLegacyBinary} from '../lib/cli/main.js'

/** `elb-create-lb-cookie-stickiness-policy`: the legacy command, with the legacy option syntax (parsed by src/lib/cli, not oclif). */
export default class ElbCreateLbCookieStickinessPolicy extends Command {
  static override summary = 'Create an LB-generated stickiness policy.'
  static override strict = false

  async run(): Promise<void> {
    process.exitCode = await runLegacyBinary('elb-create-lb-cookie-stickiness-policy', this.argv)
  }
}
