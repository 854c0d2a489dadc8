/**
 * The composition root: Store → IamService, ElbService, InstanceService → HealthChecker → data
 * plane → demo instance runner → API server (with the `/__elb-local/` admin API). Every snapshot
 * the store publishes is fed to the runtime parts; `afterWrite` makes an API answer wait until they
 * have applied it, so a client can use what it just created.
 */
import {closeSync, openSync} from 'node:fs'
import type {Server} from 'node:http'
import type {AddressInfo, Socket} from 'node:net'
import {createApiServer} from './api/server.js'
import type {AccessKeys} from './api/signature/credentials-file.js'
import {verifySignatures} from './api/signature/verify-signatures.js'
import {removeStaleTempFiles} from './crash-leftovers.js'
import {isKnownRegion} from './model/regions.js'
import {cloudWatchService} from './api/services/cloudwatch.js'
import {stsApiService} from './api/services/sts.js'
import {ec2ApiService} from './api/services/ec2.js'
import {CloudWatchRuntime} from './cloudwatch/runtime.js'
import type {CloudWatchService} from './cloudwatch/service.js'
import {StsService} from './sts/service.js'
import {acmService} from './api/services/acm.js'
import {AcmService} from './acm/service.js'
import {LocalCertificateAuthority} from './acm/local-ca.js'
import {certificateLookup} from './model/serving-certificates.js'
import {Ec2Service} from './ec2/service.js'
import {SecurityGroupGate} from './dataplane/upstream/security-groups.js'
import type {Platform} from './model/network-types.js'
import {platformOf} from './model/network/default-vpc.js'
import {createAdminHandler} from './admin/handler.js'
import {OwnerAccess} from './admin/owner-access.js'
import type {AdminListenerStatus} from './admin/types.js'
import {CONSOLE_PREFIX, DEFAULT_ENGINE_PORT, METRICS_PREFIX} from './constants.js'
import {HealthChecker} from './health/checker.js'
import {InstanceRunner} from './instances/runner.js'
import {TerminatedInstanceReaper} from './instances/terminated-reaper.js'
import {ElbService} from './model/elb-service.js'
import {IamService} from './model/iam-service.js'
import {InstanceService} from './model/instance-service.js'
import {EVERYTHING, Store, type ChangeSet} from './model/store.js'
import {DataPlane, type DrainingView} from './dataplane/index.js'
import type {ConnectionLimits} from './dataplane/connection-limits.js'
import {BackendFailureLog} from './dataplane/backend-failures.js'
import {TrafficFeed} from './admin/traffic.js'
import type {EngineState, HealthView} from './model/types.js'
import {createConsoleHandler} from './console/serve.js'
import {createMetricsHandler} from './metrics/http.js'
import {createPrometheusRegistry} from './metrics/prometheus.js'
import {metricsObserver} from './metrics/observer.js'
import {MetricsStore} from './metrics/store.js'
import {startNameService, type NameServiceOptions} from './dns/service.js'
import {FaultRegistry} from './faults/registry.js'

export interface EngineOptions {
  /** The state directory (state.json, instance certificates, logs). */
  readonly home: string
  readonly host?: string
  /** 0 picks a free port. */
  readonly port?: number
  /** Ports below 1024 are bound as port + offset (see ports.ts). */
  readonly portOffset?: number
  /** Multiplies health-check intervals/timeouts and draining periods (a test aid; 1 = real time). */
  readonly timeScale?: number
  readonly defaultRegion?: string
  /** First three octets of the instance network (default 127.0.0). */
  readonly instanceNetwork?: string
  /** First two octets of the load-balancer address range (default 127.1). */
  readonly loadBalancerNetwork?: string
  /** Newly registered instances go InService on the first passing probe (default true). */
  readonly firstSuccessEnough?: boolean
  readonly log?: (line: string) => void
  /** The 12-digit account id of a new state (ELB_LOCAL_ACCOUNT_ID); default 123456789012. */
  readonly accountId?: string
  /** The platform of a new state (`--platform`): a default VPC per Region (default) or 2011's EC2-Classic. */
  readonly platform?: Platform
  /**
   * Called once the API listens, before any listener or demo back end is bound (the pid file goes
   * here: a start that runs out of descriptors binding those must still be able to write it).
   */
  readonly onListening?: (endpoint: string) => void
  /** Called when a client asks the admin API to shut down (default: close the engine). */
  readonly onShutdown?: () => void
  /**
   * Access key → secret. When given, every API request must carry a valid SigV4 or SigV2 signature
   * made with one of them (`elb-local start --credentials FILE`); without, signatures are not checked.
   */
  readonly credentials?: AccessKeys
  /**
   * Caps on load-balancer client connections (ELB_LOCAL_MAX_CONNECTIONS, _PER_LISTENER); by
   * default derived from the descriptor limit (dataplane/connection-limits.ts).
   */
  readonly connectionLimits?: Partial<ConnectionLimits>
  /** The DNS responder's ports to try (default [0], any free port) and the hosts file it may keep (src/engine/dns). */
  readonly dns?: NameServiceOptions
  /** The home is a temporary directory (`elb-local start --ephemeral`): the hosts block goes at close. */
  readonly ephemeral?: boolean
}

