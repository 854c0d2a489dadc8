import {Command} from '@oclif/core'
import {runLegacyBinary} from '../lib/cli/main.js'

/** `elb-create-app-cookie-stickiness-policy`: the legacy command, with the legacy option syntax (parsed by src/lib/cli, not oclif). */
export default class ElbCreateAppCookieStickinessPolicy extends Command {
  static override summary = 'Create an application-generated stickiness policy.'
  static override strict = false

  async run(): Promise<void> {
    process.exitCode = await runLegacyBinary('elb-create-app-cookie-stickiness-policy', this.argv)
  }
}
