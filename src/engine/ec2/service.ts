import {loadData} from '../../common/data.js'
import type {InstanceService} from '../model/instance-service.js'
import {SecurityGroupService} from '../model/network/security-groups.js'
import {NetworkModel} from '../model/network/network-model.js'
import {regionZones, zoneIdOf} from '../model/network/zones.js'
import type {Store} from '../model/store.js'
import type {InstanceRecord, RequestContext} from '../model/types.js'
import {
  InstanceLimitExceeded,
  InvalidAmiIdMalformed,
  InvalidParameterCombination,
  InvalidParameterValue,
} from './errors.js'
import {filterBy, paginate, type Matchers} from './filtering.js'
import {dryRun} from './network/dry-run.js'
import {instanceInterfaceId, instanceNetwork} from './network/instance-network.js'
import {InstanceAttributeApi} from './network/instance-attributes.js'
import {InterfaceApi} from './network/interfaces-api.js'
import {launchPlacement} from './network/launch-params.js'
import {RoutingApi} from './network/routing-api.js'
import {TagApi} from './network/tag-api.js'
import {VpcApi} from './network/vpc-api.js'
import {INSTANCE_ID_TAG, instanceTags, parseServeTag, SERVE_TAG} from './launch-tags.js'
import {
  AMI_ID, describeCreditSpecifications, describeImages, describeInstanceAttribute, describeInstanceTypes, emptySet,
} from './provisioning.js'
import {Ec2SecurityGroups} from './security-groups.js'
import {
  filters, optionalBoolean, optionalString, requiredInteger, requiredString, stringList, type QueryParams,
} from './params.js'
import {
  instanceView, stateCode, stateView, type Wire,
} from './views.js'

/**
 * The EC2 Query API (2016-11-15) over the engine's stand-in instances: the calls aws-cli, the SDKs,
 * Terraform and Ansible make around Classic ELB. Instances live in the shared InstanceService (the
 * same model `elb-local run-instances` uses); this class reads EC2's parameters and answers in
 * EC2's element names. One method per Action, `(ctx, params) => Wire`, called through the dispatch
 * map of api/services/ec2.ts.
 */

const MAX_INSTANCES_PER_CALL = 50

export class Ec2Service {
  /** VPCs, subnets, network ACLs, DHCP options. */
  readonly vpcs: VpcApi
  /** Internet gateways and route tables. */
  readonly routing: RoutingApi
  /** CreateTags, DeleteTags, DescribeTags. */
  readonly tagging: TagApi
  /** Security groups and their rules (security-groups.ts). */
  readonly securityGroups: Ec2SecurityGroups
  /** DescribeNetworkInterfaces. */
  readonly interfaces: InterfaceApi
  /** ModifyInstanceAttribute. */
  readonly instanceAttributes: InstanceAttributeApi
  private readonly network: NetworkModel

  constructor(private readonly store: Store, private readonly instances: InstanceService) {
    this.network = new NetworkModel(store)
    this.vpcs = new VpcApi(this.network)
    this.routing = new RoutingApi(this.network)
    this.tagging = new TagApi(this.network)
    this.securityGroups = new Ec2SecurityGroups(store, new SecurityGroupService(this.network))
    this.interfaces = new InterfaceApi(this.network)
    this.instanceAttributes = new InstanceAttributeApi(this.network)
  }

  startInstances(ctx: RequestContext, params: QueryParams): Wire {
    return this.changeState(ctx, params, 'start')
  }

  stopInstances(ctx: RequestContext, params: QueryParams): Wire {
    return this.changeState(ctx, params, 'stop')
  }

  terminateInstances(ctx: RequestContext, params: QueryParams): Wire {
    return this.changeState(ctx, params, 'terminate')
  }

  // What provisioning tools (Terraform, Ansible) read around RunInstances: provisioning.ts.
  describeInstanceTypes(_ctx: RequestContext, params: QueryParams): Wire {
    return describeInstanceTypes(params)
  }

  describeImages(ctx: RequestContext, params: QueryParams): Wire {
    return describeImages(params, this.instances.describeInstances(ctx.region))
  }

  describeInstanceCreditSpecifications(ctx: RequestContext, params: QueryParams): Wire {
    return describeCreditSpecifications(this.instances.describeInstances(ctx.region, stringList(params, 'InstanceId')))
  }

  describeVolumes(): Wire {
    return emptySet('volumeSet')
  }

  private get accountId(): string {
    return this.store.state.accountId
  }

