/** `elb-local logs [-n N] [-f] | --traffic`: the engine's log file, or its live traffic. */
import {existsSync, readFileSync, statSync} from 'node:fs'
import {request} from 'node:http'
import {join} from 'node:path'
import {ENGINE_LOG_FILE, engineHome} from '../client/local-engine.js'
import {LocalCommandError, LocalUsageError, type LocalCommand, type LocalContext} from './command.js'
import {runningAdminClient} from './command-support.js'

const FOLLOW_POLL_MS = 250

export const logs: LocalCommand = {
  name: 'logs',
  summary: 'Print the local engine\'s log (ELB_LOCAL_HOME/engine.log), or with --traffic every load balancer\'s requests, live.',
  description: 'With --traffic, one access-log line (the ELB access-log format) per request or TCP connection through any ' +
    'load balancer, as it ends, until interrupted; load balancers need no access-log attribute for it.',
  options: [
    {name: 'lines', short: 'n', type: 'integer', placeholder: 'N', min: 0, max: 1_000_000, description: 'how many of the last lines to print (0 = all; default 100)'},
    {name: 'follow', short: 'f', type: 'boolean', description: 'keep printing new lines until interrupted'},
    {name: 'traffic', type: 'boolean', description: 'print the access-log lines of every load balancer, live'},
  ],
  async run(context) {
    if (context.values.get('traffic') === true) {
      if (context.values.has('lines') || context.values.has('follow')) throw new LocalUsageError('--traffic is live only: it takes no --lines or --follow.')
      return watchTraffic(context)
    }
    const file = join(engineHome(context.io.env), ENGINE_LOG_FILE)
    if (!existsSync(file)) throw new LocalCommandError(`No engine log at ${file} (has the engine been started with this ELB_LOCAL_HOME?).`)
    const text = readFileSync(file, 'utf8')
    const lines = text.split('\n')
    if (lines.at(-1) === '') lines.pop()
    const count = context.values.get('lines')
    const limit = typeof count === 'number' ? count : 100
    const shown = limit === 0 ? lines : lines.slice(-limit)
    if (shown.length > 0) context.io.stdout(`${shown.join('\n')}\n`)
    if (context.values.get('follow') !== true) return 0
    let offset = Buffer.byteLength(text)
    for (;;) {
      await new Promise((resolve) => setTimeout(resolve, FOLLOW_POLL_MS))
      const size = statSync(file).size
      if (size < offset) offset = 0
      if (size > offset) {
        context.io.stdout(readFileSync(file).subarray(offset, size).toString('utf8'))
        offset = size
      }
    }
  },
}

/** Streams the engine's traffic feed (admin route `traffic`) to stdout until interrupted (or the engine stops: exit 1). */
async function watchTraffic(context: LocalContext): Promise<number> {
  const client = await runningAdminClient(context.io)
  await new Promise<void>((resolve, reject) => {
    const outgoing = request(client.url('traffic'), {headers: client.ownerHeaders()}, (response) => {
      response.setEncoding('utf8')
      response.on('data', (chunk: string) => { context.io.stdout(chunk) })
      response.once('end', resolve)
      response.once('error', reject)
    })
    outgoing.once('error', reject)
    outgoing.end()
  }).catch(() => undefined)
  throw new LocalCommandError(`The engine at ${client.endpoint} closed the traffic feed (has it stopped?).`)
}
