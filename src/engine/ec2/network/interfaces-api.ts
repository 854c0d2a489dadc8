import {loadBalancerNodeAddress} from '../../model/network/placement.js'
import type {NetworkModel} from '../../model/network/network-model.js'
import type {NetworkState} from '../../model/network-types.js'
import type {LoadBalancerRecord, RequestContext} from '../../model/types.js'
import {InvalidNetworkInterfaceIdMalformed, InvalidNetworkInterfaceIdNotFound} from '../errors.js'
import {filterBy, paginate} from '../filtering.js'
import {filters, stringList, type QueryParams} from '../params.js'
import {loadBalancerInterfaceView, privateDnsName, stableId, type Wire} from '../views.js'
import {groupRefs, instanceNetwork, macAddress} from './instance-network.js'

/**
 * DescribeNetworkInterfaces: each instance's primary interface in its subnet, and each load
 * balancer's own interfaces — one per subnet, owned and attached by `amazon-elb` (RequesterId,
 * attachment.instance-owner-id), described `ELB NAME` — which is what Terraform's aws_elb looks for
 * when it cleans up after a delete. A load balancer in no subnet (EC2-Classic) has one interface
 * in its first zone, as before.
 */

const ELB_OWNER = 'amazon-elb'

export class InterfaceApi {
  constructor(private readonly model: NetworkModel) {}

  describeNetworkInterfaces(ctx: RequestContext, params: QueryParams): Wire {
    const region = this.model.region(ctx.region)
    const network = region.network
    const accountId = this.model.accountId
    const interfaces: Wire[] = [
      ...region.instances.flatMap((instance) => {
        const view = instance.state === 'terminated' ? undefined : instanceNetwork(ctx.region, accountId, instance, network)
        if (view === undefined) return []
        const {attachment, ...rest} = view.networkInterface as Wire & {attachment: Wire}
        return [{...rest, availabilityZone: instance.availabilityZone, requesterManaged: false,
          attachment: {...attachment, instanceId: instance.instanceId, instanceOwnerId: accountId}, tagSet: []}]
      }),
      ...region.loadBalancers.flatMap((lb) => (lb.subnets.length === 0
        ? [loadBalancerInterfaceView(ctx.region, accountId, lb)]
        : lb.subnets.map((subnetId) => this.loadBalancerInterface(ctx.region, lb, subnetId, network)))),
    ]
    const ids = stringList(params, 'NetworkInterfaceId')
    for (const id of ids) {
      if (!/^eni-[0-9a-f]{8,17}$/.test(id)) throw new InvalidNetworkInterfaceIdMalformed(`Invalid id: "${id}" (expecting "eni-...")`)
      if (!interfaces.some((eni) => eni['networkInterfaceId'] === id)) throw new InvalidNetworkInterfaceIdNotFound(`The networkInterface ID '${id}' does not exist`)
    }
    const named = interfaces.filter((eni) => ids.length === 0 || ids.includes(text(eni, 'networkInterfaceId')))
    const field = (name: string) => (eni: Wire) => [text(eni, name)]
    const attached = (name: string) => (eni: Wire) => [text(eni['attachment'] as Wire | undefined, name)]
    const groups = (name: string) => (eni: Wire) => ((eni['groupSet'] ?? []) as Wire[]).map((group) => text(group, name))
    const selected = filterBy(named, filters(params), {
      'network-interface-id': field('networkInterfaceId'),
      'description': field('description'),
      'requester-id': field('requesterId'),
      'requester-managed': field('requesterManaged'),
      'status': field('status'),
      'availability-zone': field('availabilityZone'),
      'owner-id': field('ownerId'),
      'private-ip-address': field('privateIpAddress'),
      'addresses.private-ip-address': field('privateIpAddress'),
      'private-dns-name': field('privateDnsName'),
      'mac-address': field('macAddress'),
      'interface-type': field('interfaceType'),
      'vpc-id': field('vpcId'),
      'subnet-id': field('subnetId'),
      'source-dest-check': field('sourceDestCheck'),
      'group-id': groups('groupId'),
      'group-name': groups('groupName'),
      'attachment.attachment-id': attached('attachmentId'),
      'attachment.instance-id': attached('instanceId'),
      'attachment.instance-owner-id': attached('instanceOwnerId'),
      'attachment.device-index': attached('deviceIndex'),
      'attachment.status': attached('status'),
      'attachment.delete-on-termination': attached('deleteOnTermination'),
      'tag-key': () => [],
      'tag-value': () => [],
      'tag:': () => [],
    })
    const page = paginate(selected, params, 'DescribeNetworkInterfaces')
    return {networkInterfaceSet: page.items, ...(page.nextToken === undefined ? {} : {nextToken: page.nextToken})}
  }

  private loadBalancerInterface(region: string, lb: LoadBalancerRecord, subnetId: string, network: NetworkState | undefined): Wire {
    const accountId = this.model.accountId
    const subnet = network?.subnets.find((candidate) => candidate.subnetId === subnetId)
    const address = subnet === undefined ? lb.localAddress : loadBalancerNodeAddress(lb.name, subnet)
    const interfaceId = stableId('eni', accountId, region, lb.name, lb.createdTime, subnetId)
    const dnsName = privateDnsName(region, address)
    return {
      networkInterfaceId: interfaceId,
      subnetId,
      vpcId: lb.vpcId ?? subnet?.vpcId ?? '',
      availabilityZone: subnet?.availabilityZone ?? lb.availabilityZones[0] ?? '',
      description: `ELB ${lb.name}`,
      ownerId: accountId,
      requesterId: ELB_OWNER,
      requesterManaged: true,
      status: 'in-use',
      macAddress: macAddress(interfaceId),
      privateIpAddress: address,
      privateDnsName: dnsName,
      sourceDestCheck: true,
      groupSet: groupRefs(network, lb.securityGroups),
      attachment: {
        attachmentId: stableId('eni-attach', interfaceId), instanceOwnerId: ELB_OWNER, deviceIndex: 1, status: 'attached',
        attachTime: new Date(lb.createdTime), deleteOnTermination: false, networkCardIndex: 0,
      },
      privateIpAddressesSet: [{privateIpAddress: address, privateDnsName: dnsName, primary: true}],
      ipv6AddressesSet: [],
      interfaceType: 'interface',
      tagSet: [],
    }
  }
}

/** A scalar wire value as filter text. */
function text(wire: Wire | undefined, name: string): string {
  const value = wire?.[name]
  return typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean' ? String(value) : ''
}
