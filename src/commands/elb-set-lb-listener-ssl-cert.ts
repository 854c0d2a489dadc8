import {Command} from '@oclif/core'
import {runLegacyBinary} from '../lib/cli/main.js'

/** `elb-set-lb-listener-ssl-cert`: the legacy command, with the legacy option syntax (parsed by src/lib/cli, not oclif). */
export default class ElbSetLbListenerSslCert extends Command {
  static override summary = 'Set the SSL Certificate for the Listener of the specified LoadBalancer port.'
  static override strict = false

  async run(): Promise<void> {
    process.exitCode = await runLegacyBinary('elb-set-lb-listener-ssl-cert', this.argv)
  }
}
