/**
 * Names that resolve: the index of load-balancer names, the DNS responder over it, and the
 * /etc/hosts block — one owner, fed the store's snapshots by the composition root (main.ts).
 */
import type {ChangeSet} from '../model/store.js'
import type {EngineState} from '../model/types.js'
import {hostsFilePath} from './hosts-file.js'
import {HostsSync, type HostsSyncStatus} from './hosts-sync.js'
import {LoadBalancerNames} from './names.js'
import {startDnsResponder, type DnsResponder} from './responder.js'

export interface NameServiceOptions {
  /** Ports to try in order for UDP and TCP together (default [0]: any free port). */
  readonly ports?: readonly number[]
  /** The hosts file `elb-local hosts --sync` keeps (default ELB_LOCAL_HOSTS_FILE, else /etc/hosts). */
  readonly hostsFile?: string
}

/** What `elb-local status` shows of it. */
export interface NameServiceStatus {
  readonly dns?: {readonly host: string; readonly port: number}
  readonly hostsSync: HostsSyncStatus
}

export interface NameService {
  apply(state: EngineState, changes: ChangeSet): void
  /** Resolves once the hosts block (if kept) shows this change. */
  hostsApplied(changes: ChangeSet): Promise<void>
  /** Binds the responder; a failure is logged, the engine runs on without it. */
  listen(): Promise<void>
  status(): NameServiceStatus
  readonly hosts: HostsSync
  /** `removeHostsBlock`: an ephemeral engine leaves nothing behind. */
  close(removeHostsBlock: boolean): Promise<void>
}

export function startNameService(options: NameServiceOptions & {home: string; host: string; log: (line: string) => void}): NameService {
  const names = new LoadBalancerNames()
  const hosts = new HostsSync({home: options.home, file: options.hostsFile ?? hostsFilePath(), names, log: options.log})
  let responder: DnsResponder | undefined
  return {
    apply: (state, changes) => { names.apply(state, changes) },
    hostsApplied: (changes) => hosts.apply(changes),
    async listen() {
      try {
        responder = await startDnsResponder({host: options.host, ports: options.ports ?? [0], lookup: (name) => names.lookup(name), log: options.log})
        options.log(`DNS responder on ${options.host}:${responder.port} (UDP and TCP) answers for the load balancers' names`)
      } catch (error) {
        options.log(`WARN ${error instanceof Error ? error.message : String(error)}`)
      }
    },
    status: () => ({
      ...(responder === undefined ? {} : {dns: {host: responder.host, port: responder.port}}),
      hostsSync: hosts.status(),
    }),
    hosts,
    async close(removeHostsBlock) {
      if (removeHostsBlock && hosts.status().enabled) {
        try {
          hosts.disable()
        } catch (error) {
          options.log(`WARN ${error instanceof Error ? error.message : String(error)}`)
        }
      }
      await responder?.close()
    },
  }
}
