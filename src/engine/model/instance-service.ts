/**
 * The local stand-in for EC2: a per-region registry of instances with a private loopback IP, an
 * Availability Zone, an EC2 state and the demo backends the engine runs for them. Like EC2-Classic,
 * an instance that is stopped and started again comes back on a NEW private IP, while a load
 * balancer keeps routing to the IP registered (the seed guide's warning).
 */
import {randomBytes} from 'node:crypto'
import {isIPv4} from 'node:net'
import {ServiceError} from './errors.js'
import {baseOf, type Draft, type Store} from './store.js'
import {isZoneOf, regionZones} from './network/zones.js'
import {platformOf} from './network/default-vpc.js'
import {allocateSubnetAddress, placeInstance, takenInSubnet, type PlacementRequest, type SubnetPlacement} from './network/placement.js'
import {emptyNetwork} from './network-types.js'
import {isKnownRegion, unknownRegionMessage} from './regions.js'
import type {InstanceRecord, RegionState, ServeSpec, TagRecord} from './types.js'

export interface RunInstancesInput {
  /** How many instances to launch (1-50, default 1). */
  readonly count?: number
  /**
   * EC2's MinCount: launch as many of `count` as the engine's limits allow, but at least this many
   * (else nothing). Default: exactly `count`.
   */
  readonly minCount?: number
  /** Launch exactly this id (`i-` + 8 or 17 hex), e.g. the seed's `i-4f8cf126`. */
  readonly instanceId?: string
  /** Launch on this loopback address instead of the first free one. */
  readonly privateIp?: string
  /** Default: the Region's first zone. */
  readonly availabilityZone?: string
  readonly serve?: readonly ServeSpec[]
  /** EC2 API extras, stored as given. */
  readonly imageId?: string
  readonly instanceType?: string
  readonly tags?: readonly TagRecord[]
  /** New ids as EC2 makes them today (`i-` + 17 hex) instead of the seed's 8. */
  readonly longIds?: boolean
  /**
   * The subnet, groups and subnet address asked for (EC2's SubnetId, SecurityGroupId.N, …). In a VPC
   * account every instance is placed (default: the default subnet of its zone); in EC2-Classic only
   * when a subnet is named.
   */
  readonly placement?: PlacementRequest
}

type RunInputPlacement = Pick<RunInstancesInput, 'placement' | 'availabilityZone'>

export interface InstanceServiceOptions {
  readonly now?: () => Date
  /**
   * The first three octets of the instance network: instances get `<network>.2`, `.3`, … Tests
   * pick their own so parallel engines do not fight over the same addresses.
   */
  readonly network?: string
}

const INSTANCE_ID = /^i-(?:[0-9a-f]{8}|[0-9a-f]{17})$/
const MAX_COUNT = 50
/** Ports one instance may serve: each is a listening socket of the engine's. */
export const MAX_SERVE_PORTS = 16
/**
 * Demo back ends (listening sockets) of all running instances together: far below the engine's
 * descriptor limit, so no call can starve the load balancers and the API of descriptors.
 */
export const MAX_DEMO_BACKENDS = 1024
/** EC2 forgets a terminated instance about an hour after termination. */
export const TERMINATED_RETENTION_MS = 60 * 60 * 1000

/** EC2's wire codes, so the admin API and elb-local can show familiar errors. */
const InvalidInstanceIdMalformed = (id: string) =>
  new ServiceError('InvalidInstanceID.Malformed', `Invalid id: "${id}" (expecting "i-" followed by 8 or 17 hexadecimal digits)`)
const InvalidInstanceIdNotFound = (ids: readonly string[]) =>
  new ServiceError('InvalidInstanceID.NotFound', ids.length === 1
    ? `The instance ID '${ids[0] ?? ''}' does not exist`
    : `The instance IDs '${ids.join(', ')}' do not exist`)
