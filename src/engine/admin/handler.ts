/**
 * The engine's own JSON API under `/__elb-local/`, used by `elb-local`: status, the local EC2
 * stand-in (run/describe/stop/start/terminate), demo backends, /etc/hosts lines, health and
 * shutdown. Errors are `{"error": {"code", "message"}}` with a 4xx/5xx status.
 */
import {ADMIN_PREFIX, CONSOLE_PREFIX, ENGINE_IDENTITY} from '../constants.js'
import type {IncomingMessage, ServerResponse} from 'node:http'
import {parseApiRequest, type ApiRequest} from '../api/context.js'
import {ClientGoneError} from '../api/query-parser.js'
import {MissingAuthenticationToken, ServiceError} from '../model/errors.js'
import {isKnownRegion, unknownRegionMessage} from '../model/regions.js'
import type {InstanceService, RunInstancesInput} from '../model/instance-service.js'
import type {Store} from '../model/store.js'
import type {EngineState, InstanceRecord, ServeSpec} from '../model/types.js'
import type {TrafficFeed} from './traffic.js'
import type {FaultRegistry} from '../faults/registry.js'
import type {OwnerAccess} from './owner-access.js'
import {checkCertificate} from './certificate-check.js'
import type {InstanceRunner} from '../instances/runner.js'
import {staleRegistrations} from '../model/elb/stale-registrations.js'
import {HostsFileError, type HostsSync, type HostsSyncStatus} from '../dns/hosts-sync.js'
import {ADMIN_ROUTES, adminPath, type AdminAnswer, type AdminRouteName} from './routes.js'
import type {
  AdminBackendFailure, AdminBackendStatus, AdminListenerStatus, AdminTargetHealth, EngineStatus, HostsLine, ResetCounts,
} from './types.js'

const MAX_BODY_BYTES = 1024 * 1024

export interface AdminDeps {
  readonly store: Store
  readonly instances: InstanceService
  readonly runner: InstanceRunner
  /** Every health-check target (`GET health?targets=1`). */
  readonly targets: () => readonly AdminTargetHealth[]
  readonly listenerStatus: () => readonly AdminListenerStatus[]
  /** Instances the load balancers could not use, counted (src/engine/dataplane/backend-failures.ts). */
  readonly backendFailures: () => readonly AdminBackendFailure[]
  /** `GET traffic`: the live access-log feed. */
  readonly traffic: TrafficFeed
  /** Resolves once every runtime part has applied the latest snapshot. */
  readonly settle: () => Promise<void>
  readonly defaultRegion: string
  readonly info: () => Omit<EngineStatus, 'counts' | 'loadBalancers' | 'backends' | 'backendFailures'>
  readonly shutdown: () => void
  /** `elb-local hosts --sync | --remove`: the engine's block in the hosts file (src/engine/dns). */
  readonly hosts?: HostsSync
  /** The local CA behind ACM's RequestCertificate (its root is what `GET ca` exports). */
  readonly ca: {root(): Promise<string>; readonly certificateFile: string}
  /** With `--credentials`: only the owner (token, console session, or a signature) reads or changes state. */
  readonly access?: OwnerAccess
  /** `elb-local fault set|clear|list` (src/engine/faults). */
  readonly faults: FaultRegistry
}

class AdminError extends ServiceError {}

/** One admin request, parsed: what a route's handler reads. */
interface RouteCall {
  readonly deps: AdminDeps
  /** The `region` of the body or the query, else the default; always a known region. */
  readonly region: string
  readonly body: Record<string, unknown>
  readonly url: URL
  readonly res: ServerResponse
  /** False only on an open route, for a caller that is not the owner. */
  readonly owner: boolean
}

type RouteHandler<Name extends AdminRouteName> = (call: RouteCall) => AdminAnswer<Name> | Promise<AdminAnswer<Name>>