export interface Engine {
  readonly endpoint: string
  readonly port: number
  readonly host: string
  readonly home: string
  readonly store: Store
  readonly elb: ElbService
  readonly iam: IamService
  readonly instances: InstanceService
  readonly health: HealthChecker
  readonly runner: InstanceRunner
  readonly dataPlane: RuntimeDataPlane
  readonly metrics: MetricsStore
  /** CloudWatch: its one-minute AWS/ELB history (tests read and inject through it). */
  readonly cloudwatch: CloudWatchService
  /** CloudWatch with its alarms and its data on disk (`loaded`: read back at start; `persistence.flush()`). */
  readonly cloudWatchRuntime: CloudWatchRuntime
  /** Resolves once the latest snapshot is on disk and health, demo backends and data plane have applied it. */
  settle(): Promise<void>
  close(): Promise<void>
}

/** The API port when none is given (see `constants.ts`). */
export const DEFAULT_PORT = DEFAULT_ENGINE_PORT

/** What the runtime needs of the data plane (src/engine/dataplane). */
export interface RuntimeDataPlane extends DrainingView {
  apply(state: EngineState, changes: ChangeSet): void | Promise<void>
  listenerStatus(): readonly AdminListenerStatus[]
  close(): void | Promise<void>
}


export async function startEngine(options: EngineOptions): Promise<Engine> {
  const host = options.host ?? '127.0.0.1'
  const portOffset = options.portOffset ?? 0
  const timeScale = options.timeScale ?? 1
  const defaultRegion = options.defaultRegion ?? 'us-east-1'
  const log = options.log ?? (() => undefined)
  const startedAt = new Date()

  if (!isKnownRegion(defaultRegion)) throw new UnknownRegionError(defaultRegion)
  removeStaleTempFiles(options.home, log)
  // An unreadable state file throws StateFileError here, before anything is bound.
  const store = Store.open(options.home, log)
  if (options.accountId !== undefined) adoptAccountId(store, options.accountId)
  adoptPlatform(store, options.platform)
  // The journal's descriptor is taken now, before listeners and back ends can use them all up.
  store.prepareJournal()
  const iam = new IamService(store)
  // Security groups on the traffic path: one index, read by the data plane and the health probes.
  const securityGroups = new SecurityGroupGate()
  const health = new HealthChecker({
    timeScale, portOffset, log, securityGroups,
    ...(options.firstSuccessEnough === undefined ? {} : {firstSuccessEnough: options.firstSuccessEnough}),
  })
  const metrics = new MetricsStore()
  const backendFailures = new BackendFailureLog(log)
  const dataPlaneImpl = new DataPlane({
    health, portOffset, timeScale, stateDir: options.home, log, onBackendFailure: backendFailures.record, securityGroups,
    observe: (lb) => metricsObserver(metrics.forLoadBalancer(lb.region, lb.loadBalancerName)),
    ...(options.connectionLimits === undefined ? {} : {connectionLimits: options.connectionLimits}),
  })
  const caps = dataPlaneImpl.connectionStatus()
  log(`load balancers accept at most ${caps.engine} client connections (${caps.perListener} per listener)`)
  const dataPlane: RuntimeDataPlane = dataPlaneImpl
  const traffic = new TrafficFeed((observer) => { dataPlaneImpl.setTap(observer) })
  // DescribeInstanceHealth's one view: probe results from the checker, draining from the data plane.
  const healthView: HealthView = {
    instanceHealth: (region, lb, id) => health.instanceHealth(region, lb, id),
    drainingInstances: (region, lb) => dataPlane.drainingInstances(region, lb),
  }
  const elb = new ElbService(store, {
    // IAM server certificates and this region's ACM certificates (model/serving-certificates.ts).
    health: healthView, certificates: certificateLookup(store),
    ...(options.loadBalancerNetwork === undefined ? {} : {loadBalancerNetwork: options.loadBalancerNetwork}),
  })
  const instances = new InstanceService(store, options.instanceNetwork === undefined ? {} : {network: options.instanceNetwork})
  const runner = new InstanceRunner({home: options.home, portOffset, timeScale, log})
  const reaper = new TerminatedInstanceReaper(instances, store, {timeScale, log})
  const names = startNameService({home: options.home, host, log, ...options.dns})
  // Runtime only: a restart clears every fault (docs/decisions.md, "Faults on demand").
  const faults = new FaultRegistry({
    log,
    onConnectFault: (hosts) => { runner.dropConnections(hosts); },
    onCapacityChange: () => { dataPlaneImpl.admitQueuedRequests(); },
  })

  let applied: Promise<void> = Promise.resolve()
  const applyState = (state: EngineState, changes: ChangeSet) => {
    // Runs inside store.update once the write is journaled: it must never throw into the caller.
    try {
      // First: the probes and connections the others start from this snapshot are checked against it.
      securityGroups.apply(state, changes)
      health.apply(state, changes)
      metrics.apply(state, changes)
      names.apply(state, changes)
      faults.apply(state, changes)
    } catch (error) {
      log(`ERROR health checker could not apply the state: ${error instanceof Error ? error.stack ?? error.message : String(error)}`)
    }
    // Demo backends follow the instances and the load balancers that send them traffic (registrations, listeners, health checks).
    const runnerApplied = changes.all || changes.instances.length > 0 || changes.loadBalancers.length > 0
      ? attempt(() => runner.apply(state))
      : Promise.resolve()
    applied = Promise.all([runnerApplied, attempt(() => dataPlane.apply(state, changes)), names.hostsApplied(changes)]).then(
      () => undefined,
      (error: unknown) => { log(`ERROR applying state: ${error instanceof Error ? error.stack ?? error.message : String(error)}`); },
    )
  }
  let unsubscribe: () => void = () => undefined
  // A write is acknowledged once it is on disk and the runtime has applied it.
  const settled = () => Promise.all([store.durable(), applied]).then(() => undefined)

  let endpoint = ''
  let closing: Promise<void> | undefined
  const sockets = new Set<Socket>()
  // With --credentials, the engine's own APIs answer only its owner (admin/owner-access.ts).
  const access = options.credentials === undefined
    ? undefined
    : new OwnerAccess(verifySignatures({keys: options.credentials, defaultRegion}))
  const ca = new LocalCertificateAuthority(options.home)
  const admin = createAdminHandler({
    store, instances, runner, defaultRegion, faults, ca,
    targets: () => health.summary(),
    listenerStatus: () => dataPlane.listenerStatus(),
    backendFailures: () => backendFailures.counts(),
    traffic,
    settle: settled,
    info: () => ({
      endpoint, pid: process.pid, home: options.home, startedAt: startedAt.toISOString(), portOffset, timeScale,
      defaultRegion, signaturesRequired: access !== undefined, ...names.status(),
      ...(options.ephemeral === true ? {ephemeral: true} : {}),
    }),
    hosts: names.hosts,
    ...(access === undefined ? {} : {access}),
    shutdown: () => { (options.onShutdown ?? (() => void close()))(); },
  })
  const ec2 = ec2ApiService(new Ec2Service(store, instances))
  const metricsHandler = createMetricsHandler({
    store: metrics, registry: createPrometheusRegistry(metrics), defaultRegion,
    loadBalancerNames: (region) => store.region(region).loadBalancers.map((lb) => lb.name),
  })
  const cloudWatchRuntime = new CloudWatchRuntime(metrics, store, {home: options.home, timeScale, log})
  const cloudWatch = cloudWatchRuntime.service
  const bindFailures = newBindFailures(() => dataPlane.listenerStatus())
  const server: Server = createApiServer({
    elb, iam, services: [ec2, cloudWatchService(cloudWatch, cloudWatchRuntime.alarms), acmService(new AcmService(store, {ca})), stsApiService(new StsService(store))], admin, durable: () => store.durable(), afterWrite: () => applied, writeWarnings: bindFailures,
    defaultRegion, log, bindHost: host,
    ...(access === undefined || options.credentials === undefined ? {} : {
      authenticator: verifySignatures({keys: options.credentials, defaultRegion, isOwner: (headers) => access.isOwner(headers)}),
    }),
    mounts: {
      [CONSOLE_PREFIX]: createConsoleHandler(),
      [`${METRICS_PREFIX}/`]: access === undefined ? metricsHandler : access.protect(metricsHandler),
    },
  })
  server.on('connection', (socket: Socket) => {
    sockets.add(socket)
    socket.once('close', () => sockets.delete(socket))
  })

  // The API port first: a second engine on the same home (an autostart race) fails here, before
  // it binds any listener or backend. Writes that arrive meanwhile wait for `applied` anyway.
  try {
    await listen(server, host, options.port ?? DEFAULT_PORT)
  } catch (error) {
    health.close()
    await Promise.all([runner.close(), Promise.resolve(dataPlane.close()), names.close(false)])
    throw new EngineListenError(host, options.port ?? DEFAULT_PORT, error)
  }
  const port = (server.address() as AddressInfo).port
  // Before any request is read: elb-local finds the token as soon as the port answers.
  access?.publishToken(options.home)
  endpoint = `http://${host.includes(':') ? `[${host}]` : host}:${port}`
  // Out of descriptors, accept() fails: a logged error, never a crash (the API answers once some are free).
  server.on('error', (error) => { log(`WARN the API could not accept a connection: ${error.message}`); })
  options.onListening?.(endpoint)
  await names.listen()
  unsubscribe = store.onChange(applyState)
  // Listeners and back ends may take every descriptor left (a state with thousands of them): some
  // are held back meanwhile, so the API and health checks still have room once they are bound.
  const reserve = reserveDescriptors(DESCRIPTOR_RESERVE)
  applyState(store.state, EVERYTHING)
  await applied
  reserve.release()
  // What failed to bind at start is in the log and in `elb-local status`; the next write warns only of its own.
  bindFailures()
  const notServing = dataPlane.listenerStatus().filter((row) => row.state === 'error').length
  if (notServing > 0) log(`WARN ${notServing} listener(s) are not serving since the start (see \`elb-local status\`)`)
  // Once this engine owns the home (the API port is bound): it writes to the store.
  reaper.start()
  metrics.startSampling(healthView)
  cloudWatchRuntime.start(() => store.state, healthView)
  log(`engine listening on ${endpoint} (state in ${options.home}, port offset ${portOffset}, time scale ${timeScale})`)
  log(options.credentials === undefined
    ? 'request signatures are not checked (start with --credentials FILE to verify them)'
    : `request signatures are verified against ${options.credentials.size} access key(s); the admin API and /metrics answer ` +
      `the owner only (the token in ${options.home}/admin-token, the console's session, or a signature)`)

  function close(): Promise<void> {
    closing ??= (async () => {
      unsubscribe()
      reaper.close()
      faults.close()
      metrics.close()
      await cloudWatchRuntime.close()
      health.close()
      const serverClosed = new Promise<void>((resolve) => server.close(() => { resolve(); }))
      for (const socket of sockets) socket.destroy()
      await Promise.all([serverClosed, runner.close(), Promise.resolve(dataPlane.close()), store.close(), names.close(options.ephemeral === true)])
      log('engine stopped')
    })()
    return closing
  }

  return {
    endpoint, port, host, home: options.home, store, elb, iam, instances, health, runner, dataPlane, metrics, cloudwatch: cloudWatch,
    cloudWatchRuntime,
    settle: settled,
    close,
  }
}