const InvalidParameterValue = (message: string) => new ServiceError('InvalidParameterValue', message)
const IncorrectInstanceState = (message: string) => new ServiceError('IncorrectInstanceState', message)
const InstanceLimitExceeded = (message: string) => new ServiceError('InstanceLimitExceeded', message)

export class InstanceService {
  private readonly now: () => Date
  private readonly network: string

  constructor(private readonly store: Store, options: InstanceServiceOptions = {}) {
    this.now = options.now ?? (() => new Date())
    this.network = options.network ?? '127.0.0'
    if (!/^127\.\d{1,3}\.\d{1,3}$/.test(this.network)) throw new Error(`instance network must be 127.x.y, not ${this.network}`)
  }

  runInstances(region: string, input: RunInstancesInput): InstanceRecord[] {
    const count = input.count ?? 1
    const minCount = input.minCount ?? count
    if (!Number.isInteger(count) || count < 1 || count > MAX_COUNT) {
      throw InvalidParameterValue(`Value (${String(count)}) for parameter count is invalid. It must be between 1 and ${MAX_COUNT}.`)
    }
    if (!Number.isInteger(minCount) || minCount < 1 || minCount > count) {
      throw InvalidParameterValue(`Value (${String(minCount)}) for parameter minCount is invalid. It must be between 1 and ${count}.`)
    }
    if (input.instanceId !== undefined && count !== 1) {
      throw new ServiceError('InvalidParameterCombination', 'An instance id can only be chosen when launching one instance.')
    }
    if (input.privateIp !== undefined && count !== 1) {
      throw new ServiceError('InvalidParameterCombination', 'A private IP address can only be chosen when launching one instance.')
    }
    if (input.instanceId !== undefined && !INSTANCE_ID.test(input.instanceId)) throw InvalidInstanceIdMalformed(input.instanceId)
    if (!isKnownRegion(region)) throw InvalidParameterValue(unknownRegionMessage(region))
    if (input.availabilityZone !== undefined && !isZoneOf(region, input.availabilityZone)) {
      throw InvalidParameterValue(`Invalid availability zone: [${input.availabilityZone}]`)
    }
    const placement = this.placement(region, input)
    const availabilityZone = placement?.availabilityZone ?? input.availabilityZone ?? regionZones(region)[0] ?? ''
    const serve = validateServe(input.serve ?? [])
    if (input.privateIp !== undefined) validatePrivateIp(input.privateIp)

    // Refused whole inside the update: a throw leaves the state untouched.
    return this.store.updateRegion(region, (regionState, state) => {
      const base = baseOf(state)
      const taken = takenAddresses(Object.values(base.regions))
      const allIds = new Set(Object.values(base.regions).flatMap((r) => r.instances.map((i) => i.instanceId)))
      if (input.instanceId !== undefined && allIds.has(input.instanceId)) {
        throw InvalidParameterValue(`Instance ${input.instanceId} already exists.`)
      }
      if (input.privateIp !== undefined && taken.has(input.privateIp)) {
        throw new ServiceError('InvalidIPAddress.InUse', `Address ${input.privateIp} is in use.`)
      }
      const launching = Math.min(count, backendCapacity(Object.values(base.regions), serve.length))
      if (launching < minCount) throw tooManyBackends(minCount * serve.length, Object.values(base.regions))
      const launched: InstanceRecord[] = []
      const reservationId = `r-${randomBytes(9).toString('hex').slice(0, 17)}`
      const subnetTaken = placement === undefined ? undefined : takenInSubnet(baseOf(regionState), {subnetId: placement.subnetId, cidrBlock: placement.cidrBlock})
      const extras = {
        reservationId,
        ...(input.imageId === undefined ? {} : {imageId: input.imageId}),
        ...(input.instanceType === undefined ? {} : {instanceType: input.instanceType}),
        ...(input.tags === undefined || input.tags.length === 0 ? {} : {tags: input.tags.map((tag) => ({...tag}))}),
      }
      for (let n = 0; n < launching; n++) {
        const instanceId = input.instanceId ?? newInstanceId(allIds, input.longIds === true ? 17 : 8)
        allIds.add(instanceId)
        const privateIp = input.privateIp ?? this.firstFreeAddress(taken)
        taken.add(privateIp)
        const inVpc = placement === undefined || subnetTaken === undefined ? {} : {
          vpcId: placement.vpcId, subnetId: placement.subnetId, subnetIp: allocateSubnetAddress(placement, instanceId, subnetTaken),
          securityGroupIds: [...placement.securityGroupIds],
          // Launched without naming a group: it shows the VPC's default group, as on AWS, but the data plane
          // does not filter its traffic, so the seed's walkthroughs run unchanged in the default VPC (docs/decisions.md).
          ...(namesGroups(input.placement) ? {} : {securityGroupsDefaulted: true}),
        }
        const record: InstanceRecord = {
          instanceId, privateIp, availabilityZone, state: 'running', launchTime: this.now().toISOString(), serve, ...extras, ...inVpc,
        }
        regionState.instances.push(structuredClone(record) as Draft<InstanceRecord>)
        launched.push(record)
      }
      return launched
    })
  }

