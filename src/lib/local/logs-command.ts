/** `elb-local logs [-n N] [-f]`: the engine's log file. */
import {existsSync, readFileSync, statSync} from 'node:fs'
import {join} from 'node:path'
import {ENGINE_LOG_FILE, engineHome} from '../client/local-engine.js'
import {LocalCommandError, type LocalCommand} from './command.js'

const FOLLOW_POLL_MS = 250

export const logs: LocalCommand = {
  name: 'logs',
  summary: 'Print the local engine\'s log (ELB_LOCAL_HOME/engine.log).',
  options: [
    {name: 'lines', short: 'n', type: 'integer', placeholder: 'N', min: 0, max: 1_000_000, description: 'how many of the last lines to print (0 = all; default 100)'},
    {name: 'follow', short: 'f', type: 'boolean', description: 'keep printing new lines until interrupted'},
  ],
  async run(context) {
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
