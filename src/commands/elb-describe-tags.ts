import {Command} from '@oclif/core'
import {runLegacyBinary} from '../lib/cli/main.js'

/** `elb-describe-tags`: the legacy command, with the legacy option syntax (parsed by src/lib/cli, not oclif). */
export default class ElbDescribeTags extends Command {
  static override summary = 'Describes the tags of LoadBalancers.'
  static override strict = false

  async run(): Promise<void> {
    process.exitCode = await runLegacyBinary('elb-describe-tags', this.argv)
  }
}
