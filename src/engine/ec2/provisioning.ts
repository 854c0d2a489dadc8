import type {NetworkState} from '../model/network-types.js'
import type {InstanceRecord} from '../model/types.js'
import {groupRefs} from './network/instance-network.js'
import {InvalidAmiIdMalformed, InvalidParameterValue} from './errors.js'
import {filterBy} from './filtering.js'
import {filters, requiredString, stringList, type QueryParams} from './params.js'
import {DEFAULT_INSTANCE_TYPE, securityGroups, type Wire} from './views.js'

/**
 * The read-only EC2 calls provisioning tools make around RunInstances (Terraform's aws_instance,
 * Ansible's ec2_instance): instance types, images, instance attributes, tags, credit
 * specifications, volumes, VPCs and subnets. The stand-ins have no EBS volumes, no VPC (the account
 * is EC2-Classic) and run any well-formed image, so the answers are small and consistent with
 * DescribeInstances.
 */

export const AMI_ID = /^ami-(?:[0-9a-f]{8}|[0-9a-f]{17})$/
const INSTANCE_TYPE = /^[a-z][a-z0-9-]*\.[a-z0-9]+$/
const ROOT_DEVICE_NAME = '/dev/sda1'

export function describeInstanceTypes(params: QueryParams): Wire {
  const names = stringList(params, 'InstanceType')
  for (const name of names) {
    if (!INSTANCE_TYPE.test(name)) throw new InvalidParameterValue(`The following supplied instance types do not exist: [${name}]`)
  }
  const types = filterBy(names.length === 0 ? [DEFAULT_INSTANCE_TYPE] : names, filters(params), {
    'instance-type': (t) => [t],
    'current-generation': () => ['true'],
  })
  return {
    instanceTypeSet: types.map((name) => {
      const burstable = /^t\d/.test(name)
      return {
        instanceType: name,
        currentGeneration: true,
        freeTierEligible: false,
        supportedUsageClasses: ['on-demand'],
        supportedRootDeviceTypes: ['ebs', 'instance-store'],
        supportedVirtualizationTypes: ['hvm', 'paravirtual'],
        bareMetal: false,
        hypervisor: 'xen',
        processorInfo: {supportedArchitectures: ['x86_64'], sustainedClockSpeedInGhz: 2.5},
        vCpuInfo: {defaultVCpus: 1, defaultCores: 1, defaultThreadsPerCore: 1},
        memoryInfo: {sizeInMiB: 1740},
        instanceStorageSupported: false,
        ebsInfo: {ebsOptimizedSupport: 'unsupported', encryptionSupport: 'supported', nvmeSupport: 'unsupported'},
        networkInfo: {networkPerformance: 'Low', maximumNetworkInterfaces: 2, ipv4AddressesPerInterface: 4, ipv6AddressesPerInterface: 0, ipv6Supported: false, enaSupport: 'unsupported'},
        placementGroupInfo: {supportedStrategies: ['partition', 'spread']},
        hibernationSupported: false,
        burstablePerformanceSupported: burstable,
        dedicatedHostsSupported: false,
        autoRecoverySupported: false,
        supportedBootModes: ['legacy-bios'],
      }
    }),
  }
}

/** Every well-formed image id names a stand-in image (the stand-ins boot nothing). */
export function describeImages(params: QueryParams, instances: readonly InstanceRecord[]): Wire {
  const ids = stringList(params, 'ImageId')
  for (const id of ids) if (!AMI_ID.test(id)) throw new InvalidAmiIdMalformed(`Invalid id: "${id}" (expecting "ami-...")`)
  const known = ids.length > 0 ? ids : [...new Set(instances.flatMap((i) => (i.imageId === undefined ? [] : [i.imageId])))]
  const images = filterBy(known, filters(params), {'image-id': (id) => [id], 'state': () => ['available']})
  return {
    imagesSet: images.map((imageId) => ({
      imageId,
      imageLocation: `elb-local/${imageId}`,
      imageState: 'available',
      imageOwnerId: '123456789012',
      creationDate: new Date(0),
      isPublic: true,
      architecture: 'x86_64',
      imageType: 'machine',
      name: `elb-local stand-in ${imageId}`,
      description: 'Any image id runs the engine\'s stand-in instance.',
      rootDeviceType: 'instance-store',
      rootDeviceName: ROOT_DEVICE_NAME,
      blockDeviceMapping: [],
      virtualizationType: 'hvm',
      hypervisor: 'xen',
      bootMode: 'legacy-bios',
    })),
  }
}

const INSTANCE_ATTRIBUTES: Readonly<Record<string, (instance: InstanceRecord, accountId: string, network?: NetworkState) => Wire | readonly Wire[]>> = {
  instanceType: (i) => ({value: i.instanceType ?? DEFAULT_INSTANCE_TYPE}),
  kernel: () => ({}),
  ramdisk: () => ({}),
  userData: () => ({}),
  disableApiTermination: () => ({value: false}),
  disableApiStop: () => ({value: false}),
  instanceInitiatedShutdownBehavior: () => ({value: 'stop'}),
  rootDeviceName: () => ({value: ROOT_DEVICE_NAME}),
  blockDeviceMapping: () => [],
  productCodes: () => [],
  sourceDestCheck: () => ({value: true}),
  groupSet: (i, accountId, network) => i.securityGroupIds === undefined
    ? securityGroups(accountId).slice(0, 1).map((g) => ({groupId: g.groupId, groupName: g.groupName}))
    : groupRefs(network, i.securityGroupIds),
  ebsOptimized: () => ({value: false}),
  sriovNetSupport: () => ({}),
  enaSupport: () => ({value: false}),
  enclaveOptions: () => ({enabled: false}),
}

export function describeInstanceAttribute(params: QueryParams, instance: InstanceRecord, accountId: string, network?: NetworkState): Wire {
  const attribute = requiredString(params, 'Attribute')
  const view = INSTANCE_ATTRIBUTES[attribute]
  if (view === undefined || !Object.hasOwn(INSTANCE_ATTRIBUTES, attribute)) {
    throw new InvalidParameterValue(`Value (${attribute}) for parameter attribute is invalid. Unknown attribute.`)
  }
  return {instanceId: instance.instanceId, [attribute]: view(instance, accountId, network)}
}

export function describeCreditSpecifications(instances: readonly InstanceRecord[]): Wire {
  return {instanceCreditSpecificationSet: instances.map((i) => ({instanceId: i.instanceId, cpuCredits: 'standard'}))}
}

/** No EBS volumes: the stand-ins run from instance store. */
export function emptySet(name: string): Wire {
  return {[name]: []}
}