  runInstances(ctx: RequestContext, params: QueryParams): Wire {
    const imageId = optionalString(params, 'ImageId')
    if (imageId !== undefined && !AMI_ID.test(imageId)) throw new InvalidAmiIdMalformed(`Invalid id: "${imageId}" (expecting "ami-...")`)
    const minCount = requiredInteger(params, 'MinCount')
    const maxCount = requiredInteger(params, 'MaxCount')
    if (minCount < 1) throw new InvalidParameterValue(`Value (${minCount}) for parameter minCount is invalid. Expected a value greater than or equal to 1.`)
    if (maxCount < minCount) throw new InvalidParameterValue(`Value (${maxCount}) for parameter maxCount is invalid. Expected a value greater than or equal to minCount (${minCount}).`)
    if (minCount > MAX_INSTANCES_PER_CALL) {
      throw new InstanceLimitExceeded(`You have requested more instances (${minCount}) than your current instance limit of ${MAX_INSTANCES_PER_CALL} allows for the specified instance type.`)
    }
    const tags = instanceTags(params)
    const chosenId = tags.find((tag) => tag.key === INSTANCE_ID_TAG)?.value
    const serveTag = tags.find((tag) => tag.key === SERVE_TAG)?.value
    const {placement, loopbackIp: privateIp} = launchPlacement(params)
    const one = chosenId !== undefined || privateIp !== undefined || placement.requestedIp !== undefined
    // EC2 launches as many as it can between MinCount and MaxCount (the model's limits decide).
    const count = one ? 1 : Math.min(maxCount, MAX_INSTANCES_PER_CALL)
    if (chosenId !== undefined && minCount > 1) {
      throw new InvalidParameterCombination(`The tag ${INSTANCE_ID_TAG} names one instance id; MinCount must be 1.`)
    }
    if ((privateIp !== undefined || placement.requestedIp !== undefined) && minCount > 1) {
      throw new InvalidParameterCombination('Cannot specify a private IP address when launching more than one instance.')
    }
    dryRun(params)
    const zone = optionalString(params, 'Placement.AvailabilityZone')
    const launched = this.instances.runInstances(ctx.region, {
      count,
      minCount: Math.min(minCount, count),
      longIds: true,
      ...(chosenId === undefined ? {} : {instanceId: chosenId}),
      ...(privateIp === undefined ? {} : {privateIp}),
      ...(zone === undefined ? {} : {availabilityZone: zone}),
      serve: serveTag === undefined ? [] : parseServeTag(serveTag),
      ...(imageId === undefined ? {} : {imageId}),
      instanceType: optionalString(params, 'InstanceType') ?? 'm1.small',
      tags,
      placement,
    })
    const first = launched[0]
    return {
      reservationId: first?.reservationId ?? '',
      ownerId: this.accountId,
      groupSet: [],
      instancesSet: launched.map((instance, index) => this.instanceView(ctx.region, instance, index)),
    }
  }

  describeInstances(ctx: RequestContext, params: QueryParams): Wire {
    const ids = stringList(params, 'InstanceId')
    if (ids.length > 0 && params.has('MaxResults')) {
      throw new InvalidParameterCombination('The parameter instancesSet cannot be used with the parameter maxResults')
    }
    const selected = filterBy(this.instances.describeInstances(ctx.region, ids), filters(params), this.instanceMatchers(ctx.region))
    const page = paginate(selected, params, 'DescribeInstances')
    // One reservation per RunInstances call, in launch order, as EC2 groups them.
    const reservations = new Map<string, InstanceRecord[]>()
    for (const instance of page.items) {
      const key = instance.reservationId ?? `r-${instance.instanceId.slice(2)}`
      const members = reservations.get(key)
      if (members === undefined) reservations.set(key, [instance])
      else members.push(instance)
    }
    const indexes = launchIndexes(this.instances.describeInstances(ctx.region))
    return {
      reservationSet: [...reservations].map(([reservationId, members]) => ({
        reservationId,
        ownerId: this.accountId,
        groupSet: [],
        instancesSet: members.map((instance) => this.instanceView(ctx.region, instance, indexes.get(instance) ?? 0)),
      })),
      ...(page.nextToken === undefined ? {} : {nextToken: page.nextToken}),
    }
  }

  private changeState(ctx: RequestContext, params: QueryParams, change: 'start' | 'stop' | 'terminate'): Wire {
    const ids = stringList(params, 'InstanceId')
    const before = new Map(this.instances.describeInstances(ctx.region, ids).map((i) => [i.instanceId, i.state]))
    dryRun(params)
    const after = change === 'start'
      ? this.instances.startInstances(ctx.region, ids)
      : change === 'stop' ? this.instances.stopInstances(ctx.region, ids) : this.instances.terminateInstances(ctx.region, ids)
    return {
      instancesSet: after.map((instance) => ({
        instanceId: instance.instanceId,
        currentState: stateView(instance.state),
        previousState: stateView(before.get(instance.instanceId) ?? instance.state),
      })),
    }
  }

