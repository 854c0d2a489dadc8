import {Command} from '@oclif/core'
import {runLegacyBinary} from '../lib/cli/main.js'

/** `iam-servercertmod`: the legacy command, with the legacy option syntax (parsed by src/lib/cli, not oclif). */
export default class IamServercertmod extends Command {
  static override summary = 'Renames a server certificate or changes its path.'
  static override strict = false

  async run(): Promise<void> {
    process.exitCode = await runLegacyBinary('iam-servercertmod', this.argv)
  }
}
