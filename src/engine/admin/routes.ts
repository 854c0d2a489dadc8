/**
 * The admin API's route table (`/__elb-local/…`): every route's name, method, path and the types
 * of what a caller sends and gets back. The engine dispatches from it (handler.ts), `elb-local`
 * (src/lib/local/admin-client.ts) and the console (src/console/engine.ts) call through it; no
 * other module spells an admin path. Dependency-free (the shapes are in types.ts, itself free of
 * runtime modules), so the browser bundle imports it too.
 *
 * A new route: one entry here, one handler in handler.ts's `HANDLERS` (a missing one is a compile
 * error), then a method on `AdminClient` or a console call that names the entry.
 */
import {ADMIN_PREFIX} from '../constants.js'
import type {ActiveFault, FaultClearRequest, FaultRequest} from '../faults/vocabulary.js'
import type {
  AdminBackendStatus, CertificateCheckRequest, CertificateVerdict, EngineStatus, HealthAnswer, HostsLine, HostsSyncAnswer,
  InstanceIdsRequest, InstancesAnswer, LocalCaAnswer, ResetCounts, RunInstancesRequest,
} from './types.js'

/** A GET's request is its query string: names to one value or several. */
export type AdminQuery = Readonly<Record<string, string | readonly string[] | undefined>>

export interface AdminRoute<Request, Answer> {
  readonly method: 'GET' | 'POST'
  /** Below ADMIN_PREFIX, without leading or trailing `/`. */
  readonly path: string
  /** Anyone may call it, even on an engine that answers only its owner (`--credentials`). */
  readonly open: boolean
  /** The answer is not a JSON document (a redirect, a stream): the handler writes it itself. */
  readonly raw: boolean
  /** Type-only (never set): a GET's query or a POST's JSON body, and the JSON answer. */
  readonly types?: {readonly request: Request; readonly answer: Answer}
}

type NoRequest = Readonly<Record<string, never>>
/** The answer of a raw route: nothing a client parses. */
type Raw = undefined

function get<Request extends AdminQuery, Answer>(path: string, options: {open?: boolean; raw?: boolean} = {}): AdminRoute<Request, Answer> {
  return {method: 'GET', path, open: options.open ?? false, raw: options.raw ?? false}
}

function post<Request, Answer>(path: string): AdminRoute<Request, Answer> {
  return {method: 'POST', path, open: false, raw: false}
}

export const ADMIN_ROUTES = {
  /** Who answers here; `targets=1` adds every health-check target (owner only). */
  health: get<{readonly targets?: '1'}, HealthAnswer>('health', {open: true}),
  status: get<NoRequest, EngineStatus>('status'),
  hosts: get<NoRequest, {readonly hosts: readonly HostsLine[]}>('hosts'),
  /** `elb-local hosts --sync` / `--remove`: the engine keeps (or takes out) its block in the hosts file. */
  syncHostsFile: post<NoRequest, {readonly hostsSync: HostsSyncAnswer}>('hosts/sync'),
  removeHostsFileBlock: post<NoRequest, {readonly hostsSync: HostsSyncAnswer}>('hosts/remove'),
  describeInstances: get<{readonly region?: string; readonly instanceId?: readonly string[]}, InstancesAnswer>('instances'),
  runInstances: post<RunInstancesRequest, InstancesAnswer>('instances/run'),
  stopInstances: post<InstanceIdsRequest, InstancesAnswer>('instances/stop'),
  startInstances: post<InstanceIdsRequest, InstancesAnswer>('instances/start'),
  terminateInstances: post<InstanceIdsRequest, InstancesAnswer>('instances/terminate'),
  backends: get<NoRequest, {readonly backends: readonly AdminBackendStatus[]}>('backends'),
  pauseBackends: post<InstanceIdsRequest, {readonly backends: readonly AdminBackendStatus[]}>('backends/pause'),
  resumeBackends: post<InstanceIdsRequest, {readonly backends: readonly AdminBackendStatus[]}>('backends/resume'),
  /** IAM's upload checks on would-be PEM texts, nothing stored (the console's certificate step). */
  checkCertificate: post<CertificateCheckRequest, CertificateVerdict>('certificates/check'),
  reset: post<NoRequest, {readonly removed: ResetCounts}>('reset'),
  shutdown: post<NoRequest, {readonly shuttingDown: true}>('shutdown'),
  /** A one-time console login path (`elb-local console` on an engine with `--credentials`). */
  newConsoleLogin: post<NoRequest, {readonly path: string}>('console-login'),
  /** The browser's side of it: a valid code becomes the session cookie, then a redirect to the console. */
  consoleLogin: get<{readonly code: string}, Raw>('console-login', {open: true, raw: true}),
  /** The local CA's root certificate, which signs ACM RequestCertificate's certificates (`elb-local ca --export`). */
  localCa: get<NoRequest, LocalCaAnswer>('ca'),
  /** The live access-log feed, one line per request (`elb-local logs --traffic`). */
  traffic: get<NoRequest, Raw>('traffic', {raw: true}),
  /** Faults on the path to instances (`elb-local fault list|set|clear`, src/engine/faults). */
  faults: get<NoRequest, {readonly faults: readonly ActiveFault[]}>('faults'),
  setFault: post<FaultRequest, {readonly fault: ActiveFault}>('faults/set'),
  clearFaults: post<FaultClearRequest, {readonly cleared: readonly ActiveFault[]}>('faults/clear'),
} as const satisfies Record<string, AdminRoute<unknown, unknown>>

export type AdminRouteName = keyof typeof ADMIN_ROUTES
type TypesOf<Name extends AdminRouteName> = NonNullable<(typeof ADMIN_ROUTES)[Name]['types']>
export type AdminRequest<Name extends AdminRouteName> = TypesOf<Name>['request']
export type AdminAnswer<Name extends AdminRouteName> = TypesOf<Name>['answer']

/** The route's path (no query): what a client puts after the endpoint. */
export function adminPath(name: AdminRouteName): string {
  return `${ADMIN_PREFIX}${ADMIN_ROUTES[name].path}`
}

/** One call as a client sends it: method, path (with a GET's query) and a POST's JSON body. */
export interface AdminExchange {
  readonly method: 'GET' | 'POST'
  readonly path: string
  readonly body?: unknown
}

export function adminExchange<Name extends AdminRouteName>(name: Name, request: AdminRequest<Name>): AdminExchange {
  const path = adminPath(name)
  return ADMIN_ROUTES[name].method === 'POST' ? {method: 'POST', path, body: request} : {method: 'GET', path: withQuery(path, request as AdminQuery)}
}

function withQuery(path: string, query: AdminQuery): string {
  const search = new URLSearchParams()
  for (const [key, value] of Object.entries(query)) {
    if (typeof value === 'string') search.append(key, value)
    else for (const each of value ?? []) search.append(key, each)
  }
  const text = search.toString()
  return text === '' ? path : `${path}?${text}`
}
