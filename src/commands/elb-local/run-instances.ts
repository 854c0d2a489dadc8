import {Command, Flags} from '@oclif/core'
import {adminCall, autostartedAdminClient, warnAboutBackends} from '../../lib/local/command-support.js'
import {formatInstances} from '../../lib/local/format.js'
import {parseServeSpecs, ServeSpecError} from '../../engine/instances/serve-spec.js'
import type {InstanceRecord, ServeSpec} from '../../engine/model/types.js'

export default class ElbLocalRunInstances extends Command {
  static override summary = 'Launch local stand-ins for EC2 instances (loopback IPs 127.0.0.2, 127.0.0.3, …).'
  static override description = 'With --serve, the engine runs a small demo server on each port that answers every ' +
    'request (health checks included) with 200 and a JSON body naming the instance. https uses a self-signed ' +
    'certificate kept in ELB_LOCAL_HOME/instances/ID/cert.pem.'
  static override examples = [
    '<%= config.bin %> <%= command.id %> --id i-4f8cf126 --serve http:8080,https:443',
    '<%= config.bin %> <%= command.id %> --count 2 --serve http --port 8080',
  ]
  static override enableJsonFlag = true
  static override flags = {
    count: Flags.integer({char: 'n', description: 'how many instances (1-50)', min: 1, max: 50, exclusive: ['id', 'ip']}),
    id: Flags.string({description: 'the instance id to use (i- + 8 or 17 hex digits)'}),
    ip: Flags.string({description: 'the private (loopback) IP to use instead of the first free one'}),
    'availability-zone': Flags.string({char: 'z', description: 'Availability Zone (default REGIONa)'}),
    serve: Flags.string({description: 'demo backends: http[:PORT],https[:PORT]'}),
    port: Flags.integer({description: 'port for --serve entries without one', min: 1, max: 65535, dependsOn: ['serve']}),
    region: Flags.string({description: 'region (default: the engine\'s default region)', env: 'EC2_REGION'}),
  }

  async run(): Promise<InstanceRecord[]> {
    const {flags} = await this.parse(ElbLocalRunInstances)
    let serve: ServeSpec[] | undefined
    try {
      serve = flags.serve === undefined ? undefined : parseServeSpecs(flags.serve, flags.port)
    } catch (error) {
      if (error instanceof ServeSpecError) this.error(error.message, {exit: 1})
      throw error
    }
    const client = await autostartedAdminClient()
    const instances = await adminCall(this, () => client.runInstances({
      ...(flags.count === undefined ? {} : {count: flags.count}),
      ...(flags.id === undefined ? {} : {instanceId: flags.id}),
      ...(flags.ip === undefined ? {} : {privateIp: flags.ip}),
      ...(flags['availability-zone'] === undefined ? {} : {availabilityZone: flags['availability-zone']}),
      ...(serve === undefined ? {} : {serve}),
      ...(flags.region === undefined ? {} : {region: flags.region}),
    }))
    this.log(formatInstances(instances))
    await warnAboutBackends(client, instances.map((instance) => instance.instanceId))
    return instances
  }
}
