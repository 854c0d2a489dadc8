/** `elb-local console | metrics`: the web console's URL, and the metrics the data plane measured. */
import {spawn} from 'node:child_process'
import {statSync} from 'node:fs'
import {CONSOLE_PREFIX} from '../../engine/constants.js'
import type {MetricsSummary} from '../../engine/metrics/http.js'
import type {MetricsSnapshot} from '../../engine/metrics/store.js'
import {engineHome} from '../client/local-engine.js'
import {AdminClient, EngineNotRunningError} from './admin-client.js'
import {JSON_OPTION, LocalCommandError, REGION_OPTION, tableOptions, WIDE_OPTION, type LocalCommand, type LocalContext} from './command.js'
import {adminCall, autostartedAdminClient, localEndpoint} from './command-support.js'
import {formatSeries, formatSummaries, sinceCreation} from './metrics-format.js'

/** The first of these on PATH opens a URL in the desktop's browser. */
const OPENERS = ['xdg-open', 'open', 'sensible-browser']

function opener(path: string): string | undefined {
  const dirs = path.split(':').filter((dir) => dir !== '')
  return OPENERS.find((name) => dirs.some((dir) => {
    try {
      return (statSync(`${dir}/${name}`).mode & 0o111) !== 0
    } catch {
      return false
    }
  }))
}

const consoleCommand: LocalCommand = {
  name: 'console',
  summary: 'Print the URL of the web console (served by the engine at /console/); --open opens it in a browser.',
  options: [{name: 'open', type: 'boolean', description: 'open the console in the desktop browser, when there is one'}],
  async run(context: LocalContext) {
    const client = await autostartedAdminClient(context.io)
    const status = await adminCall(() => client.status())
    // An engine that verifies signatures answers the console's owner only: a one-time login link.
    const url = status.signaturesRequired === true
      ? `${status.endpoint}${await adminCall(() => client.consoleLoginPath())}`
      : `${status.endpoint}${CONSOLE_PREFIX}`
    context.io.stdout(`${url}\n`)
    if (context.values.get('open') !== true) return 0
    const command = opener(context.io.env.PATH ?? '')
    if (command === undefined) {
      context.io.stderr(`No browser found (none of ${OPENERS.join(', ')} is on PATH): open ${url} yourself.\n`)
    } else if (!await openInBrowser(command, url)) {
      context.io.stderr(`No browser found (${command} could not open one): open ${url} yourself.\n`)
    }
    return 0
  },
}

/** How long an opener may run before it counts as having started a browser. */
const OPENER_WAIT_MS = 3000

/**
 * Runs the opener: false when it fails within OPENER_WAIT_MS (xdg-open on a machine without a
 * browser exits 3 at once); still running then (a browser in the foreground) counts as opened.
 */
function openInBrowser(command: string, url: string): Promise<boolean> {
  return new Promise((resolve) => {
    const child = spawn(command, [url], {detached: true, stdio: 'ignore'})
    const timer = setTimeout(() => {
      child.unref()
      resolve(true)
    }, OPENER_WAIT_MS)
    const settle = (opened: boolean) => {
      clearTimeout(timer)
      resolve(opened)
    }
    child.once('error', () => { settle(false) })
    child.once('exit', (code) => { settle(code === 0) })
  })
}

async function fetchJson<T>(client: AdminClient, path: string): Promise<T> {
  const {endpoint} = client
  let response: Response
  try {
    response = await fetch(`${endpoint}${path}`, {headers: client.ownerHeaders()})
  } catch {
    throw new LocalCommandError(new EngineNotRunningError(endpoint).message)
  }
  const body = await response.json() as T & {error?: {code: string; message: string}}
  if (!response.ok) throw new LocalCommandError(`${body.error?.code ?? response.status}: ${body.error?.message ?? response.statusText}`)
  return body
}

const metrics: LocalCommand = {
  name: 'metrics',
  summary: 'Show the metrics the data plane measured: every load balancer\'s last minute, or one load balancer over time.',
  description: 'The same numbers as the console\'s Monitoring tab and the Prometheus text at /metrics.',
  positionals: {label: 'LOAD-BALANCER', required: false},
  options: [
    REGION_OPTION,
    {name: 'range', type: 'integer', placeholder: 'SECONDS', min: 1, max: 3600, description: 'with a load balancer: seconds to show (default 60)'},
    {name: 'step', type: 'integer', placeholder: 'SECONDS', min: 1, max: 3600, description: 'with a load balancer: seconds per row (default range / 12)'},
    WIDE_OPTION,
    JSON_OPTION,
  ],
  async run(context: LocalContext) {
    const client = new AdminClient(localEndpoint(context.io), engineHome(context.io.env))
    const region = context.values.get('region')
    const query = new URLSearchParams(typeof region === 'string' ? {region} : {})
    const name = context.positionals[0]
    const json = context.values.get('json') === true
    if (name === undefined) {
      const answer = await fetchJson<{loadBalancers: MetricsSummary[]}>(client, `/metrics/load-balancers?${query.toString()}`)
      context.io.stdout(json ? `${JSON.stringify(answer, null, 2)}\n` : `${formatSummaries(answer.loadBalancers, tableOptions(context))}\n`)
      return 0
    }
    const range = Number(context.values.get('range') ?? 60)
    query.set('range', String(range))
    query.set('step', String(context.values.get('step') ?? Math.max(1, Math.ceil(range / 12))))
    const snapshot = sinceCreation(await fetchJson<MetricsSnapshot>(client, `/metrics/load-balancers/${encodeURIComponent(name)}?${query.toString()}`))
    context.io.stdout(json ? `${JSON.stringify(snapshot, null, 2)}\n` : `${formatSeries(snapshot, tableOptions(context))}\n`)
    return 0
  },
}

export const CONSOLE_COMMANDS: readonly LocalCommand[] = [consoleCommand, metrics]
