/**
 * The faults of one engine (`elb-local fault set|clear|list`, the admin API, the console): runtime
 * state only — a restart clears them, as it would a real instance's hiccup — each with an optional
 * duration (a timer clears it) and logged when set and cleared. It compiles them per instance
 * address into the table the request path reads (active.ts), again whenever instances change
 * (a started instance has a new address; a zone outage covers instances launched later).
 */
import {ServiceError} from '../model/errors.js'
import {EVERYTHING, type ChangeSet} from '../model/persistence/changes.js'
import type {EngineState, InstanceRecord} from '../model/types.js'
import {CAPACITY, FAULTS_BY_HOST, type BehaviourFault, type ConnectFault, type FaultPurpose, type HostFaults} from './active.js'
import {parseClearRequest, parseFaultRequest} from './request.js'
import {faultDetail, type ActiveFault, type FaultClearRequest} from './vocabulary.js'

/** Faults in force at once, per engine. */
export const MAX_FAULTS = 1000

const EVERY_PURPOSE: ReadonlySet<FaultPurpose> = new Set(['request', 'connection', 'health-check'])
const HEALTH_CHECKS: ReadonlySet<FaultPurpose> = new Set(['health-check'])

export interface FaultRegistryOptions {
  readonly log: (line: string) => void
  /** A connection fault now covers these addresses: their stand-ins end open connections. */
  readonly onConnectFault?: (hosts: ReadonlySet<string>) => void
  /** Capacity faults changed: requests waiting in surge queues may go on. */
  readonly onCapacityChange?: () => void
  readonly now?: () => number
}

interface Entry {
  readonly fault: ActiveFault
  readonly timer: NodeJS.Timeout | undefined
}

export class FaultRegistry {
  private readonly entries = new Map<string, Entry>()
  private nextId = 1
  private state: EngineState | undefined
  /** The addresses this engine wrote into the shared table. */
  private hosts = new Set<string>()
  private readonly now: () => number

  constructor(private readonly options: FaultRegistryOptions) {
    this.now = options.now ?? Date.now
  }

  /** Checks and sets a fault from an admin body (InvalidParameterValue, InvalidInstanceID.NotFound, LimitExceeded). */
  set(region: string, body: Readonly<Record<string, unknown>>): ActiveFault {
    const request = parseFaultRequest(body)
    if (this.entries.size >= MAX_FAULTS) throw new ServiceError('LimitExceeded', `At most ${MAX_FAULTS} faults may be set at once: clear some first.`)
    if (request.instanceId !== undefined) this.instanceOf(region, request.instanceId)
    if (request.availabilityZone !== undefined && !isZoneOf(region, request.availabilityZone)) {
      throw new ServiceError('InvalidParameterValue', `Invalid availability zone: [${request.availabilityZone}]`)
    }
    const id = `fault-${this.nextId++}`
    const setAt = this.now()
    const durationMs = request.durationSeconds === undefined ? undefined : Math.round(request.durationSeconds * 1000)
    const fault: ActiveFault = {
      id, region, kind: request.kind,
      ...(request.instanceId === undefined ? {} : {instanceId: request.instanceId}),
      ...(request.availabilityZone === undefined ? {} : {availabilityZone: request.availabilityZone}),
      ...(request.delayMs === undefined ? {} : {delayMs: request.delayMs}),
      ...(request.status === undefined ? {} : {status: request.status}),
      ...(request.capacity === undefined ? {} : {capacity: request.capacity}),
      probability: request.probability ?? 1, setAt: new Date(setAt).toISOString(),
      ...(durationMs === undefined ? {} : {expiresAt: new Date(setAt + durationMs).toISOString()}),
    }
    const timer = durationMs === undefined ? undefined : setTimeout(() => { this.remove([id], 'expired'); }, durationMs)
    timer?.unref()
    this.entries.set(id, {fault, timer})
    this.options.log(`fault ${id} set: ${describe(fault)}${durationMs === undefined ? '' : ` for ${durationMs / 1000} s`}`)
    this.compile(fault)
    return fault
  }

  /** Clears the faults a body names (by id, instance, zone, or all); unknown ones are an error. */
  clear(region: string, body: Readonly<Record<string, unknown>>): ActiveFault[] {
    const request = parseClearRequest(body)
    const ids = this.matching(region, request)
    if (ids.length === 0 && request.all !== true) {
      throw new ServiceError('InvalidFault.NotFound', `No fault matches ${request.id ?? request.instanceId ?? request.availabilityZone ?? ''} in ${region}.`)
    }
    return this.remove(ids, 'cleared')
  }

  list(): ActiveFault[] {
    return [...this.entries.values()].map((entry) => entry.fault)
  }

  /** A new snapshot: recompile when instances changed (addresses, zones). */
  apply(state: EngineState, changes: ChangeSet = EVERYTHING): void {
    this.state = state
    if (this.entries.size > 0 && (changes.all || changes.instances.length > 0)) this.compile()
  }

  close(): void {
    for (const entry of this.entries.values()) clearTimeout(entry.timer)
    this.entries.clear()
    this.compile()
  }

