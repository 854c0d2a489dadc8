import {Command} from '@oclif/core'
import {runLegacyBinary} from '../lib/cli/main.js'

/** `elb-register-instances-with-lb`: the legacy command, with the legacy option syntax (parsed by src/lib/cli, not oclif). */
export default class ElbRegisterInstancesWithLb extends Command {
  static override summary = 'Registers instances to a LoadBalancer'
  static override strict = false

  async run(): Promise<void> {
    process.exitCode = await runLegacyBinary('elb-register-instances-with-lb', this.argv)
  }
}
