import {Command} from '@oclif/core'
import {runLegacyBinary} from '../lib/cli/main.js'

/** `elb-add-tags`: the legacy command, with the legacy option syntax (parsed by src/lib/cli, not oclif). */
export default class ElbAddTags extends Command {
  static override summary = 'Adds tags to a LoadBalancer.'
  static override strict = false

  async run(): Promise<void> {
    process.exitCode = await runLegacyBinary('elb-add-tags', this.argv)
  }
}
