import {existsSync, readFileSync, statSync} from 'node:fs'
import {join} from 'node:path'
import {Command, Flags} from '@oclif/core'
import {ENGINE_LOG_FILE, engineHome} from '../../lib/client/local-engine.js'

export default class ElbLocalLogs extends Command {
  static override summary = 'Print the local engine\'s log (ELB_LOCAL_HOME/engine.log).'
  static override flags = {
    lines: Flags.integer({char: 'n', description: 'how many of the last lines to print (0 = all)', default: 100, min: 0}),
    follow: Flags.boolean({char: 'f', description: 'keep printing new lines until interrupted'}),
  }

  async run(): Promise<void> {
    const {flags} = await this.parse(ElbLocalLogs)
    const file = join(engineHome(), ENGINE_LOG_FILE)
    if (!existsSync(file)) this.error(`No engine log at ${file} (has the engine been started with this ELB_LOCAL_HOME?).`, {exit: 1})
    const text = readFileSync(file, 'utf8')
    const lines = text.split('\n')
    if (lines.at(-1) === '') lines.pop()
    const shown = flags.lines === 0 ? lines : lines.slice(-flags.lines)
    if (shown.length > 0) process.stdout.write(`${shown.join('\n')}\n`)
    if (!flags.follow) return
    let offset = Buffer.byteLength(text)
    for (;;) {
      await new Promise((resolve) => setTimeout(resolve, 250))
      const size = statSync(file).size
      if (size < offset) offset = 0
      if (size > offset) {
        process.stdout.write(readFileSync(file).subarray(offset, size))
        offset = size
      }
    }
  }
}
