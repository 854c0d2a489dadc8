import type {PlacementRequest} from '../../model/network/placement.js'
import {InvalidParameterCombination} from '../errors.js'
import {optionalString, stringList, structureList, type QueryParams} from '../params.js'

/**
 * Where RunInstances puts an instance, as clients send it: `SubnetId` + `SecurityGroupId.N`
 * (Terraform's aws_instance with subnet_id and vpc_security_group_ids), `SecurityGroup.N` (names),
 * or the primary `NetworkInterface.N` with `DeviceIndex` 0 (Ansible's ec2_instance, Terraform with
 * associate_public_ip_address). `PrivateIpAddress` inside 127.0.0.0/8 chooses the loopback address
 * that carries the instance's traffic (the engine's own use); any other is its address in the subnet.
 */
export interface LaunchPlacement {
  readonly placement: PlacementRequest
  /** The loopback address asked for (127.x.y.z), as before VPCs. */
  readonly loopbackIp?: string
}

export function launchPlacement(params: QueryParams): LaunchPlacement {
  const interfaces = structureList(params, 'NetworkInterface')
  const primary = interfaces.find((row) => (row.get('DeviceIndex') ?? '0') === '0')
  if (interfaces.length > 1) throw new InvalidParameterCombination('The engine models one network interface per instance (DeviceIndex 0).')
  const subnetId = optionalString(params, 'SubnetId')
  const groupIds = stringList(params, 'SecurityGroupId')
  if (primary !== undefined && (subnetId !== undefined || groupIds.length > 0)) {
    throw new InvalidParameterCombination('Network interfaces and an instance-level security groups may not be specified on the same request')
  }
  const privateIp = optionalString(params, 'PrivateIpAddress') ?? primary?.get('PrivateIpAddress')
  const loopback = privateIp?.startsWith('127.') === true
  const chosenSubnet = subnetId ?? primary?.get('SubnetId')
  const chosenGroups = primary === undefined ? groupIds : stringList(primary, 'SecurityGroupId')
  const names = stringList(params, 'SecurityGroup')
  return {
    placement: {
      ...(chosenSubnet === undefined || chosenSubnet === '' ? {} : {subnetId: chosenSubnet}),
      ...(chosenGroups.length === 0 ? {} : {securityGroupIds: chosenGroups}),
      ...(names.length === 0 ? {} : {securityGroupNames: names}),
      ...(privateIp === undefined || loopback ? {} : {requestedIp: privateIp}),
    },
    ...(privateIp !== undefined && loopback ? {loopbackIp: privateIp} : {}),
  }
}