  /** The subnet a launch goes in: named, or (in a VPC account) the default subnet of its zone; none in EC2-Classic. */
  private placement(region: string, input: RunInputPlacement): SubnetPlacement | undefined {
    const request = input.placement ?? {}
    if (request.subnetId === undefined && platformOf(this.store.state) !== 'vpc') {
      // EC2-Classic: an address outside loopback cannot carry the instance's traffic.
      if (request.requestedIp !== undefined) validatePrivateIp(request.requestedIp)
      return undefined
    }
    const network = this.store.region(region).network
    if (network === undefined) return placeInstance(emptyNetwork(), request)
    return placeInstance(network, {...request, ...(input.availabilityZone === undefined ? {} : {availabilityZone: input.availabilityZone})})
  }

  /** All instances of the region (in launch order), or the ones named. */
  describeInstances(region: string, instanceIds: readonly string[] = []): readonly InstanceRecord[] {
    const instances = this.store.region(region).instances
    if (instanceIds.length === 0) return instances
    const byId = this.requireKnown(this.store.region(region), instanceIds)
    return instanceIds.map((id) => byId.get(id)).filter(isDefined)
  }

  stopInstances(region: string, instanceIds: readonly string[]): InstanceRecord[] {
    return this.transition(region, instanceIds, (instance) => {
      if (instance.state === 'terminated') {
        throw IncorrectInstanceState(`The instance '${instance.instanceId}' is not in a state from which it can be stopped.`)
      }
      instance.state = 'stopped'
    })
  }

  /** A started instance gets a new private IP, as an EC2-Classic instance does. */
  startInstances(region: string, instanceIds: readonly string[]): InstanceRecord[] {
    const regionState = this.store.region(region)
    const starting = new Set(instanceIds)
    const waking = regionState.instances.filter((i) => starting.has(i.instanceId) && i.state === 'stopped')
    const backends = waking.reduce((sum, i) => sum + i.serve.length, 0)
    if (backends > 0 && backends > backendCapacity(Object.values(this.store.state.regions), 1)) {
      throw tooManyBackends(backends, Object.values(this.store.state.regions))
    }
    return this.transition(region, instanceIds, (instance, taken) => {
      if (instance.state === 'terminated') {
        throw IncorrectInstanceState(`The instance '${instance.instanceId}' is not in a state from which it can be started.`)
      }
      if (instance.state === 'running') return
      taken.add(instance.privateIp)
      instance.privateIp = this.firstFreeAddress(taken)
      taken.add(instance.privateIp)
      instance.state = 'running'
    })
  }

  terminateInstances(region: string, instanceIds: readonly string[]): InstanceRecord[] {
    const terminatedAt = this.now().toISOString()
    return this.transition(region, instanceIds, (instance) => {
      if (instance.state === 'terminated') return
      instance.state = 'terminated'
      instance.terminatedAt = terminatedAt
    })
  }

