import {spawn} from 'node:child_process'
import {statSync} from 'node:fs'
import {Command, Flags} from '@oclif/core'
import {adminCall, autostartedAdminClient} from '../../lib/local/command-support.js'
import {CONSOLE_PREFIX} from '../../engine/console/serve.js'

/** The first of these on PATH opens a URL in the desktop's browser. */
const OPENERS = ['xdg-open', 'open', 'sensible-browser']

function openCommand(): string | undefined {
  const path = (process.env.PATH ?? '').split(':')
  return OPENERS.find((name) => path.some((dir) => dir !== '' && hasExecutable(`${dir}/${name}`)))
}

function hasExecutable(file: string): boolean {
  try {
    return (statSync(file).mode & 0o111) !== 0
  } catch {
    return false
  }
}

export default class ElbLocalConsole extends Command {
  static override summary = 'Print the URL of the web console (served by the engine at /console/); --open opens it in a browser.'
  static override flags = {
    open: Flags.boolean({description: 'Open the console in the desktop browser, when there is one.'}),
  }

  async run(): Promise<void> {
    const {flags} = await this.parse(ElbLocalConsole)
    const client = await autostartedAdminClient()
    const status = await adminCall(this, () => client.status())
    const url = `${status.endpoint}${CONSOLE_PREFIX}`
    this.log(url)
    if (!flags.open) return
    const opener = openCommand()
    if (opener === undefined) {
      this.warn('No browser opener found (xdg-open, open, sensible-browser): open the URL above yourself.')
      return
    }
    spawn(opener, [url], {detached: true, stdio: 'ignore'}).unref()
  }
}
