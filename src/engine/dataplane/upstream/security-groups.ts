import type {Socket} from 'node:net'
import type {ChangeSet} from '../../model/persistence/changes.js'
import type {SecurityGroupRecord, SubnetRecord} from '../../model/network-types.js'
import {parseCidr, stableAddressIn} from '../../model/network/addresses.js'
import {withDefaultNetwork} from '../../model/network/default-vpc.js'
import {isKnownRegion} from '../../model/regions.js'
import {admitsCompiled, compileRules, type CompiledRule} from '../../model/network/security-group-evaluation.js'
import type {EngineState, InstanceRecord, LoadBalancerRecord, RegionState} from '../../model/types.js'
import {unconnectedSocket, type ConnectDone, type ConnectionFilter, type InstanceTarget} from './connector.js'

/**
 * Security groups on the traffic path, evaluated on the addresses the API shows. A client
 * connection reaches a listener only if the load balancer's groups admit the client's address on
 * the listener's port; the load balancer reaches an instance (requests, connections and health
 * checks) only if its groups' egress admits the instance's subnet address and port and the
 * instance's groups' ingress admits the LB node's address (or one of the LB's groups). EC2-Classic
 * accounts and load balancers without security groups filter nothing.
 *
 * The index is built from immutable snapshots (`apply`, from the store's change set) and read at
 * accept and at connect time: a rule change applies to the next connection, and open connections
 * stay (groups are stateful).
 */

interface LoadBalancerEntry {
  readonly record: LoadBalancerRecord
  readonly ingress: readonly CompiledRule[]
  readonly egress: readonly CompiledRule[]
  /** The LB node's subnet address per zone (the source instances see). */
  readonly nodeAddresses: Map<string, string>
}

interface InstanceEntry {
  readonly record: InstanceRecord
  readonly ingress: readonly CompiledRule[]
}

interface RegionIndex {
  readonly groups: ReadonlyMap<string, SecurityGroupRecord>
  readonly subnets: ReadonlyMap<string, SubnetRecord>
  readonly loadBalancers: Map<string, LoadBalancerEntry>
  readonly instances: Map<string, InstanceEntry>
}

export class SecurityGroupGate {
  private vpc = false
  private readonly regions = new Map<string, RegionIndex>()

  /** Follows a new snapshot: regions whose networking changed are re-indexed, otherwise only the records named. */
  apply(state: EngineState, changes: ChangeSet): void {
    this.vpc = state.platform === 'vpc'
    if (changes.all) {
      this.regions.clear()
      for (const name of Object.keys(state.regions)) this.regions.set(name, indexRegion(regionOf(state, name)))
      return
    }
    const rebuilt = new Set(changes.networkRegions)
    for (const name of rebuilt) this.regions.set(name, indexRegion(regionOf(state, name)))
    for (const {region, name} of changes.loadBalancers) {
      if (rebuilt.has(region)) continue
      const index = this.regionIndex(state, region)
      const record = regionOf(state, region).loadBalancers.find((lb) => lb.name === name)
      if (record === undefined) index.loadBalancers.delete(name)
      else index.loadBalancers.set(name, loadBalancerEntry(record, index))
    }
    for (const {region, instanceId} of changes.instances) {
      if (rebuilt.has(region)) continue
      const index = this.regionIndex(state, region)
      const record = regionOf(state, region).instances.find((i) => i.instanceId === instanceId)
      if (record === undefined) index.instances.delete(instanceId)
      else index.instances.set(instanceId, instanceEntry(record, index))
    }
  }

  /** Whether a client at `address` may open a connection to the load balancer's listener on `port`. */
  admitsClient(region: string, loadBalancerName: string, address: string, port: number): boolean {
    const lb = this.filtered(region, loadBalancerName)
    return lb === undefined || admitsCompiled(lb.ingress, 'tcp', port, {address, groupIds: []})
  }

  /** Whether the load balancer may open a connection to the instance on `port` (its egress, then the instance's ingress). */
  admitsInstance(region: string, loadBalancerName: string, instanceId: string, port: number): boolean {
    const lb = this.filtered(region, loadBalancerName)
    if (lb === undefined) return true
    const instance = this.regions.get(region)?.instances.get(instanceId)
    if (instance === undefined) return true
    const destination = {address: instance.record.subnetIp ?? instance.record.privateIp, groupIds: instance.record.securityGroupIds ?? []}
    if (!admitsCompiled(lb.egress, 'tcp', port, destination)) return false
    if ((instance.record.securityGroupIds ?? []).length === 0 || instance.record.securityGroupsDefaulted === true) return true
    const source = {address: this.nodeAddress(region, lb, instance.record.availabilityZone), groupIds: lb.record.securityGroups}
    return admitsCompiled(instance.ingress, 'tcp', port, source)
  }