  /**
   * Forgets the instances terminated at or before `cutoff` (EC2 keeps them visible for about an
   * hour), in every region, in one journaled write. Returns how many went, and when the next
   * remaining terminated instance reaches the cutoff's age (undefined: none left).
   */
  forgetTerminated(cutoff: Date): {forgotten: number; nextTerminatedAt?: Date} {
    const limit = cutoff.getTime()
    let forgotten = 0
    let next: number | undefined
    const expired = (instance: InstanceRecord) => instance.state === 'terminated' && terminationTime(instance) <= limit
    const regions = Object.entries(this.store.state.regions).filter(([, region]) => region.instances.some(expired))
    if (regions.length > 0) {
      this.store.update((state) => {
        for (const [name] of regions) {
          const region = state.regions[name]
          if (region === undefined) continue
          const kept = baseOf(region.instances).filter((instance) => !expired(instance))
          forgotten += region.instances.length - kept.length
          region.instances = kept
        }
      })
    }
    for (const region of Object.values(this.store.state.regions)) {
      for (const instance of region.instances) {
        if (instance.state === 'terminated') next = Math.min(next ?? Infinity, terminationTime(instance))
      }
    }
    return next === undefined ? {forgotten} : {forgotten, nextTerminatedAt: new Date(next)}
  }

  private transition(
    region: string,
    instanceIds: readonly string[],
    change: (instance: {-readonly [K in keyof InstanceRecord]: InstanceRecord[K]}, taken: Set<string>) => void,
  ): InstanceRecord[] {
    if (instanceIds.length === 0) throw new ServiceError('MissingParameter', 'The request must contain the parameter InstanceId')
    for (const id of instanceIds) if (!INSTANCE_ID.test(id)) throw InvalidInstanceIdMalformed(id)
    this.requireKnown(this.store.region(region), instanceIds)
    const ids = [...new Set(instanceIds)]
    this.store.updateRegion(region, (regionState, state) => {
      const taken = takenAddresses(Object.values(baseOf(state).regions))
      const indexes = new Map(baseOf(regionState.instances).map((instance, index) => [instance.instanceId, index]))
      for (const id of ids) {
        const instance = regionState.instances[indexes.get(id) ?? -1]
        if (instance === undefined) throw InvalidInstanceIdNotFound([id])
        change(instance, taken)
      }
    })
    const stored = new Map(this.store.region(region).instances.map((instance) => [instance.instanceId, instance]))
    return ids.map((id) => stored.get(id)).filter(isDefined)
  }

  /** The region's instances by id, once every id named is known (else AWS's Malformed / NotFound). */
  private requireKnown(regionState: RegionState, instanceIds: readonly string[]): ReadonlyMap<string, InstanceRecord> {
    for (const id of instanceIds) if (!INSTANCE_ID.test(id)) throw InvalidInstanceIdMalformed(id)
    const byId = new Map(regionState.instances.map((instance) => [instance.instanceId, instance]))
    const missing = instanceIds.filter((id) => !byId.has(id))
    if (missing.length > 0) throw InvalidInstanceIdNotFound(missing)
    return byId
  }

  private firstFreeAddress(taken: ReadonlySet<string>): string {
    for (let host = 2; host <= 254; host++) {
      const address = `${this.network}.${host}`
      if (!taken.has(address)) return address
    }
    throw new ServiceError('InsufficientFreeAddressesInSubnet', `No free address is left in ${this.network}.0/24.`)
  }
}

/**
 * Addresses a new or restarted instance must not get: those of instances that are not terminated
 * (a stopped instance keeps its last address in the record) and those a load balancer still has
 * registered — so a stale registration never silently reaches a different instance.
 */
function takenAddresses(regions: readonly RegionState[]): Set<string> {
  const taken = new Set<string>()
  for (const region of regions) {
    for (const instance of region.instances) if (instance.state !== 'terminated') taken.add(instance.privateIp)
    for (const lb of region.loadBalancers) {
      for (const registration of lb.instances) taken.add(registration.privateIp)
      taken.add(lb.localAddress)
    }
  }
  return taken
}

