/** The JSON shapes of the admin API (`/__elb-local/`), shared by the engine and `elb-local`. */
import type {InstanceRecord, ServeProtocol} from '../model/types.js'

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