  /** The LB's entry when its traffic is filtered: a VPC account and at least one group. */
  private filtered(region: string, loadBalancerName: string): LoadBalancerEntry | undefined {
    if (!this.vpc) return undefined
    const lb = this.regions.get(region)?.loadBalancers.get(loadBalancerName)
    return lb === undefined || lb.record.securityGroups.length === 0 ? undefined : lb
  }

  /**
   * The address of the LB node that talks to an instance in `zone`: its address in its subnet of
   * that zone (else its first subnet), stable for the LB's name.
   */
  private nodeAddress(region: string, lb: LoadBalancerEntry, zone: string): string {
    const known = lb.nodeAddresses.get(zone)
    if (known !== undefined) return known
    const subnets = this.regions.get(region)?.subnets
    const own = lb.record.subnets.map((id) => subnets?.get(id)).filter((s): s is SubnetRecord => s !== undefined)
    const subnet = own.find((s) => s.availabilityZone === zone) ?? own[0]
    const cidr = subnet === undefined ? undefined : parseCidr(subnet.cidrBlock)
    const address = (cidr === undefined ? undefined : stableAddressIn(cidr, lb.record.name)) ?? lb.record.localAddress
    lb.nodeAddresses.set(zone, address)
    return address
  }

  private regionIndex(state: EngineState, region: string): RegionIndex {
    let index = this.regions.get(region)
    if (index === undefined) this.regions.set(region, index = indexRegion(regionOf(state, region)))
    return index
  }
}

/** The region as the API shows it: a VPC account's Region has its default VPC before its first write. */
function regionOf(state: EngineState, name: string): RegionState {
  const own = Object.hasOwn(state.regions, name) ? state.regions[name] : undefined
  if (state.platform === 'vpc' && isKnownRegion(name)) return withDefaultNetwork(state.accountId, name, own)
  return own ?? {loadBalancers: [], instances: []}
}

function indexRegion(region: RegionState): RegionIndex {
  const network = region.network
  const index: RegionIndex = {
    groups: new Map((network?.securityGroups ?? []).map((g) => [g.groupId, g])),
    subnets: new Map((network?.subnets ?? []).map((s) => [s.subnetId, s])),
    loadBalancers: new Map(),
    instances: new Map(),
  }
  for (const lb of region.loadBalancers) index.loadBalancers.set(lb.name, loadBalancerEntry(lb, index))
  for (const instance of region.instances) index.instances.set(instance.instanceId, instanceEntry(instance, index))
  return index
}

function groupsOf(ids: readonly string[], index: RegionIndex): SecurityGroupRecord[] {
  return ids.flatMap((id) => index.groups.get(id) ?? [])
}

function loadBalancerEntry(record: LoadBalancerRecord, index: RegionIndex): LoadBalancerEntry {
  const groups = groupsOf(record.securityGroups, index)
  return {record, ingress: compileRules(groups, 'ingress'), egress: compileRules(groups, 'egress'), nodeAddresses: new Map()}
}

function instanceEntry(record: InstanceRecord, index: RegionIndex): InstanceEntry {
  return {record, ingress: compileRules(groupsOf(record.securityGroupIds ?? [], index), 'ingress')}
}

/**
 * What `connectToInstance` checks for one load balancer's connections to its instances on one
 * port (InstanceTarget.securityGroups). A connection the groups do not admit gets a socket that
 * never connects — as a dropped SYN on AWS, the connect times out after `timeoutMs` (or fails as
 * reset when the caller gives up first), so failover and health checks see an unreachable instance.
 */
export class SecurityGroupCheck implements ConnectionFilter {
  constructor(
    private readonly gate: SecurityGroupGate,
    private readonly region: string,
    private readonly loadBalancerName: string,
    /** The instance port as the API names it (not the local port an offset moved it to). */
    private readonly instancePort: number,
  ) {}

  drop(target: InstanceTarget, timeoutMs: number, done: ConnectDone): Socket | undefined {
    if (this.gate.admitsInstance(this.region, this.loadBalancerName, target.instanceId, this.instancePort)) return undefined
    const socket = unconnectedSocket()
    let settled = false
    const settle = (code: string, message: string): void => {
      if (settled) return
      settled = true
      clearTimeout(timer)
      done(Object.assign(new Error(message), {code}), undefined)
    }
    const timer = setTimeout(() => {
      settle('ETIMEDOUT', `connect to ${target.host}:${target.port} timed out`)
      socket.destroy()
    }, timeoutMs)
    socket.once('close', () => { settle('ECONNRESET', 'connection closed during connect') })
    return socket
  }
}