export class UnknownRegionError extends Error {
  constructor(readonly region: string) {
    super(`'${region}' is not an AWS Region the engine knows (see data/aws-regions.json), e.g. us-east-1 or eu-west-1.`)
    this.name = 'UnknownRegionError'
  }
}

/** The account id belongs to the state: an empty state takes the one asked for, a full one keeps its own. */
export class AccountIdMismatchError extends Error {
  constructor(readonly home: string, readonly stateAccountId: string, readonly requested: string) {
    super(`The state in ${home} belongs to account ${stateAccountId}, but ELB_LOCAL_ACCOUNT_ID is ${requested}: ` +
      'its ARNs and DNS names already name the other account. Use another ELB_LOCAL_HOME, or empty this one first ' +
      '(`elb-local reset`, with the old id), then start again.')
    this.name = 'AccountIdMismatchError'
  }
}

function adoptAccountId(store: Store, accountId: string): void {
  const state = store.state
  if (state.accountId === accountId) return
  const empty = state.iam.serverCertificates.length === 0 &&
    Object.values(state.regions).every((region) => region.loadBalancers.length === 0 && region.instances.length === 0)
  if (!empty) throw new AccountIdMismatchError(store.dir, state.accountId, accountId)
  store.update((draft) => { draft.accountId = accountId })
}

