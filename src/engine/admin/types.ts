/** The JSON shapes of the admin API (`/__elb-local/`), shared by the engine and `elb-local`. */
import type {BackendFailureCount} from '../dataplane/backend-failures.js'
import type {InstanceRecord, ServeProtocol} from '../model/types.js'

/** What `GET /__elb-local/health` says in `engine`: how clients tell the engine from another program. */
export const ENGINE_IDENTITY = 'elb-local'

/**
 * Not an AWS header: set on the answer to a write that succeeded but left something unable to
 * run (a listener that cannot bind); our CLI prints it as one `Warning:` line on stderr.
 */
export const WARNING_HEADER = 'x-elb-local-warning'

export interface AdminListenerStatus {
  readonly region: string
  readonly loadBalancerName: string
  readonly protocol: string
  readonly loadBalancerPort: number
  readonly address: string
  readonly localPort: number
  readonly state: string
  readonly error?: string
  /** Negotiation-policy protocols/ciphers this engine's OpenSSL cannot offer (left out). */
  readonly notOffered?: readonly string[]
}

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

export interface EngineStatus {
  readonly endpoint: string
  readonly pid: number
  readonly home: string
  readonly startedAt: string
  readonly portOffset: number
  readonly timeScale: number
  readonly defaultRegion: string
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
}

export interface AdminErrorBody {
  readonly error: {readonly code: string; readonly message: string}
}
