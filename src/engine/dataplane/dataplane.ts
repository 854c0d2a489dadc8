import {randomBytes} from 'node:crypto'
import {mkdirSync, readFileSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'
import type {EngineState, LoadBalancerRecord} from '../model/types.js'
import {localPort} from '../ports.js'
import {AccessLogWriter} from './access-log.js'
import {compileListener, compileLoadBalancer, type ListenerConfig} from './config.js'
import {ListenerRuntime} from './listener.js'
import {LoadBalancerRuntime} from './load-balancer.js'
import {observationOf, type ExchangeObserver, type Observation, type ObserverFactory} from './observer.js'
import type {DataPlaneLog, DataPlaneOptions, DrainingView, ListenerStatus, RoutingHealth} from './types.js'

/**
 * The data plane: real listeners for every load balancer in the snapshot. `apply` reconciles the
 * running listeners with a new snapshot (bind new, close removed, swap settings in place) and
 * resolves once every new listener is bound or has failed, so the API can answer afterwards.
 */

interface RunningLoadBalancer {
  readonly runtime: LoadBalancerRuntime
  readonly listeners: Map<number, ListenerRuntime>
  fingerprint: string
  accessLog: AccessLogWriter | undefined
  /** From `DataPlaneOptions.observe`, made once when the LB starts running. */
  readonly extraObserver: ExchangeObserver | undefined
  /** Access log + extra observer, as the listeners read it. */
  observation: Observation
}

const SILENT_LOG: DataPlaneLog = {info: () => undefined, warn: () => undefined, error: () => undefined}

export class DataPlane implements DrainingView {
  private readonly health: RoutingHealth
  private readonly portOffset: number
  private readonly stateDir: string | undefined
  private readonly log: DataPlaneLog
  private readonly timeScale: number
  private readonly stickySecret: Buffer
  private readonly observe: ObserverFactory | undefined
  private readonly running = new Map<string, RunningLoadBalancer>()
  /** Applies run one after another, in order. */
  private queue: Promise<void> = Promise.resolve()
  private closed = false

  constructor(options: DataPlaneOptions) {
    this.health = options.health
    this.portOffset = options.portOffset
    this.stateDir = options.stateDir
    const log = options.log ?? SILENT_LOG
    this.log = typeof log === 'function'
      ? {info: line => { log(`dataplane: ${line}`); }, warn: line => { log(`WARN dataplane: ${line}`); }, error: line => { log(`ERROR dataplane: ${line}`); }}
      : log
    this.timeScale = options.timeScale ?? 1
    this.observe = options.observe
    this.stickySecret = this.loadStickySecret()
    options.health.onChange(event => {
      const lb = this.running.get(`${event.region}/${event.loadBalancerName}`)
      if (lb === undefined) return
      // Draining is over (timeout) or the instance left without draining: end what is left.
      if (event.kind === 'draining-ended' || event.kind === 'removed') lb.runtime.endDraining(event.instanceId)
      lb.runtime.refreshRouting()
    })
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

  apply(state: EngineState): Promise<void> {
    const next = this.queue.then(() => this.reconcile(state))
    this.queue = next.catch((error: unknown) => { this.log.error(`data plane reconcile failed: ${String(error)}`); })
    return this.queue
  }

  private async reconcile(state: EngineState): Promise<void> {
    if (this.closed) return
    const desired = new Map<string, {region: string; record: LoadBalancerRecord}>()
    for (const [region, regionState] of Object.entries(state.regions)) {
      for (const record of regionState.loadBalancers) desired.set(`${region}/${record.name}`, {region, record})
    }
    const work: Promise<void>[] = []
    for (const [key, lb] of this.running) {
      if (desired.has(key)) continue
      this.running.delete(key)
      work.push(this.closeLoadBalancer(lb))
    }
    const certificates = state.iam.serverCertificates
    for (const [key, {region, record}] of desired) {
      const certs = record.listeners.map(l => (l.sslCertificateId === undefined ? undefined : certificates.find(c => c.arn === l.sslCertificateId)))
      const fingerprint = JSON.stringify([record, certs])
      const existing = this.running.get(key)
      if (existing !== undefined && existing.fingerprint === fingerprint) continue
      const lbConfig = compileLoadBalancer(record, this.timeScale)
      const listenerConfigs = record.listeners.map(l => compileListener(record, l, certificates, this.portOffset))
      let lb = existing
      if (lb === undefined) {
        const extraObserver = this.observe?.({region, loadBalancerName: record.name})
        lb = {
          runtime: new LoadBalancerRuntime(region, record, lbConfig, this.health),
          listeners: new Map(),
          fingerprint,
          accessLog: undefined,
          extraObserver,
          observation: observationOf([extraObserver]),
        }
        this.running.set(key, lb)
      } else {
        lb.runtime.update(record, lbConfig)
        lb.fingerprint = fingerprint
      }
      this.updateAccessLog(lb, state.accountId)
      work.push(this.reconcileListeners(lb, record, listenerConfigs))
      lb.runtime.prunePools(listenerConfigs)
    }
    await Promise.all(work)
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
    lb.observation = observationOf([lb.accessLog, lb.extraObserver])
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
      const listener = new ListenerRuntime(lb.runtime, config, record.localAddress, port, this.stickySecret, lb.observation)
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

  listenerStatus(): ListenerStatus[] {
    const out: ListenerStatus[] = []
    for (const lb of this.running.values()) {
      for (const listener of lb.listeners.values()) out.push(listener.status(lb.runtime.region, lb.runtime.name))
    }
    return out
  }

  drainingInstances(region: string, loadBalancerName: string): readonly string[] {
    return this.running.get(`${region}/${loadBalancerName}`)?.runtime.drainingInstances() ?? []
  }

  /** Re-read routability now (the health checker's `onChange` does this automatically). */
  refreshRouting(): void {
    for (const lb of this.running.values()) lb.runtime.refreshRouting()
  }

  async close(): Promise<void> {
    await this.queue
    this.closed = true
    const all = [...this.running.values()]
    this.running.clear()
    await Promise.all(all.map(lb => this.closeLoadBalancer(lb)))
  }
}
