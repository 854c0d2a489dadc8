import type {BackendFailure} from './backend-failures.js'
import {randomBytes} from 'node:crypto'
import {mkdirSync, readFileSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'
import {EVERYTHING, touchedLoadBalancers, type ChangeSet, type TouchedLoadBalancer} from '../model/persistence/changes.js'
import type {EngineState, LoadBalancerRecord} from '../model/types.js'
import {servingCertificate, type ServingCertificate} from '../model/serving-certificates.js'
import {localPort} from '../ports.js'
import {AccessLogWriter} from './access-log.js'
import {compileListener, compileLoadBalancer, type ListenerConfig} from './config.js'
import {ConnectionBudget, connectionLimits, type ConnectionLimits} from './connection-limits.js'
import {ListenerRuntime} from './listener.js'
import {LoadBalancerRuntime} from './load-balancer.js'
import {observationOf, type ExchangeObserver, type Observation, type ObserverFactory} from './observer.js'
import type {DataPlaneLog, DataPlaneOptions, DrainingView, HealthChangeEvent, HealthSink, ListenerStatus} from './types.js'

/**
 * The data plane: real listeners for every load balancer in the snapshot. `apply` reconciles the
 * running listeners with a new snapshot (bind new, close removed, swap settings in place) and
 * resolves once every new listener is bound or has failed, so the API can answer afterwards.
 */

interface RunningLoadBalancer {
  readonly runtime: LoadBalancerRuntime
  readonly listeners: Map<number, ListenerRuntime>
  /** The certificate each listener resolved to when it was compiled (a re-upload under the same ARN recompiles). */
  certificates: readonly (ServingCertificate | undefined)[]
  accessLog: AccessLogWriter | undefined
  /** From `DataPlaneOptions.observe`, made once when the LB starts running. */
  readonly extraObserver: ExchangeObserver | undefined
  /** Access log + extra observer, as the listeners read it. */
  observation: Observation
}

const SILENT_LOG: DataPlaneLog = {info: () => undefined, warn: () => undefined, error: () => undefined}

export class DataPlane implements DrainingView, HealthSink {
  /** The health checker's last verdict per `region/lb/instance` (seeds back ends made later). */
  private readonly routable = new Map<string, boolean>()
  private readonly unknownRoutable: boolean
  private readonly health: DataPlaneOptions['health']
  private readonly disconnectHealth: () => void
  private readonly portOffset: number
  private readonly stateDir: string | undefined
  private readonly log: DataPlaneLog
  private readonly timeScale: number
  private readonly stickySecret: Buffer
  private readonly observe: ObserverFactory | undefined
  private readonly onBackendFailure: ((failure: BackendFailure) => void) | undefined
  private readonly securityGroups: DataPlaneOptions['securityGroups']
  /** One more observer on every load balancer while someone watches the traffic (setTap). */
  private tap: ExchangeObserver | undefined
  private readonly running = new Map<string, RunningLoadBalancer>()
  /** Applies run one after another, in order. */
  private queue: Promise<void> = Promise.resolve()
  private closed = false
  private readonly connections: ConnectionBudget

  constructor(options: DataPlaneOptions) {
    this.health = options.health
    this.unknownRoutable = options.health.unknownRoutable ?? false
    this.portOffset = options.portOffset
    this.stateDir = options.stateDir
    const log = options.log ?? SILENT_LOG
    this.log = typeof log === 'function'
      ? {info: line => { log(`dataplane: ${line}`); }, warn: line => { log(`WARN dataplane: ${line}`); }, error: line => { log(`ERROR dataplane: ${line}`); }}
      : log
    this.timeScale = options.timeScale ?? 1
    this.observe = options.observe
    this.onBackendFailure = options.onBackendFailure
    this.securityGroups = options.securityGroups
    this.stickySecret = this.loadStickySecret()
    this.connections = new ConnectionBudget(connectionLimits(options.connectionLimits))
    this.disconnectHealth = options.health.connect(this)
  }

  /** The health sink: one instance's routability changed (or was announced on connect). */
  healthChanged(event: HealthChangeEvent): void {
    const key = `${event.region}/${event.loadBalancerName}/${event.instanceId}`
    if (event.kind === 'removed') this.routable.delete(key)
    else this.routable.set(key, event.routable)
    const backends = this.running.get(`${event.region}/${event.loadBalancerName}`)?.runtime.backends
    if (event.kind === 'probe-passed') backends?.readmit(event.instanceId)
    backends?.setHealthy(event.instanceId, event.routable)
  }

  private initialHealth(region: string, loadBalancerName: string, instanceId: string): boolean {
    return this.routable.get(`${region}/${loadBalancerName}/${instanceId}`) ?? this.unknownRoutable
  }

  /** Stickiness cookies stay valid across engine restarts when the engine has a home. */
  private loadStickySecret(): Buffer {
    if (this.stateDir === undefined) return randomBytes(32)
    const file = join(this.stateDir, 'stickiness.key')
    try {
      const existing = readFileSync(file)
      if (existing.length === 32) return existing
    } catch {
      // first start
    }
    const secret = randomBytes(32)
    try {
      mkdirSync(this.stateDir, {recursive: true})
      writeFileSync(file, secret, {mode: 0o600})
    } catch (error) {
      this.log.warn(`cannot keep the stickiness key in ${file} (${String(error)}); AWSELB cookies will not survive a restart`)
    }
    return secret
  }

  /**
   * Reconciles with a new snapshot. `changes` (from the store) names what the write touched, so
   * only those load balancers are looked at; without it (or with `all`) every one is compared, by
   * reference: an unchanged record is the same object in the next snapshot.
   */
  apply(state: EngineState, changes: ChangeSet = EVERYTHING): Promise<void> {
    const next = this.queue.then(() => this.reconcile(state, changes))
    this.queue = next.catch((error: unknown) => { this.log.error(`data plane reconcile failed: ${String(error)}`); })
    return this.queue
  }

  private async reconcile(state: EngineState, changes: ChangeSet): Promise<void> {
    if (this.closed) return
    const work: Promise<void>[] = []
    for (const [key, {region, record}] of this.touched(state, changes)) {
      if (record !== undefined) {
        work.push(this.reconcileLoadBalancer(key, region, record, state))
        continue
      }
      const lb = this.running.get(key)
      if (lb === undefined) continue
      this.running.delete(key)
      work.push(this.closeLoadBalancer(lb))
    }
    await Promise.all(work)
  }

  /** By `region/name`, every load balancer that may differ from what runs (record undefined: gone). */
  private touched(state: EngineState, changes: ChangeSet): Map<string, TouchedLoadBalancer> {
    const touched = new Map(touchedLoadBalancers(state, changes).map((lb) => [`${lb.region}/${lb.name}`, lb]))
    const arns = new Set(changes.certificateArns)
    if (!changes.all && arns.size === 0) return touched
    for (const [key, lb] of this.running) {
      if (touched.has(key)) continue
      if (changes.all) {
        touched.set(key, {region: lb.runtime.region, name: lb.runtime.name, record: undefined})
      } else if (lb.runtime.record.listeners.some((l) => l.sslCertificateId !== undefined && arns.has(l.sslCertificateId))) {
        // A certificate this load balancer uses changed (certificate writes are rare: a scan is fine).
        const record = state.regions[lb.runtime.region]?.loadBalancers.find((candidate) => candidate.name === lb.runtime.name)
        touched.set(key, {region: lb.runtime.region, name: lb.runtime.name, record})
      }
    }
    return touched
  }

  private reconcileLoadBalancer(key: string, region: string, record: LoadBalancerRecord, state: EngineState): Promise<void> {
    const certs = record.listeners.map(l => (l.sslCertificateId === undefined ? undefined : servingCertificate(state, region, l.sslCertificateId)))
    const certificates = certs.filter((certificate) => certificate !== undefined)
    const existing = this.running.get(key)
    if (existing !== undefined && existing.runtime.record === record && sameItems(existing.certificates, certs)) return Promise.resolve()
    const lbConfig = compileLoadBalancer(record, this.timeScale)
    const listenerConfigs = record.listeners.map(l => compileListener(record, l, certificates, this.portOffset))
    let lb = existing
    if (lb === undefined) {
      const extraObserver = this.observe?.({region, loadBalancerName: record.name})
      lb = {
        runtime: new LoadBalancerRuntime(region, record, lbConfig, id => this.initialHealth(region, record.name, id),
          id => this.health.reportUnreachable?.(region, record.name, id)),
        listeners: new Map(),
        certificates: certs,
        accessLog: undefined,
        extraObserver,
        observation: observationOf([extraObserver, this.tap]),
      }
      lb.runtime.onBackendFailure = this.onBackendFailure
      lb.runtime.securityGroups = this.securityGroups
      this.running.set(key, lb)
    } else {
      lb.runtime.update(record, lbConfig)
      lb.certificates = certs
    }
    this.updateAccessLog(lb, state.accountId)
    const reconciled = this.reconcileListeners(lb, record, listenerConfigs)
    lb.runtime.prunePools(listenerConfigs)
    return reconciled
  }

  private updateAccessLog(lb: RunningLoadBalancer, accountId: string): void {
    const config = lb.runtime.config.accessLog
    if (config === undefined || this.stateDir === undefined) {
      lb.accessLog?.close()
      lb.accessLog = undefined
    } else if (lb.accessLog === undefined) {
      lb.accessLog = new AccessLogWriter(join(this.stateDir, 'access-logs'), config, {
        accountId,
        region: lb.runtime.region,
        loadBalancerName: lb.runtime.name,
        nodeIp: lb.runtime.record.localAddress,
      })
    } else {
      lb.accessLog.config = config
    }
    this.refreshObservation(lb)
  }

  /**
   * `elb-local logs --traffic`: adds `observer` to every load balancer (undefined removes it), so
   * nobody pays for observing while nobody watches.
   */
  setTap(observer: ExchangeObserver | undefined): void {
    this.tap = observer
    for (const lb of this.running.values()) this.refreshObservation(lb)
  }

  private refreshObservation(lb: RunningLoadBalancer): void {
    lb.observation = observationOf([lb.accessLog, lb.extraObserver, this.tap])
    for (const listener of lb.listeners.values()) listener.setObservation(lb.observation)
  }

  private async reconcileListeners(lb: RunningLoadBalancer, record: LoadBalancerRecord, configs: readonly ListenerConfig[]): Promise<void> {
    const wanted = new Map(configs.map(c => [c.loadBalancerPort, c]))
    const work: Promise<void>[] = []
    for (const [port, listener] of lb.listeners) {
      const config = wanted.get(port)
      const sameShape = config !== undefined && config.protocol === listener.config.protocol &&
        config.instanceProtocol === listener.config.instanceProtocol && listener.address === record.localAddress
      if (sameShape) continue
      lb.listeners.delete(port)
      work.push(listener.close())
    }
    await Promise.all(work)
    const binds: Promise<void>[] = []
    for (const config of configs) {
      const existing = lb.listeners.get(config.loadBalancerPort)
      if (existing !== undefined) {
        const before = existing.error
        const notOfferedBefore = existing.notOffered.join(',')
        existing.update(config)
        if (existing.error !== before || existing.notOffered.join(',') !== notOfferedBefore) this.reportBind(lb, existing)
        continue
      }
      const port = localPort(config.loadBalancerPort, this.portOffset)
      const listener = new ListenerRuntime(lb.runtime, config, record.localAddress, port, this.stickySecret, lb.observation, this.connections)
      lb.listeners.set(config.loadBalancerPort, listener)
      binds.push(listener.bind(this.portOffset).then(() => { this.reportBind(lb, listener); }))
    }
    await Promise.all(binds)
  }

  private reportBind(lb: RunningLoadBalancer, listener: ListenerRuntime): void {
    const name = `${lb.runtime.region}/${lb.runtime.name} ${listener.config.protocol}:${listener.config.loadBalancerPort}`
    const error = listener.error
    if (error === undefined) this.log.info(`listener ${name} bound on ${listener.address}:${listener.localPort}`)
    else this.log.error(`listener ${name} is not serving: ${error}`)
    const notOffered = listener.notOffered
    if (notOffered.length > 0) {
      this.log.info(`listener ${name}: its negotiation policy enables what this OpenSSL cannot offer, left out: ${notOffered.join(', ')}`)
    }
  }

  private async closeLoadBalancer(lb: RunningLoadBalancer): Promise<void> {
    const closing = [...lb.listeners.values()].map(l => l.close())
    lb.listeners.clear()
    lb.runtime.close()
    lb.accessLog?.close()
    await Promise.all(closing)
  }

  /** The connection caps in force and how many client connections are open now. */
  connectionStatus(): ConnectionLimits & {readonly open: number} {
    return {...this.connections.limits, open: this.connections.openConnections}
  }

  listenerStatus(): ListenerStatus[] {
    const out: ListenerStatus[] = []
    for (const lb of this.running.values()) {
      for (const listener of lb.listeners.values()) out.push(listener.status(lb.runtime.region, lb.runtime.name))
    }
    return out
  }

  /** Capacity faults changed: requests in surge queues go on where a back end now has room. */
  admitQueuedRequests(): void {
    for (const lb of this.running.values()) lb.runtime.surge.drain()
  }

  drainingInstances(region: string, loadBalancerName: string): readonly string[] {
    return this.running.get(`${region}/${loadBalancerName}`)?.runtime.drainingInstances() ?? []
  }

  async close(): Promise<void> {
    await this.queue
    this.closed = true
    this.disconnectHealth()
    const all = [...this.running.values()]
    this.running.clear()
    await Promise.all(all.map(lb => this.closeLoadBalancer(lb)))
  }
}

function sameItems<T>(a: readonly T[], b: readonly T[]): boolean {
  return a.length === b.length && a.every((item, index) => item === b[index])
}
