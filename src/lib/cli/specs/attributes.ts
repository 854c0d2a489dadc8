import type {LoadBalancerAttributes} from '@aws-sdk/client-elastic-load-balancing'
import {wireNumber} from '../command.js'
import {toRecordSet, type RecordSchema, type RecordSet} from '../format/records.js'
import {scalar} from '../format/nested.js'
import type {OptionMap} from '../spec.js'

/** Extension (API additions after 1.0.17.0): one record per attribute group. */
const CROSS_ZONE: RecordSchema<LoadBalancerAttributes> = {
  recordType: 'CROSS_ZONE_LOADBALANCING',
  columns: [{header: 'ENABLED', short: true, value: (a) => scalar(bool(a.CrossZoneLoadBalancing?.Enabled))}],
}
const ACCESS_LOG: RecordSchema<LoadBalancerAttributes> = {
  recordType: 'ACCESS_LOG',
  columns: [
    {header: 'ENABLED', short: true, value: (a) => scalar(bool(a.AccessLog?.Enabled))},
    {header: 'S3_BUCKET_NAME', short: true, value: (a) => scalar(a.AccessLog?.S3BucketName)},
    {header: 'EMIT_INTERVAL', short: true, value: (a) => scalar(a.AccessLog?.EmitInterval)},
    {header: 'S3_BUCKET_PREFIX', short: true, value: (a) => scalar(a.AccessLog?.S3BucketPrefix)},
  ],
}
const CONNECTION_DRAINING: RecordSchema<LoadBalancerAttributes> = {
  recordType: 'CONNECTION_DRAINING',
  columns: [
    {header: 'ENABLED', short: true, value: (a) => scalar(bool(a.ConnectionDraining?.Enabled))},
    {header: 'TIMEOUT', short: true, value: (a) => scalar(a.ConnectionDraining?.Timeout)},
  ],
}
const CONNECTION_SETTINGS: RecordSchema<LoadBalancerAttributes> = {
  recordType: 'CONNECTION_SETTINGS',
  columns: [{header: 'IDLE_TIMEOUT', short: true, value: (a) => scalar(a.ConnectionSettings?.IdleTimeout)}],
}

const bool = (value: boolean | undefined): string | undefined => (value === undefined ? undefined : String(value))

export function attributeRecordSets(attributes: LoadBalancerAttributes | undefined): RecordSet[] {
  if (attributes === undefined) return []
  const sets: RecordSet[] = []
  if (attributes.CrossZoneLoadBalancing !== undefined) sets.push(toRecordSet(CROSS_ZONE, [attributes]))
  if (attributes.AccessLog !== undefined) sets.push(toRecordSet(ACCESS_LOG, [attributes]))
  if (attributes.ConnectionDraining !== undefined) sets.push(toRecordSet(CONNECTION_DRAINING, [attributes]))
  if (attributes.ConnectionSettings !== undefined) sets.push(toRecordSet(CONNECTION_SETTINGS, [attributes]))
  return sets
}

/** `true`/`false` become booleans; other text goes to the service as typed (like numbers). */
const wireBoolean = (text: string | undefined): boolean =>
  text === 'true' ? true : text === 'false' ? false : (text as unknown as boolean)

export const ATTRIBUTE_OPTION_KEYS = {
  'cross-zone-load-balancing': {required: ['enabled'], optional: []},
  'access-log': {required: ['enabled'], optional: ['s3-bucket-name', 'emit-interval', 's3-bucket-prefix']},
  'connection-draining': {required: ['enabled'], optional: ['timeout']},
  'connection-settings': {required: ['idle-timeout'], optional: []},
} as const

/** The last map given for each attribute option, as `ModifyLoadBalancerAttributes` input. */
export function attributesFromMaps(maps: ReadonlyMap<string, readonly OptionMap[]>): LoadBalancerAttributes {
  const last = (option: string): OptionMap | undefined => maps.get(option)?.at(-1)
  const crossZone = last('cross-zone-load-balancing')
  const accessLog = last('access-log')
  const draining = last('connection-draining')
  const settings = last('connection-settings')
  const optionalNumber = (text: string | undefined) => (text === undefined ? {} : {value: wireNumber(text)})
  const interval = optionalNumber(accessLog?.['emit-interval'])
  const timeout = optionalNumber(draining?.['timeout'])
  return {
    ...(crossZone === undefined ? {} : {CrossZoneLoadBalancing: {Enabled: wireBoolean(crossZone['enabled'])}}),
    ...(accessLog === undefined
      ? {}
      : {
          AccessLog: {
            Enabled: wireBoolean(accessLog['enabled']),
            ...(accessLog['s3-bucket-name'] === undefined ? {} : {S3BucketName: accessLog['s3-bucket-name']}),
            ...('value' in interval ? {EmitInterval: interval.value} : {}),
            ...(accessLog['s3-bucket-prefix'] === undefined ? {} : {S3BucketPrefix: accessLog['s3-bucket-prefix']}),
          },
        }),
    ...(draining === undefined
      ? {}
      : {ConnectionDraining: {Enabled: wireBoolean(draining['enabled']), ...('value' in timeout ? {Timeout: timeout.value} : {})}}),
    ...(settings === undefined ? {} : {ConnectionSettings: {IdleTimeout: wireNumber(settings['idle-timeout'] ?? '')}}),
  }
}