/** One handler per entry of the route table (routes.ts); a route without one is a compile error. */
const HANDLERS: {readonly [Name in AdminRouteName]: RouteHandler<Name>} = {
  health: ({deps, owner, url}) => {
    // Names the engine, so `elb-local` and autostart can tell it from another program on the port;
    // a caller that is not the owner learns nothing more. The targets only on request: every CLI probe calls this.
    const {pid, endpoint} = deps.info()
    if (!owner) return {engine: ENGINE_IDENTITY, pid}
    return {engine: ENGINE_IDENTITY, pid, endpoint, ...(url.searchParams.get('targets') === '1' ? {targets: deps.targets()} : {})}
  },
  status: ({deps}) => status(deps),
  hosts: ({deps}) => ({hosts: hostsLines(deps.store.state)}),
  syncHostsFile: ({deps}) => ({hostsSync: hostsFileSwitch(deps, true)}),
  removeHostsFileBlock: ({deps}) => ({hostsSync: hostsFileSwitch(deps, false)}),
  describeInstances: ({deps, region, url}) => ({instances: deps.instances.describeInstances(region, boundedIds(url.searchParams.getAll('instanceId')))}),
  runInstances: async ({deps, region, body}) => {
    const instances = deps.instances.runInstances(region, runInput(body))
    await deps.settle()
    return {instances}
  },
  stopInstances: ({deps, region, body}) => changed(deps, deps.instances.stopInstances(region, instanceIds(body))),
  startInstances: async ({deps, region, body}) => {
    const ids = instanceIds(body)
    const {instances} = await changed(deps, deps.instances.startInstances(region, ids))
    return {instances, staleRegistrations: staleRegistrations(deps.store.region(region), ids)}
  },
  terminateInstances: ({deps, region, body}) => changed(deps, deps.instances.terminateInstances(region, instanceIds(body))),
  backends: ({deps}) => ({backends: deps.runner.status()}),
  pauseBackends: (call) => pauseOrResume(call, 'pause'),
  resumeBackends: (call) => pauseOrResume(call, 'resume'),
  checkCertificate: ({body}) => checkCertificate(body, new Date()),
  reset: async ({deps}) => {
    const removed = reset(deps.store)
    await deps.settle()
    return {removed}
  },
  shutdown: ({deps}) => {
    setImmediate(deps.shutdown)
    return {shuttingDown: true}
  },
  newConsoleLogin: ({deps}) => {
    if (deps.access === undefined) throw new AdminError('NotNeeded', 'The engine does not verify signatures: open /console/ directly.')
    return {path: `${adminPath('consoleLogin')}?code=${deps.access.newLoginCode()}`}
  },
  consoleLogin: ({deps, url, res}) => {
    consoleLogin(deps.access, url, res)
    return undefined
  },
  localCa: async ({deps}) => ({certificate: await deps.ca.root(), file: deps.ca.certificateFile}),
  traffic: ({deps, res}) => {
    deps.traffic.watch(res)
    return undefined
  },
  faults: ({deps}) => ({faults: deps.faults.list()}),
  setFault: ({deps, region, body}) => ({fault: deps.faults.set(region, body)}),
  clearFaults: ({deps, region, body}) => ({cleared: deps.faults.clear(region, body)}),
}

/** `METHOD path` (below the prefix) → the route's name, from the table. */
const ROUTE_NAMES = new Map<string, AdminRouteName>((Object.keys(ADMIN_ROUTES) as AdminRouteName[])
  .map((name) => [`${ADMIN_ROUTES[name].method} ${ADMIN_ROUTES[name].path}`, name]))

export function createAdminHandler(deps: AdminDeps): (req: IncomingMessage, res: ServerResponse) => Promise<void> {
  return async (req, res) => {
    try {
      const url = new URL(req.url ?? '/', 'http://engine')
      const key = `${req.method ?? 'GET'} ${url.pathname.slice(ADMIN_PREFIX.length).replace(/\/+$/, '')}`
      const request = await parseApiRequest(req, '-', MAX_BODY_BYTES)
      const name = ROUTE_NAMES.get(key)
      const route = name === undefined ? undefined : ADMIN_ROUTES[name]
      const owner = deps.access === undefined || await isOwner(deps.access, request, route?.open === true)
      if (name === undefined || route === undefined) throw new AdminError('UnknownRoute', `No such admin route: ${key}`, 404)
      const body = req.method === 'POST' ? jsonObject(request.rawBody) : {}
      // Raw routes and the open answer to a stranger read no region (nor refuse a bad one).
      const region = route.raw || !owner ? deps.defaultRegion : knownRegion(stringField(body, 'region') ?? url.searchParams.get('region') ?? deps.defaultRegion)
      const handler = HANDLERS[name] as RouteHandler<AdminRouteName>
      const answer = await handler({deps, region, body, url, res, owner})
      if (!route.raw) sendJson(res, 200, answer)
    } catch (error) {
      if (error instanceof ClientGoneError) return
      if (error instanceof ServiceError) {
        sendJson(res, error.status, {error: {code: error.code, message: error.message}})
        return
      }
      throw error
    }
  }
}

