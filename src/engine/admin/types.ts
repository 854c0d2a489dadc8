/** The JSON shapes of the admin API (`/__elb-local/`), shared by the engine and `elb-local`. */
import type {BackendFailureCount} from '../dataplane/backend-failures.js'
import type {ListenerStatus} from '../dataplane/types.js'
import type {BackendStatus} from '../instances/runner.js'
import type {StaleRegistration} from '../model/elb/stale-registrations.js'
import type {InstanceRecord} from '../model/types.js'

/** What `GET /__elb-local/health` says in `engine`: how clients tell the engine from another program. */
export const ENGINE_IDENTITY = 'elb-local'

/**
 * Not an AWS header: set on the answer to a write that succeeded but left something unable to
 * run (a listener that cannot bind); our CLI prints it as one `Warning:` line on stderr.
 */
export const WARNING_HEADER = 'x-elb-local-warning'

/** A listener as `DataPlane.listenerStatus()` reports it (one type, owned by the data plane). */
export type AdminListenerStatus = ListenerStatus
/** A stand-in instance's server as `InstanceRunner.status()` reports it (owned by the runner). */
export type AdminBackendStatus = BackendStatus

export interface EngineStatus {
  readonly endpoint: string
  readonly pid: number
  readonly home: string
  readonly startedAt: string
  readonly portOffset: number
  readonly timeScale: number
  readonly defaultRegion: string
  /** Started with `--credentials`: requests must be signed, the admin API answers the owner only. */
  readonly signaturesRequired?: boolean
  /** Where the DNS responder answers for the load balancers' names (absent if it could not bind). */
  readonly dns?: {readonly host: string; readonly port: number}
  /** The hosts file `elb-local hosts --sync` keeps, and whether it is kept now. */
  readonly hostsSync?: {readonly file: string; readonly enabled: boolean; readonly names: number}
  /** Started with `--ephemeral`: the state directory is removed at stop. */
  readonly ephemeral?: boolean
  /** False until the data plane module is wired in (then listeners carry no traffic). */
  readonly dataPlane: boolean
  readonly counts: {
    readonly loadBalancers: number
    readonly instances: number
    readonly runningInstances: number
    readonly serverCertificates: number
  }
  readonly loadBalancers: readonly {
    readonly region: string
    readonly name: string
    readonly dnsName: string
    readonly address: string
    readonly instances: number
    readonly listeners: readonly AdminListenerStatus[]
  }[]
  readonly backends: readonly AdminBackendStatus[]
  /** Instances the load balancers could not use (connect, TLS, back-end authentication), counted. */
  readonly backendFailures: readonly BackendFailureCount[]
  /** The live traffic feed's watchers, the bytes queued for them, and lines dropped for slow ones. */
  readonly trafficFeed?: TrafficFeedStatus
}

/** What the feed holds and has dropped, for `GET /__elb-local/status` (`admin/traffic.ts`). */
export interface TrafficFeedStatus {
  readonly watchers: number
  /** Bytes written to watchers and not yet sent (bounded per watcher). */
  readonly queuedBytes: number
  /** Lines dropped for slow watchers since the engine started. */
  readonly droppedLines: number
}

/** What `POST /__elb-local/reset` removed. */
export interface ResetCounts {
  readonly loadBalancers: number
  readonly serverCertificates: number
  readonly instances: number
}

export interface HostsLine {
  readonly address: string
  readonly dnsName: string
}

export interface InstancesAnswer {
  readonly instances: readonly InstanceRecord[]
  /** `start`: load balancers that still hold a started instance's old address. */
  readonly staleRegistrations?: readonly StaleRegistration[]
}

export interface AdminErrorBody {
  readonly error: {readonly code: string; readonly message: string}
}