/** The platform belongs to the state: a new state takes the one asked for (default `vpc`), an existing one keeps its own. */
export class PlatformMismatchError extends Error {
  constructor(readonly home: string, readonly statePlatform: Platform, readonly requested: Platform) {
    super(`The state in ${home} is an ${statePlatform} account, but --platform ${requested} was asked for: ` +
      'the platform is chosen when a state is created. Use another ELB_LOCAL_HOME (or --ephemeral), or start without --platform.')
    this.name = 'PlatformMismatchError'
  }
}

function adoptPlatform(store: Store, requested: Platform | undefined): void {
  if (store.fresh && store.state.platform === undefined) {
    store.update((draft) => { draft.platform = requested ?? 'vpc' })
    return
  }
  const current = platformOf(store.state)
  if (requested !== undefined && requested !== current) throw new PlatformMismatchError(store.dir, current, requested)
}

export class EngineListenError extends Error {
  constructor(readonly host: string, readonly port: number, cause: unknown) {
    const code = (cause as NodeJS.ErrnoException | undefined)?.code
    const reason = code === 'EADDRINUSE'
      ? `${host}:${port} is already in use (is another engine running? try \`elb-local status\`, or --port)`
      : code === 'EACCES'
        ? `no privilege to bind port ${port} (ports below 1024 need root or CAP_NET_BIND_SERVICE; choose --port 1024 or above)`
        : cause instanceof Error ? cause.message : String(cause)
    super(`The engine cannot listen on ${host}:${port}: ${reason}.`, {cause})
    this.name = 'EngineListenError'
  }
}

