/**
 * `elb-local hosts [--sync | --remove]`: the load balancers' names as /etc/hosts lines — printed,
 * or kept by the engine in a marked block of the hosts file (ELB_LOCAL_HOSTS_FILE, else /etc/hosts)
 * as load balancers come and go, until `--remove`.
 */
import {hostsFilePath} from '../../engine/dns/hosts-file.js'
import {removeHostsBlockOffline} from '../../engine/dns/hosts-sync.js'
import type {CliIo} from '../cli/io.js'
import {probeEngine} from '../client/engine-probe.js'
import {engineHome} from '../client/local-engine.js'
import {LocalCommandError, LocalUsageError, type LocalCommand} from './command.js'
import {adminCall, localEndpoint, runningAdminClient} from './command-support.js'
import {formatHosts} from './format.js'

export const hosts: LocalCommand = {
  name: 'hosts',
  summary: 'Print one /etc/hosts line per load balancer: ADDRESS DNS-NAME; or keep them in /etc/hosts (--sync).',
  description: 'With --sync the engine writes a block "# BEGIN elb-local (ELB_LOCAL_HOME)" ... "# END elb-local (...)" into ' +
    '/etc/hosts (or ELB_LOCAL_HOSTS_FILE) and keeps it current as load balancers come and go, also after a restart, ' +
    'so `curl http://DNS-NAME/` works; the engine must be allowed to write the file (root). --remove takes the block out.',
  options: [
    {name: 'sync', type: 'boolean', description: 'have the engine keep the lines in the hosts file'},
    {name: 'remove', type: 'boolean', description: 'take the engine\'s block out of the hosts file and stop keeping it'},
  ],
  examples: ['elb-local hosts', 'sudo elb-local hosts --sync', 'elb-local hosts --remove'],
  async run(context) {
    const sync = context.values.get('sync') === true
    const remove = context.values.get('remove') === true
    if (sync && remove) throw new LocalUsageError('--sync and --remove exclude each other.')
    if (remove) return removeBlock(context.io)
    const client = await runningAdminClient(context.io)
    if (sync) {
      const answer = await adminCall(() => client.hostsSync(true))
      context.io.stdout(`The engine keeps ${answer.names} name(s) in ${answer.file} (\`elb-local hosts --remove\` takes them out).\n`)
      return 0
    }
    const lines = await adminCall(() => client.hosts())
    if (lines.length > 0) context.io.stdout(`${formatHosts(lines)}\n`)
    return 0
  },
}

/** Through the engine when it runs (it stops keeping the block); else straight from the file. */
async function removeBlock(io: CliIo): Promise<number> {
  const endpoint = localEndpoint(io)
  if ((await probeEngine(endpoint)).kind === 'engine') {
    const client = await runningAdminClient(io)
    const answer = await adminCall(() => client.hostsSync(false))
    io.stdout(`Removed the engine's block from ${answer.file}.\n`)
    return 0
  }
  const file = hostsFilePath(io.env)
  try {
    const changed = removeHostsBlockOffline(engineHome(io.env), file)
    io.stdout(changed ? `Removed the engine's block from ${file}.\n` : `${file} has no block of this engine.\n`)
    return 0
  } catch (error) {
    throw new LocalCommandError(`Cannot update ${file}: ${error instanceof Error ? error.message : String(error)}.`)
  }
}
