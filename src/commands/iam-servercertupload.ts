import {Command} from '@oclif/core'
import {runLegacyBinary} from '../lib/cli/main.js'

/** `iam-servercertupload`: the legacy command, with the legacy option syntax (parsed by src/lib/cli, not oclif). */
export default class IamServercertupload extends Command {
  static override summary = 'Uploads a server certificate (certificate body, private key, optional chain).'
  static override strict = false

  async run(): Promise<void> {
    process.exitCode = await runLegacyBinary('iam-servercertupload', this.argv)
  }
}
