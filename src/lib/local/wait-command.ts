/**
 * `elb-local wait [--in-service LB…] [--timeout S]`: for scripts and CI. Returns 0 as soon as the
 * engine answers (and, with --in-service, every named load balancer has instances, all InService);
 * on timeout, exit 1 naming what is still missing.
 */
import {probeEngine} from '../client/engine-probe.js'
import {engineHome} from '../client/local-engine.js'
import {AdminClient, type HealthTarget} from './admin-client.js'
import {LocalCommandError, LocalUsageError, REGION_OPTION, type LocalCommand} from './command.js'
import {localEndpoint} from './command-support.js'

const DEFAULT_TIMEOUT_S = 60
const POLL_INTERVAL_MS = 200

export const wait: LocalCommand = {
  name: 'wait',
  summary: 'Wait until the engine answers and, with --in-service, until each named load balancer\'s instances are all InService.',
  positionals: {label: 'LB…', required: false},
  options: [
    {name: 'in-service', type: 'boolean', description: 'also wait for the load balancers named after the options'},
    {name: 'timeout', type: 'integer', placeholder: 'S', min: 0, max: 86_400, description: `give up after S seconds (default ${DEFAULT_TIMEOUT_S})`},
    REGION_OPTION,
  ],
  examples: ['elb-local wait', 'elb-local wait --in-service --timeout 30 web api'],
  async run(context) {
    const inService = context.values.get('in-service') === true
    const names = [...context.positionals]
    if (inService && names.length === 0) throw new LocalUsageError('--in-service needs at least one load balancer name.')
    if (!inService && names.length > 0) throw new LocalUsageError(`load balancer names are for --in-service (got '${names[0]}').`)
    const timeoutFlag = context.values.get('timeout')
    const timeoutS = typeof timeoutFlag === 'number' ? timeoutFlag : DEFAULT_TIMEOUT_S
    const regionFlag = context.values.get('region')
    const endpoint = localEndpoint(context.io)
    const client = new AdminClient(endpoint, engineHome(context.io.env))
    const deadline = Date.now() + timeoutS * 1000
    for (;;) {
      const missing = await whatIsMissing(client, names, typeof regionFlag === 'string' ? regionFlag : undefined)
      if (missing.length === 0) {
        context.io.stdout(names.length === 0 ? `The engine at ${endpoint} is ready.\n` : `In service: ${names.join(', ')}.\n`)
        return 0
      }
      if (Date.now() >= deadline) {
        throw new LocalCommandError(`Timed out after ${timeoutS} s waiting for:\n${missing.map((line) => `  ${line}`).join('\n')}`)
      }
      await new Promise((resolve) => setTimeout(resolve, Math.min(POLL_INTERVAL_MS, Math.max(0, deadline - Date.now()))))
    }
  },
}

/** One line per thing not ready yet; none when all is. */
async function whatIsMissing(client: AdminClient, names: readonly string[], regionFlag: string | undefined): Promise<string[]> {
  const probe = await probeEngine(client.endpoint, 1000)
  if (probe.kind === 'nothing') return [`the engine at ${client.endpoint} (not answering)`]
  if (probe.kind === 'foreign') return [`the engine at ${client.endpoint} (another program answers there)`]
  if (names.length === 0) return []
  try {
    const [status, targets] = await Promise.all([client.status(), client.healthTargets()])
    const region = regionFlag ?? status.defaultRegion
    return names.flatMap((name) => {
      const lb = status.loadBalancers.find((row) => row.region === region && row.name === name)
      if (lb === undefined) return [`${name}: no such load balancer in ${region}`]
      if (lb.instances === 0) return [`${name}: no instances registered`]
      const own = targets.filter((target) => target.region === region && target.loadBalancerName === name)
      const notInService = own.filter((target) => target.health.state !== 'InService').map((target) => describe(name, target))
      const unprobed = lb.instances - own.length
      return unprobed > 0 ? [...notInService, `${name}: ${unprobed} instance(s) not checked yet`] : notInService
    })
  } catch (error) {
    return [`the engine's answer (${error instanceof Error ? error.message : String(error)})`]
  }
}

const describe = (name: string, target: HealthTarget): string =>
  `${name}: ${target.instanceId} ${target.health.state}${target.health.description === '' ? '' : ` (${target.health.description})`}`
