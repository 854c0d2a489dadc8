import {Command} from '@oclif/core'
import {runLegacyBinary} from '../lib/cli/main.js'

/** `iam-servercertdel`: the legacy command, with the legacy option syntax (parsed by src/lib/cli, not oclif). */
export default class IamServercertdel extends Command {
  static override summary = 'Deletes a server certificate.'
  static override strict = false

  async run(): Promise<void> {
    process.exitCode = await runLegacyBinary('iam-servercertdel', this.argv)
  }
}
