import {Command} from '@oclif/core'
import {runLegacyBinary} from '../lib/cli/main.js'

/** `elb-disable-zones-for-lb`: the legacy command, with the legacy option syntax (parsed by src/lib/cli, not oclif). */
export default class ElbDisableZonesForLb extends Command {
  static override summary = 'Remove availability zones from an LoadBalancer'
  static override strict = false

  async run(): Promise<void> {
    process.exitCode = await runLegacyBinary('elb-disable-zones-for-lb', this.argv)
  }
}