/**
 * Listeners that cannot bind and had not been reported yet: the write that caused it tells its
 * client (once per failure; a listener that binds again may be reported again later).
 */
function newBindFailures(listenerStatus: () => readonly AdminListenerStatus[]): () => string[] {
  let reported = new Set<string>()
  return () => {
    const failing = listenerStatus().filter((row) => row.state === 'error')
    const fresh = failing.filter((row) => !reported.has(bindFailureKey(row)))
    reported = new Set(failing.map(bindFailureKey))
    // One header line: a few named, the rest counted (thousands would overflow any client's header limit).
    const named = fresh.slice(0, MAX_NAMED_BIND_FAILURES).map((row) => `load balancer ${row.loadBalancerName}: ` +
      `listener ${row.protocol}:${row.loadBalancerPort} is not serving: ${(row.error ?? 'cannot bind').slice(0, 200)}`)
    const more = fresh.length - named.length
    return more > 0 ? [...named, `${more} more listener(s) are not serving (see \`elb-local status\`)`] : named
  }
}

const MAX_NAMED_BIND_FAILURES = 5

const bindFailureKey = (row: AdminListenerStatus): string => `${row.region}/${row.loadBalancerName}/${row.loadBalancerPort}`

/** Descriptors kept free for the API while a start binds every listener of the saved state. */
const DESCRIPTOR_RESERVE = 64

/** Holds up to `count` descriptors (on /dev/null) until released; fewer if fewer are free. */
function reserveDescriptors(count: number): {release: () => void} {
  const held: number[] = []
  try {
    while (held.length < count) held.push(openSync('/dev/null', 'r'))
  } catch {
    // Already short of descriptors: hold what we got.
  }
  return {release: () => { for (const fd of held.splice(0)) closeSync(fd) }}
}

/** A promise for `run()`, also when it throws synchronously. */
function attempt(run: () => void | Promise<void>): Promise<void> {
  try {
    return Promise.resolve(run())
  } catch (error) {
    return Promise.reject(error instanceof Error ? error : new Error(String(error)))
  }
}

function listen(server: Server, host: string, port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', reject)
    server.listen({host, port, exclusive: true}, () => {
      server.off('error', reject)
      resolve()
    })
  })
}
