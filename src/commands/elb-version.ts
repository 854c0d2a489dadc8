import {Command} from '@oclif/core'
import {runLegacyBinary} from '../lib/cli/main.js'

/** `elb-version`: the legacy command, with the legacy option syntax (parsed by src/lib/cli, not oclif). */
export default class ElbVersion extends Command {
  static override summary = 'Prints the version of the CLI tool and the API.'
  static override strict = false

  async run(): Promise<void> {
    process.exitCode = await runLegacyBinary('elb-version', this.argv)
  }
}