  private matching(region: string, request: FaultClearRequest): string[] {
    const ids: string[] = []
    for (const {fault} of this.entries.values()) {
      if (request.id !== undefined ? fault.id === request.id
        : request.all === true || (fault.region === region && (request.instanceId !== undefined
          ? fault.instanceId === request.instanceId : fault.availabilityZone === request.availabilityZone))) ids.push(fault.id)
    }
    return ids
  }

  private remove(ids: readonly string[], why: 'cleared' | 'expired'): ActiveFault[] {
    const removed: ActiveFault[] = []
    for (const id of ids) {
      const entry = this.entries.get(id)
      if (entry === undefined) continue
      clearTimeout(entry.timer)
      this.entries.delete(id)
      removed.push(entry.fault)
      this.options.log(`fault ${id} ${why}: ${describe(entry.fault)}`)
    }
    if (removed.length > 0) this.compile(undefined, removed.some((fault) => fault.kind === 'capacity'))
    return removed
  }

  private instanceOf(region: string, instanceId: string): InstanceRecord {
    const instance = this.state?.regions[region]?.instances.find((candidate) => candidate.instanceId === instanceId)
    if (instance === undefined || instance.state === 'terminated') {
      throw new ServiceError('InvalidInstanceID.NotFound', `The instance ID '${instanceId}' does not exist`)
    }
    return instance
  }

  /** Rebuild this engine's part of the shared table; `added` (a new connection fault) ends its hosts' open connections. */
  private compile(added?: ActiveFault, capacityChanged = added?.kind === 'capacity'): void {
    const table = new Map<string, {connect: ConnectFault[]; behaviour: BehaviourFault[]; capacity: number | undefined}>()
    const touched = new Set<string>()
    for (const {fault} of this.entries.values()) {
      for (const host of this.hostsOf(fault)) {
        let faults = table.get(host)
        if (faults === undefined) table.set(host, faults = {connect: [], behaviour: [], capacity: undefined})
        if (addFault(faults, fault) && fault === added) touched.add(host)
      }
    }
    for (const host of this.hosts) FAULTS_BY_HOST.delete(host)
    for (const [host, faults] of table) FAULTS_BY_HOST.set(host, faults satisfies HostFaults)
    this.hosts = new Set(table.keys())
    let limited = 0
    for (const faults of FAULTS_BY_HOST.values()) if (faults.capacity !== undefined) limited++
    CAPACITY.limitedHosts = limited
    if (touched.size > 0) this.options.onConnectFault?.(touched)
    if (capacityChanged) this.options.onCapacityChange?.()
  }

  private hostsOf(fault: ActiveFault): string[] {
    const instances = this.state?.regions[fault.region]?.instances ?? []
    if (fault.availabilityZone !== undefined) {
      return instances.filter((instance) => instance.availabilityZone === fault.availabilityZone && instance.state !== 'terminated').map((instance) => instance.privateIp)
    }
    // A terminated instance's address may go to a new instance: its faults no longer apply anywhere.
    const instance = instances.find((candidate) => candidate.instanceId === fault.instanceId)
    return instance === undefined || instance.state === 'terminated' ? [] : [instance.privateIp]
  }
}

/** Adds `fault` to one address's faults; true when it is a connection fault. */
function addFault(faults: {connect: ConnectFault[]; behaviour: BehaviourFault[]; capacity: number | undefined}, fault: ActiveFault): boolean {
  const {id, probability} = fault
  switch (fault.kind) {
    case 'refuse':
      faults.connect.push({id, code: 'ECONNREFUSED', purposes: EVERY_PURPOSE, probability})
      return true
    case 'fail-health-checks':
      faults.connect.push({id, code: 'ECONNREFUSED', purposes: HEALTH_CHECKS, probability})
      return true
    case 'zone-outage':
      faults.connect.push({id, code: 'EHOSTUNREACH', purposes: EVERY_PURPOSE, probability})
      return true
    case 'capacity':
      faults.capacity = Math.min(faults.capacity ?? Number.POSITIVE_INFINITY, fault.capacity ?? 1)
      return false
    case 'hang':
    case 'delay':
    case 'status':
    case 'malformed':
    case 'reset':
    case 'close-after-headers':
      faults.behaviour.push({id, kind: fault.kind, delayMs: fault.delayMs ?? 0, status: fault.status ?? 0, probability})
      return false
  }
}

function isZoneOf(region: string, zone: string): boolean {
  return zone.length === region.length + 1 && zone.startsWith(region) && /[a-z]$/.test(zone)
}

/** `refuse on i-0123 (us-east-1), probability 0.5` — for the engine log. */
function describe(fault: ActiveFault): string {
  const detail = faultDetail(fault)
  const target = fault.instanceId ?? fault.availabilityZone ?? ''
  return `${fault.kind}${detail === '' ? '' : ` (${detail})`} on ${target} (${fault.region})${fault.probability < 1 ? `, probability ${fault.probability}` : ''}`
}
