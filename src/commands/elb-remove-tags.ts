import {Command} from '@oclif/core'
import {runLegacyBinary} from '../lib/cli/main.js'

/** `elb-remove-tags`: the legacy command, with the legacy option syntax (parsed by src/lib/cli, not oclif). */
export default class ElbRemoveTags extends Command {
  static override summary = 'Removes tags from a LoadBalancer.'
  static override strict = false

  async run(): Promise<void> {
    process.exitCode = await runLegacyBinary('elb-remove-tags', this.argv)
  }
}
