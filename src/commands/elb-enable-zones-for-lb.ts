import {Command} from '@oclif/core'
import {runLegacyBinary} from '../lib/cli/main.js'

/** `elb-enable-zones-for-lb`: the legacy command, with the legacy option syntax (parsed by src/lib/cli, not oclif). */
export default class ElbEnableZonesForLb extends Command {
  static override summary = 'Add availability zones to existing LoadBalancer'
  static override strict = false

  async run(): Promise<void> {
    process.exitCode = await runLegacyBinary('elb-enable-zones-for-lb', this.argv)
  }
}