/** The instances as a change left them, once every runtime part has applied it. */
async function changed(deps: AdminDeps, instances: InstanceRecord[]): Promise<{instances: InstanceRecord[]}> {
  await deps.settle()
  return {instances}
}

async function pauseOrResume({deps, region, body}: RouteCall, verb: 'pause' | 'resume'): Promise<{backends: AdminBackendStatus[]}> {
  const ids = instanceIds(body)
  deps.instances.describeInstances(region, ids)
  await (verb === 'pause' ? deps.runner.pause(ids) : deps.runner.resume(ids))
  return {backends: deps.runner.status().filter((row) => ids.includes(row.instanceId))}
}

function status(deps: AdminDeps): EngineStatus {
  const state = deps.store.state
  const listeners = deps.listenerStatus()
  const regions = Object.entries(state.regions)
  const instances = regions.flatMap(([, regionState]) => regionState.instances)
  return {
    ...deps.info(),
    counts: {
      loadBalancers: regions.reduce((sum, [, regionState]) => sum + regionState.loadBalancers.length, 0),
      instances: instances.filter((instance) => instance.state !== 'terminated').length,
      runningInstances: instances.filter((instance) => instance.state === 'running').length,
      serverCertificates: state.iam.serverCertificates.length,
    },
    loadBalancers: regions.flatMap(([region, regionState]) => regionState.loadBalancers.map((lb) => ({
      region,
      name: lb.name,
      dnsName: lb.dnsName,
      address: lb.localAddress,
      instances: lb.instances.length,
      listeners: listeners.filter((row) => row.region === region && row.loadBalancerName === lb.name),
    }))),
    backends: deps.runner.status(),
    backendFailures: deps.backendFailures(),
    trafficFeed: deps.traffic.status(),
    faults: deps.faults.list(),
  }
}

/** `elb-local reset`: every load balancer, server certificate and instance goes, in one durable write. */
function reset(store: Store): ResetCounts {
  return store.update((draft) => {
    const regions = Object.values(draft.regions)
    const removed = {
      loadBalancers: regions.reduce((sum, region) => sum + region.loadBalancers.length, 0),
      serverCertificates: draft.iam.serverCertificates.length,
      instances: regions.reduce((sum, region) => sum + region.instances.filter((instance) => instance.state !== 'terminated').length, 0),
    }
    draft.regions = {}
    draft.iam.serverCertificates = []
    return removed
  })
}

function hostsFileSwitch(deps: AdminDeps, on: boolean): HostsSyncStatus {
  if (deps.hosts === undefined) throw new AdminError('NotSupported', 'This engine does not keep a hosts file.')
  try {
    return on ? deps.hosts.enable() : deps.hosts.disable()
  } catch (error) {
    if (error instanceof HostsFileError) throw new AdminError('HostsFileNotWritable', error.message, 409)
    throw error
  }
}

export function hostsLines(state: EngineState): HostsLine[] {
  return Object.values(state.regions).flatMap((regionState) =>
    regionState.loadBalancers.map((lb) => ({address: lb.localAddress, dnsName: lb.dnsName})))
}

