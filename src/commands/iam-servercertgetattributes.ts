import {Command} from '@oclif/core'
import {runLegacyBinary} from '../lib/cli/main.js'

/** `iam-servercertgetattributes`: the legacy command, with the legacy option syntax (parsed by src/lib/cli, not oclif). */
export default class IamServercertgetattributes extends Command {
  static override summary = 'Prints the ARN and ID of a server certificate.'
  static override strict = false

  async run(): Promise<void> {
    process.exitCode = await runLegacyBinary('iam-servercertgetattributes', this.argv)
  }
}
