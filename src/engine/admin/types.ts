/**
 * The JSON shapes of the admin API (`/__elb-local/`), shared by the engine, `elb-local` and the
 * console. Dependency-free apart from the state's own types (model/types.ts, stale-registrations.ts), so the browser bundle
 * can type-check against it: a row that a runtime part reports (the data plane's listener status,
 * the runner's back ends, the health checker's targets) is spelled here as its wire shape, and the
 * engine passes the part's own rows where this shape is expected, so a field the wire needs and
 * the part lacks is a compile error (admin/handler.ts, main.ts).
 */
import type {ActiveFault} from '../faults/vocabulary.js'
import type {StaleRegistration} from '../model/elb/stale-registrations.js'
import type {InstanceHealth, InstanceRecord, ServeProtocol} from '../model/types.js'

/** One listener as `elb-local status` shows it (the data plane's `ListenerStatus`). */
export interface AdminListenerStatus {
  readonly region: string
  readonly loadBalancerName: string
  readonly protocol: string
  readonly loadBalancerPort: number
  readonly address: string
  /** The port actually bound (after the privileged-port offset). */
  readonly localPort: number
  readonly state: 'bound' | 'error'
  /** Present when `state` is `error`: why the listener is not serving, with the remedy. */
  readonly error?: string
  /** HTTPS/SSL: what the negotiation policy enables that this engine's OpenSSL cannot offer. */
  readonly notOffered?: readonly string[]
}

/** A stand-in instance's server (the runner's `BackendStatus`). */
export interface AdminBackendStatus {
  readonly region: string
  readonly instanceId: string
  readonly privateIp: string
  readonly protocol: ServeProtocol
  readonly port: number
  readonly localPort: number
  readonly state: 'listening' | 'error' | 'paused'
  readonly error?: string
}

/** Instances a load balancer could not use, counted (the data plane's `BackendFailureCount`). */
export interface AdminBackendFailure {
  readonly region: string
  readonly loadBalancerName: string
  readonly instanceId: string
  readonly reason: 'authentication' | 'tls' | 'connect' | 'connection'
  readonly count: number
  readonly lastError: string
}

/** One health-check target (the health checker's `TargetSummary`). */
export interface AdminTargetHealth {
  readonly region: string
  readonly loadBalancerName: string
  readonly instanceId: string
  readonly privateIp: string
  readonly health: InstanceHealth
  readonly routable: boolean
}

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
  readonly hostsSync?: HostsSyncAnswer
  /** Started with `--ephemeral`: the state directory is removed at stop. */
  readonly ephemeral?: boolean
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
  readonly backendFailures: readonly AdminBackendFailure[]
  /** The live traffic feed's watchers, the bytes queued for them, and lines dropped for slow ones. */
  readonly trafficFeed?: TrafficFeedStatus
  /** Faults in force (`elb-local fault set`). */
  readonly faults?: readonly ActiveFault[]
}

/** What the feed holds and has dropped, for `GET /__elb-local/status` (`admin/traffic.ts`). */
export interface TrafficFeedStatus {
  readonly watchers: number
  /** Bytes written to watchers and not yet sent (bounded per watcher). */
  readonly queuedBytes: number
  /** Lines dropped for slow watchers since the engine started. */
  readonly droppedLines: number
}

/**
 * `GET health`: names the engine, so `elb-local` and autostart can tell it from another program.
 * A caller that is not the owner gets `engine` and `pid` only; `targets` (every health-check
 * target) only when asked for with `?targets=1`, since every CLI probe calls this route.
 */
export interface HealthAnswer {
  readonly engine: string
  readonly pid: number
  readonly endpoint?: string
  readonly targets?: readonly AdminTargetHealth[]
}

/** `POST hosts/sync | hosts/remove`: the hosts file the engine keeps its block in (src/engine/dns/hosts-sync.ts's status). */
export interface HostsSyncAnswer {
  readonly file: string
  readonly enabled: boolean
  /** Load-balancer names in the block. */
  readonly names: number
}

/** What `POST reset` removed. */
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

export interface RunInstancesRequest {
  readonly region?: string
  readonly count?: number
  readonly instanceId?: string
  readonly privateIp?: string
  readonly availabilityZone?: string
  readonly serve?: readonly {readonly protocol: string; readonly port: number}[]
}

/** The body of `instances/stop|start|terminate` and `backends/pause|resume`. */
export interface InstanceIdsRequest {
  readonly instanceIds: readonly string[]
  readonly region?: string
}

/** `POST certificates/check`: a would-be UploadServerCertificate's PEM texts. */
export interface CertificateCheckRequest {
  readonly certificateBody: string
  readonly privateKey: string
  readonly certificateChain?: string
}

export type CertificateVerdict =
  | {readonly valid: true; readonly notBefore: string; readonly notAfter: string}
  | {readonly valid: false; readonly error: {readonly code: string; readonly message: string}}

export interface AdminErrorBody {
  readonly error: {readonly code: string; readonly message: string}
}

/** `GET ca`: the local CA's root certificate (PEM) and the file under the engine home that holds it. */
export interface LocalCaAnswer {
  readonly certificate: string
  readonly file: string
}