function runInput(body: Record<string, unknown>): RunInstancesInput {
  const count = body.count
  if (count !== undefined && typeof count !== 'number') throw new AdminError('InvalidParameterValue', 'count must be a number.')
  const serve = body.serve
  if (serve !== undefined && !Array.isArray(serve)) throw new AdminError('InvalidParameterValue', 'serve must be a list of {protocol, port}.')
  const instanceId = stringField(body, 'instanceId')
  const privateIp = stringField(body, 'privateIp')
  const availabilityZone = stringField(body, 'availabilityZone')
  return {
    ...(count === undefined ? {} : {count}),
    ...(instanceId === undefined ? {} : {instanceId}),
    ...(privateIp === undefined ? {} : {privateIp}),
    ...(availabilityZone === undefined ? {} : {availabilityZone}),
    ...(serve === undefined ? {} : {serve: (serve as unknown[]).map(serveSpec)}),
  }
}

function serveSpec(value: unknown): ServeSpec {
  const spec = value as {protocol?: unknown; port?: unknown} | null
  if (spec === null || typeof spec !== 'object' || typeof spec.protocol !== 'string' || typeof spec.port !== 'number') {
    throw new AdminError('InvalidParameterValue', 'Each serve entry must be {"protocol": "http"|"https", "port": N}.')
  }
  return {protocol: spec.protocol as ServeSpec['protocol'], port: spec.port}
}

function instanceIds(body: Record<string, unknown>): string[] {
  const ids = body.instanceIds
  if (!Array.isArray(ids) || ids.length === 0 || !ids.every((id) => typeof id === 'string')) {
    throw new AdminError('MissingParameter', 'The request must contain the parameter instanceIds (a non-empty list of ids).')
  }
  return boundedIds(ids)
}

/** As EC2 takes at most 1,000 instance ids per call; more would be echoed back in the error. */
const MAX_INSTANCE_IDS = 1000

function boundedIds(ids: string[]): string[] {
  if (ids.length > MAX_INSTANCE_IDS) {
    throw new AdminError('InvalidParameterValue', `instanceIds takes at most ${MAX_INSTANCE_IDS} ids, got ${ids.length}.`)
  }
  return ids
}

/** The Query API's region check, for every admin route (an invented name never becomes a region). */
function knownRegion(region: string): string {
  if (!isKnownRegion(region)) throw new AdminError('InvalidParameterValue', unknownRegionMessage(region))
  return region
}

function stringField(body: Record<string, unknown>, name: string): string | undefined {
  const value = body[name]
  if (value === undefined) return undefined
  if (typeof value !== 'string') throw new AdminError('InvalidParameterValue', `${name} must be a string.`)
  return value
}

/**
 * Whether the caller is the owner; a caller that is not may reach only the open routes. A request
 * that carries a signature must carry a valid one (AWS's error otherwise), even on an open route.
 */
async function isOwner(access: OwnerAccess, request: ApiRequest, open: boolean): Promise<boolean> {
  try {
    await access.authorize(request)
    return true
  } catch (error) {
    if (open && error instanceof MissingAuthenticationToken) return false
    throw error
  }
}

/**
 * `GET console-login?code=…` (the URL `elb-local console` prints): a valid one-time code becomes
 * the console's session cookie, and the browser goes on to the console's clean URL.
 */
function consoleLogin(access: OwnerAccess | undefined, url: URL, res: ServerResponse): void {
  const cookie = access?.redeem(url.searchParams.get('code') ?? '')
  if (access !== undefined && cookie === undefined) {
    throw new AdminError('InvalidLoginCode', 'This console link has been used or has expired: run `elb-local console --open` again.', 403)
  }
  res.writeHead(303, {Location: CONSOLE_PREFIX, 'Cache-Control': 'no-store', ...(cookie === undefined ? {} : {'Set-Cookie': cookie})}).end()
}

function jsonObject(raw: Buffer): Record<string, unknown> {
  const text = raw.toString('utf8').trim()
  if (text === '') return {}
  let parsed: unknown
  try {
    parsed = JSON.parse(text)
  } catch {
    throw new AdminError('MalformedJson', 'The request body is not valid JSON.')
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw new AdminError('MalformedJson', 'The request body must be a JSON object.')
  }
  return parsed as Record<string, unknown>
}

function sendJson(res: ServerResponse, status: number, value: unknown): void {
  const text = `${JSON.stringify(value)}\n`
  res.writeHead(status, {'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(text)})
  res.end(text)
}