  describeInstanceStatus(ctx: RequestContext, params: QueryParams): Wire {
    const ids = stringList(params, 'InstanceId')
    const includeAll = optionalBoolean(params, 'IncludeAllInstances') ?? false
    const listed = this.instances.describeInstances(ctx.region, ids).filter((i) => includeAll || i.state === 'running')
    const selected = filterBy(listed, filters(params), {
      'instance-id': (i) => [i.instanceId],
      'availability-zone': (i) => [i.availabilityZone],
      'instance-state-name': (i) => [i.state],
      'instance-state-code': (i) => [String(stateCode(i.state))],
      'instance-status.status': (i) => [i.state === 'running' ? 'ok' : 'not-applicable'],
      'system-status.status': (i) => [i.state === 'running' ? 'ok' : 'not-applicable'],
    })
    const page = paginate(selected, params, 'DescribeInstanceStatus')
    const status = (i: InstanceRecord): Wire => i.state === 'running'
      ? {status: 'ok', details: [{name: 'reachability', status: 'passed'}]}
      : {status: 'not-applicable', details: []}
    return {
      instanceStatusSet: page.items.map((i) => ({
        instanceId: i.instanceId,
        availabilityZone: i.availabilityZone,
        eventsSet: [],
        instanceState: stateView(i.state),
        systemStatus: status(i),
        instanceStatus: status(i),
      })),
      ...(page.nextToken === undefined ? {} : {nextToken: page.nextToken}),
    }
  }

  describeAvailabilityZones(ctx: RequestContext, params: QueryParams): Wire {
    const all = regionZones(ctx.region)
    const names = stringList(params, 'ZoneName')
    for (const name of names) {
      if (!all.includes(name)) throw new InvalidParameterValue(`The zone '${name}' does not exist in the region '${ctx.region}'`)
    }
    const zoneIds = stringList(params, 'ZoneId')
    for (const id of zoneIds) {
      if (!all.some((zone) => zoneId(ctx.region, zone) === id)) throw new InvalidParameterValue(`The zone id '${id}' does not exist in the region '${ctx.region}'`)
    }
    const named = all.filter((zone) => (names.length === 0 || names.includes(zone)) && (zoneIds.length === 0 || zoneIds.includes(zoneId(ctx.region, zone))))
    const zones = filterBy(named, filters(params), {
      'zone-name': (z) => [z],
      'zone-id': (z) => [zoneId(ctx.region, z)],
      'region-name': () => [ctx.region],
      'state': () => ['available'],
      'zone-type': () => ['availability-zone'],
      'group-name': () => [ctx.region],
      'opt-in-status': () => ['opt-in-not-required'],
    })
    return {
      availabilityZoneInfo: zones.map((zone) => ({
        zoneName: zone,
        zoneState: 'available',
        regionName: ctx.region,
        messageSet: [],
        zoneId: zoneId(ctx.region, zone),
        zoneType: 'availability-zone',
        optInStatus: 'opt-in-not-required',
        groupName: ctx.region,
        networkBorderGroup: ctx.region,
      })),
    }
  }

  describeRegions(_ctx: RequestContext, params: QueryParams): Wire {
    const all = knownRegions()
    const names = stringList(params, 'RegionName')
    for (const name of names) if (!all.includes(name)) throw new InvalidParameterValue(`Invalid region: ${name}`)
    const regions = filterBy(names.length === 0 ? all : names, filters(params), {
      'region-name': (r) => [r],
      'endpoint': (r) => [`ec2.${r}.amazonaws.com`],
      'opt-in-status': () => ['opt-in-not-required'],
    })
    return {
      regionInfo: regions.map((region) => ({regionName: region, regionEndpoint: `ec2.${region}.amazonaws.com`, optInStatus: 'opt-in-not-required'})),
    }
  }

