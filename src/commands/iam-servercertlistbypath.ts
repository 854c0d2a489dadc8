import {Command} from '@oclif/core'
import {runLegacyBinary} from '../lib/cli/main.js'

/** `iam-servercertlistbypath`: the legacy command, with the legacy option syntax (parsed by src/lib/cli, not oclif). */
export default class IamServercertlistbypath extends Command {
  static override summary = 'Lists the server certificates that have the specified path prefix.'
  static override strict = false

  async run(): Promise<void> {
    process.exitCode = await runLegacyBinary('iam-servercertlistbypath', this.argv)
  }
}
