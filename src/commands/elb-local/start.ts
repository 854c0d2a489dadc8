import {spawn} from 'node:child_process'
import {resolve} from 'node:path'
import {Command, Flags} from '@oclif/core'
import {
  DEFAULT_ENGINE_PORT, engineEndpoint, engineEntryScript, engineHome, isAnswering, startEngineInBackground,
} from '../../lib/client/local-engine.js'
import {privilegedPortWarning} from '../../engine/instances/privileges.js'

export default class ElbLocalStart extends Command {
  static override summary = 'Start the local ELB engine (in the background unless --foreground).'
  static override description = 'State lives in ELB_LOCAL_HOME (default ~/.elb-local): state.json, engine.pid, engine.log. ' +
    'Without the privilege to bind ports below 1024, use --port-offset N: listeners and demo backends on such ports ' +
    'then use port+N (the API still shows the real ports).'
  static override examples = ['<%= config.bin %> <%= command.id %>', '<%= config.bin %> <%= command.id %> --port-offset 8000']
  static override flags = {
    foreground: Flags.boolean({description: 'run in this terminal until interrupted'}),
    host: Flags.string({description: 'address the API listens on (loopback unless you ask otherwise)'}),
    port: Flags.integer({description: `API port (default from ELB_LOCAL_ENDPOINT, else ${DEFAULT_ENGINE_PORT})`, min: 0, max: 65535}),
    'port-offset': Flags.integer({description: 'bind ports below 1024 as port+N (no root needed)', min: 0, max: 64511}),
    credentials: Flags.string({
      description: 'verify request signatures (SigV4, SigV2) against the access keys in FILE (~/.aws/credentials or legacy format); default off',
      env: 'ELB_LOCAL_CREDENTIALS',
    }),
  }

  async run(): Promise<void> {
    const {flags} = await this.parse(ElbLocalStart)
    const configured = new URL(engineEndpoint())
    const host = flags.host ?? configured.hostname.replace(/^\[(.*)\]$/, '$1')
    const port = flags.port ?? (configured.port === '' ? DEFAULT_ENGINE_PORT : Number(configured.port))
    const endpoint = `http://${host.includes(':') ? `[${host}]` : host}:${port}`
    const home = engineHome()
    if (port !== 0 && await isAnswering(endpoint)) {
      this.log(`The local engine is already running at ${endpoint}.`)
      return
    }
    const warning = privilegedPortWarning(flags['port-offset'] ?? Number(process.env.ELB_LOCAL_PORT_OFFSET ?? 0))
    if (warning !== undefined) process.stderr.write(`Warning: ${warning}\n`)
    const credentials = flags.credentials === undefined || flags.credentials === '' ? undefined : resolve(flags.credentials)
    if (flags.foreground) {
      await this.runInForeground(home, host, port, flags['port-offset'], credentials)
      return
    }
    try {
      const started = await startEngineInBackground({
        home, host, port, ...(flags['port-offset'] === undefined ? {} : {portOffset: flags['port-offset']}),
        ...(credentials === undefined ? {} : {env: {ELB_LOCAL_CREDENTIALS: credentials}}),
      })
      this.log(`Local engine started at ${started.endpoint} (pid ${started.pid}, state in ${home}).`)
    } catch (error) {
      this.error(error instanceof Error ? error.message : String(error), {exit: 1})
    }
  }

  private runInForeground(home: string, host: string, port: number, portOffset: number | undefined, credentials: string | undefined): Promise<void> {
    const args = [engineEntryScript(), '--home', home, '--host', host, '--port', String(port)]
    if (portOffset !== undefined) args.push('--port-offset', String(portOffset))
    if (credentials !== undefined) args.push('--credentials', credentials)
    const child = spawn(process.execPath, args, {stdio: 'inherit'})
    const forward = (signal: NodeJS.Signals) => child.kill(signal)
    process.on('SIGINT', forward)
    process.on('SIGTERM', forward)
    return new Promise((resolve) => {
      child.once('exit', (code) => {
        process.off('SIGINT', forward)
        process.off('SIGTERM', forward)
        if (code !== 0 && code !== null) this.exit(code)
        resolve()
      })
    })
  }
}