  /** A VPC account: `supported-platforms` VPC and the Region's default VPC; EC2-Classic: EC2 and VPC, no default VPC. */
  describeAccountAttributes(ctx: RequestContext, params: QueryParams): Wire {
    const classic = this.network.platform === 'ec2-classic'
    const defaultVpc = classic ? undefined : this.network.network(ctx.region).vpcs.find((vpc) => vpc.isDefault)
    const attributes: [string, string[]][] = [
      ['supported-platforms', classic ? ['EC2', 'VPC'] : ['VPC']],
      ['default-vpc', [defaultVpc?.vpcId ?? 'none']],
      ['max-instances', ['20']],
      ['max-elastic-ips', ['5']],
      ['vpc-max-elastic-ips', ['5']],
      ['vpc-max-security-groups-per-interface', ['5']],
    ]
    const names = stringList(params, 'AttributeName')
    for (const name of names) {
      if (!attributes.some(([known]) => known === name)) throw new InvalidParameterValue(`Value (${name}) for parameter attributeName is invalid. Unknown attribute.`)
    }
    return {
      accountAttributeSet: attributes
        .filter(([name]) => names.length === 0 || names.includes(name))
        .map(([attributeName, values]) => ({attributeName, attributeValueSet: values.map((attributeValue) => ({attributeValue}))})),
    }
  }

  describeInstanceAttribute(ctx: RequestContext, params: QueryParams): Wire {
    const id = requiredString(params, 'InstanceId')
    // describeInstances answers InvalidInstanceID.Malformed / .NotFound for an id it does not know.
    const [instance] = this.instances.describeInstances(ctx.region, [id])
    if (instance === undefined) throw new Error(`describeInstances returned nothing for ${id}`)
    return describeInstanceAttribute(params, instance, this.accountId, this.network.network(ctx.region))
  }

  private instanceView(region: string, instance: InstanceRecord, launchIndex: number): Wire {
    return instanceView(region, this.accountId, instance, launchIndex, instanceNetwork(region, this.accountId, instance, this.network.network(region)))
  }

  private instanceMatchers(region: string): Matchers<InstanceRecord> {
    const network = this.network.network(region)
    const groupNames = (i: InstanceRecord) => (i.securityGroupIds ?? []).map((id) => network.securityGroups.find((g) => g.groupId === id)?.groupName ?? '')
    return {
      'instance-id': (i) => [i.instanceId],
      'instance-state-name': (i) => [i.state],
      'instance-state-code': (i) => [String(stateCode(i.state))],
      'availability-zone': (i) => [i.availabilityZone],
      'image-id': (i) => [i.imageId ?? ''],
      'instance-type': (i) => [i.instanceType ?? 'm1.small'],
      'private-ip-address': (i) => [i.subnetIp ?? i.privateIp],
      'ip-address': (i) => (i.state === 'running' ? [i.privateIp] : []),
      'reservation-id': (i) => [i.reservationId ?? ''],
      // EC2-Classic instances are in no VPC, subnet or network interface: these filters match none.
      'vpc-id': (i) => (i.vpcId === undefined ? [] : [i.vpcId]),
      'subnet-id': (i) => (i.subnetId === undefined ? [] : [i.subnetId]),
      'network-interface.vpc-id': (i) => (i.vpcId === undefined ? [] : [i.vpcId]),
      'network-interface.subnet-id': (i) => (i.subnetId === undefined ? [] : [i.subnetId]),
      'network-interface.network-interface-id': (i) => (i.subnetId === undefined ? [] : [instanceInterfaceId(region, this.accountId, i.instanceId)]),
      'instance.group-id': (i) => i.securityGroupIds ?? [],
      'group-id': (i) => i.securityGroupIds ?? [],
      'instance.group-name': groupNames,
      'group-name': groupNames,
      'tag-key': (i) => (i.tags ?? []).map((t) => t.key),
      'tag-value': (i) => (i.tags ?? []).map((t) => t.value ?? ''),
      'tag:': (i, key) => (i.tags ?? []).filter((t) => t.key === key).map((t) => t.value ?? ''),
    }
  }
}

/** Each instance's place in its reservation (AmiLaunchIndex), in one pass over the region. */
function launchIndexes(all: readonly InstanceRecord[]): Map<InstanceRecord, number> {
  const counts = new Map<string, number>()
  const indexes = new Map<InstanceRecord, number>()
  for (const instance of all) {
    if (instance.reservationId === undefined) continue
    const index = counts.get(instance.reservationId) ?? 0
    counts.set(instance.reservationId, index + 1)
    indexes.set(instance, index)
  }
  return indexes
}

function zoneId(region: string, zone: string): string {
  return zoneIdOf(region, zone) ?? ''
}

interface HostedZoneData {
  readonly hostedZoneIds: Readonly<Record<string, string>>
}

function knownRegions(): string[] {
  return Object.keys(loadData<HostedZoneData>('elb-hosted-zone-ids.json').hostedZoneIds).sort()
}
