import {readFileSync} from 'node:fs'
import {join} from 'node:path'
import {Command} from '@oclif/core'
import {ENGINE_PID_FILE, engineEndpoint, engineHome, isAnswering} from '../../lib/client/local-engine.js'
import {AdminClient} from '../../lib/local/admin-client.js'

const STOP_TIMEOUT_MS = 10_000

export default class ElbLocalStop extends Command {
  static override summary = 'Stop the local ELB engine (its state stays in ELB_LOCAL_HOME).'

  async run(): Promise<void> {
    await this.parse(ElbLocalStop)
    const endpoint = engineEndpoint()
    if (!await isAnswering(endpoint)) {
      this.log(`The local engine is not running at ${endpoint}.`)
      return
    }
    try {
      await new AdminClient(endpoint).shutdown()
    } catch {
      // Not an elb-local engine answering, or it went away: fall back to the pid file.
      this.signalFromPidFile()
    }
    const deadline = Date.now() + STOP_TIMEOUT_MS
    while (Date.now() < deadline) {
      if (!await isAnswering(endpoint)) {
        this.log(`Local engine at ${endpoint} stopped.`)
        return
      }
      await new Promise((resolve) => setTimeout(resolve, 50))
    }
    this.error(`The engine at ${endpoint} did not stop within ${STOP_TIMEOUT_MS / 1000} s.`, {exit: 1})
  }

  private signalFromPidFile(): void {
    try {
      const pid = Number(readFileSync(join(engineHome(), ENGINE_PID_FILE), 'utf8').trim())
      if (Number.isInteger(pid) && pid > 0) process.kill(pid, 'SIGTERM')
    } catch {
      // nothing to signal
    }
  }
}