function newInstanceId(existing: ReadonlySet<string>, digits: 8 | 17): string {
  for (;;) {
    const id = `i-${randomBytes(9).toString('hex').slice(0, digits)}`
    if (!existing.has(id)) return id
  }
}

/**
 * Canonical dotted-quad loopback addresses only: four decimal parts 0-255 without leading zeros
 * (`127.0.91.010` would bind as octal 127.0.91.8 in inet_aton-style parsers, another instance's
 * address), so the address stored is exactly the address bound.
 */
export function validatePrivateIp(address: string): void {
  if (!isIPv4(address)) {
    throw InvalidParameterValue(`Address ${address} is not a valid IPv4 address: write four decimal numbers 0-255 without leading zeros, e.g. 127.0.0.5.`)
  }
  const octets = address.startsWith('127.') ? address.split('.').slice(1).map(Number) : undefined
  const valid = octets !== undefined &&
    octets[2] !== 0 && octets[2] !== 255 && !(octets[0] === 0 && octets[1] === 0 && octets[2] === 1)
  if (!valid) {
    throw InvalidParameterValue(`Address ${address} is not usable for an instance: choose a loopback address 127.x.y.z other than 127.0.0.1 (and not .0 or .255).`)
  }
  if (octets[0] === 1) {
    throw InvalidParameterValue(`Address ${address} is in 127.1.0.0/16, which the engine keeps for load balancers.`)
  }
}

/** Running demo back ends engine-wide, and how many more instances serving `perInstance` ports fit. */
function backendCapacity(regions: readonly RegionState[], perInstance: number): number {
  if (perInstance === 0) return Infinity
  return Math.max(0, Math.floor((MAX_DEMO_BACKENDS - runningBackends(regions)) / perInstance))
}

function runningBackends(regions: readonly RegionState[]): number {
  let total = 0
  for (const region of regions) for (const instance of region.instances) if (instance.state === 'running') total += instance.serve.length
  return total
}

function tooManyBackends(needed: number, regions: readonly RegionState[]): ServiceError {
  return InstanceLimitExceeded(`This request would run ${needed} more demo back ends (ports instances serve); ` +
    `${runningBackends(regions)} of the engine's ${MAX_DEMO_BACKENDS} are running. Stop or terminate instances, or serve fewer ports.`)
}

/** Instances terminated before the engine recorded termination times count from their launch. */
function terminationTime(instance: InstanceRecord): number {
  const time = Date.parse(instance.terminatedAt ?? instance.launchTime)
  return Number.isNaN(time) ? 0 : time
}

function validateServe(specs: readonly ServeSpec[]): ServeSpec[] {
  if (specs.length > MAX_SERVE_PORTS) {
    throw InvalidParameterValue(`An instance serves at most ${MAX_SERVE_PORTS} ports; ${specs.length} were given.`)
  }
  const ports = new Set<number>()
  return specs.map((spec) => {
    // The admin API hands us JSON: the type says http|https, the wire may say anything.
    const protocol: string = spec.protocol
    if (protocol !== 'http' && protocol !== 'https') {
      throw InvalidParameterValue(`Invalid serve protocol '${protocol}': use http or https.`)
    }
    if (!Number.isInteger(spec.port) || spec.port < 1 || spec.port > 65535) {
      throw InvalidParameterValue(`Invalid serve port ${String(spec.port)}: use 1-65535.`)
    }
    if (ports.has(spec.port)) throw InvalidParameterValue(`Port ${spec.port} is served twice.`)
    ports.add(spec.port)
    return {protocol: spec.protocol, port: spec.port}
  })
}

function isDefined<T>(value: T | undefined): value is T {
  return value !== undefined
}

/** Whether a launch named security groups (by id or by name). */
function namesGroups(placement: PlacementRequest | undefined): boolean {
  return (placement?.securityGroupIds?.length ?? 0) > 0 || (placement?.securityGroupNames?.length ?? 0) > 0
}
