/** `elb-local run-instances | describe-instances | stop-instances | start-instances | terminate-instances`. */
import type {InstanceRecord, ServeSpec} from '../../engine/model/types.js'
import {parseServeSpecs, ServeSpecError} from '../../engine/instances/serve-spec.js'
import {
  JSON_OPTION, LocalCommandError, LocalUsageError, REGION_OPTION, tableOptions, WIDE_OPTION, type LocalCommand, type LocalContext,
} from './command.js'
import {adminCall, autostartedAdminClient, backendFailures} from './command-support.js'
import {formatInstances, formatStaleRegistrations} from './format.js'

/** Prints the instances as a table, or as JSON with --json. */
function printInstances(context: LocalContext, instances: readonly InstanceRecord[]): void {
  context.io.stdout(context.values.get('json') === true ? `${JSON.stringify(instances, null, 2)}\n` : `${formatInstances(instances, tableOptions(context))}\n`)
}

const stringValue = (context: LocalContext, name: string): string | undefined => {
  const value = context.values.get(name)
  return typeof value === 'string' ? value : undefined
}
const numberValue = (context: LocalContext, name: string): number | undefined => {
  const value = context.values.get(name)
  return typeof value === 'number' ? value : undefined
}

/**
 * Demo back ends that could not bind are an error of the command (exit 1), never silent: the
 * instances exist, but what was asked for does not serve.
 */
function failIfBackendsCannotServe(lines: readonly string[]): number {
  if (lines.length === 0) return 0
  throw new LocalCommandError(`${lines.join('\n')}\n` +
    'Give the instance a free address with --ip 127.0.0.N, or move every instance of this engine with ' +
    'ELB_LOCAL_INSTANCE_NETWORK=127.0.M (set when the engine starts).')
}

const runInstances: LocalCommand = {
  name: 'run-instances',
  summary: 'Launch local stand-ins for EC2 instances (loopback IPs 127.0.0.2, 127.0.0.3, …).',
  description: 'With --serve, the engine runs a small demo server on each port that answers every request ' +
    '(health checks included) with 200 and a JSON body naming the instance. https uses a self-signed ' +
    'certificate kept in ELB_LOCAL_HOME/instances/ID/cert.pem.',
  options: [
    {name: 'count', short: 'n', type: 'integer', placeholder: 'N', min: 1, max: 50, description: 'how many instances (1-50)'},
    {name: 'id', type: 'string', placeholder: 'ID', description: 'the instance id to use (i- + 8 or 17 hex digits)'},
    {name: 'ip', type: 'string', placeholder: 'IP', description: 'the private (loopback) IP to use instead of the first free one'},
    {name: 'availability-zone', short: 'z', type: 'string', placeholder: 'ZONE', description: 'Availability Zone (default REGIONa)'},
    {name: 'serve', type: 'string', placeholder: 'SPECS', description: 'demo backends: http[:PORT],https[:PORT]'},
    {name: 'port', type: 'integer', placeholder: 'PORT', min: 1, max: 65535, description: 'port for --serve entries without one'},
    REGION_OPTION,
    WIDE_OPTION,
    JSON_OPTION,
  ],
  examples: [
    'elb-local run-instances --id i-4f8cf126 --serve http:8080,https:443',
    'elb-local run-instances --count 2 --serve http --port 8080',
  ],
  async run(context) {
    const count = numberValue(context, 'count')
    const id = stringValue(context, 'id')
    const ip = stringValue(context, 'ip')
    const port = numberValue(context, 'port')
    const serveText = stringValue(context, 'serve')
    if (count !== undefined && (id !== undefined || ip !== undefined)) {
      throw new LocalUsageError(`--count cannot be used with ${id === undefined ? '--ip' : '--id'} (one instance per id and address).`)
    }
    if (port !== undefined && serveText === undefined) throw new LocalUsageError('--port needs --serve.')
    let serve: ServeSpec[] | undefined
    try {
      serve = serveText === undefined ? undefined : parseServeSpecs(serveText, port)
    } catch (error) {
      if (error instanceof ServeSpecError) throw new LocalUsageError(error.message)
      throw error
    }
    const zone = stringValue(context, 'availability-zone')
    const region = stringValue(context, 'region')
    const client = await autostartedAdminClient(context.io)
    const instances = await adminCall(() => client.runInstances({
      ...(count === undefined ? {} : {count}),
      ...(id === undefined ? {} : {instanceId: id}),
      ...(ip === undefined ? {} : {privateIp: ip}),
      ...(zone === undefined ? {} : {availabilityZone: zone}),
      ...(serve === undefined ? {} : {serve}),
      ...(region === undefined ? {} : {region}),
    }))
    printInstances(context, instances)
    return failIfBackendsCannotServe(await backendFailures(client, instances.map((instance) => instance.instanceId)))
  },
}

const describeInstances: LocalCommand = {
  name: 'describe-instances',
  summary: 'List the local instances (all, or the ids given).',
  positionals: {label: 'ID…', required: false},
  options: [REGION_OPTION, WIDE_OPTION, JSON_OPTION],
  async run(context) {
    const client = await autostartedAdminClient(context.io)
    printInstances(context, await adminCall(() => client.describeInstances(stringValue(context, 'region'), context.positionals)))
    return 0
  },
}

function instanceStateCommand(change: 'stop' | 'start' | 'terminate', summary: string): LocalCommand {
  return {
    name: `${change}-instances`,
    summary,
    positionals: {label: 'ID…', required: true},
    options: [REGION_OPTION, WIDE_OPTION, JSON_OPTION],
    examples: [`elb-local ${change}-instances i-4f8cf126`],
    async run(context) {
      const client = await autostartedAdminClient(context.io)
      const {instances, staleRegistrations = []} = await adminCall(() => client.changeInstances(change, context.positionals, stringValue(context, 'region')))
      printInstances(context, instances)
      if (change !== 'start') return 0
      // A started instance comes back on a new IP: the load balancers still hold the old one, and
      // its demo back ends must be able to bind at the new one.
      if (staleRegistrations.length > 0) context.io.stderr(`${formatStaleRegistrations(staleRegistrations)}\n`)
      return failIfBackendsCannotServe(await backendFailures(client, instances.map((instance) => instance.instanceId)))
    },
  }
}

export const INSTANCE_COMMANDS: readonly LocalCommand[] = [
  runInstances,
  describeInstances,
  instanceStateCommand('stop', 'Stop local instances: their demo backends go down; the IP they were registered with stays in the load balancer.'),
  instanceStateCommand('start', 'Start stopped local instances. Like EC2, each comes back on a NEW private IP: deregister and register it again.'),
  instanceStateCommand('terminate', 'Terminate local instances (their backends stop and their IPs are freed).'),
]
