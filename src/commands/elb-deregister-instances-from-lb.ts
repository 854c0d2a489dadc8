import {Command} from '@oclif/core'
import {runLegacyBinary} from '../lib/cli/main.js'

/** `elb-deregister-instances-from-lb`: the legacy command, with the legacy option syntax (parsed by src/lib/cli, not oclif). */
export default class ElbDeregisterInstancesFromLb extends Command {
  static override summary = 'Deregisters instances from a LoadBalancer'
  static override strict = false

  async run(): Promise<void> {
    process.exitCode = await runLegacyBinary('elb-deregister-instances-from-lb', this.argv)
  }
}
