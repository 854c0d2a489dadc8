import type {LoadBalancerAttributes} from '@aws-sdk/client-elastic-load-balancing'
import {InvalidConfigurationRequest, LoadBalancerAttributeNotFound, ValidationError} from '../errors.js'
import type {Draft} from '../store.js'
import type {LoadBalancerAttributesRecord} from '../types.js'
import {messages} from './messages.js'
import {integerInRange, required} from './validation.js'

export const DESYNC_MITIGATION_MODE = 'elb.http.desyncmitigationmode'
const DESYNC_MODES = ['monitor', 'defensive', 'strictest']
const DEFAULT_EMIT_INTERVAL = 60

/** Defaults of a load balancer created through the API (cross-zone off; elb-api.md §2.2). */
export function defaultAttributes(): LoadBalancerAttributesRecord {
  return {
    crossZoneLoadBalancing: false,
    accessLog: {enabled: false},
    connectionDraining: {enabled: false, timeout: 300},
    idleTimeout: 60,
    additional: [{key: DESYNC_MITIGATION_MODE, value: 'defensive'}],
  }
}

/**
 * Validates a ModifyLoadBalancerAttributes request and returns the updated record. Only the
 * structures present are changed.
 */
export function modifyAttributes(
  current: LoadBalancerAttributesRecord,
  input: LoadBalancerAttributes,
): LoadBalancerAttributesRecord {
  const next: Draft<LoadBalancerAttributesRecord> = structuredClone(current) as Draft<LoadBalancerAttributesRecord>
  if (input.CrossZoneLoadBalancing !== undefined) {
    next.crossZoneLoadBalancing = required(input.CrossZoneLoadBalancing.Enabled, 'loadBalancerAttributes.crossZoneLoadBalancing.enabled')
  }
  if (input.AccessLog !== undefined) {
    const enabled = required(input.AccessLog.Enabled, 'loadBalancerAttributes.accessLog.enabled')
    const {S3BucketName: bucket, EmitInterval: interval, S3BucketPrefix: prefix} = input.AccessLog
    if (interval !== undefined && interval !== 5 && interval !== 60) {
      throw new InvalidConfigurationRequest(messages.accessLogInterval(interval))
    }
    if (enabled && (bucket === undefined || bucket === '')) throw new InvalidConfigurationRequest(messages.accessLogNeedsBucket)
    if (bucket !== undefined && bucket !== '' && !isValidBucketName(bucket)) {
      throw new InvalidConfigurationRequest(messages.accessLogBucketInvalid(bucket))
    }
    if (prefix !== undefined && !/^[A-Za-z0-9._/-]*$/.test(prefix)) throw new ValidationError(messages.accessLogPrefixCharacters)
    if (prefix !== undefined && !isSafePrefix(prefix)) throw new InvalidConfigurationRequest(messages.accessLogPrefixSegments(prefix))
    next.accessLog = {
      enabled,
      ...(bucket === undefined || bucket === '' ? {} : {s3BucketName: bucket}),
      ...(enabled || interval !== undefined ? {emitInterval: interval ?? DEFAULT_EMIT_INTERVAL} : {}),
      ...(prefix === undefined || prefix === '' ? {} : {s3BucketPrefix: prefix}),
    }
  }
  if (input.ConnectionDraining !== undefined) {
    const enabled = required(input.ConnectionDraining.Enabled, 'loadBalancerAttributes.connectionDraining.enabled')
    const timeout = input.ConnectionDraining.Timeout ?? current.connectionDraining.timeout
    if (!Number.isInteger(timeout) || timeout < 1 || timeout > 3600) {
      throw new InvalidConfigurationRequest(messages.drainingTimeoutRange(timeout))
    }
    next.connectionDraining = {enabled, timeout}
  }
  if (input.ConnectionSettings !== undefined) {
    next.idleTimeout = integerInRange(input.ConnectionSettings.IdleTimeout, 'loadBalancerAttributes.connectionSettings.idleTimeout', 1, 3600)
  }
  for (const attribute of input.AdditionalAttributes ?? []) {
    const key = attribute.Key ?? ''
    const value = attribute.Value ?? ''
    if (key !== DESYNC_MITIGATION_MODE) throw new LoadBalancerAttributeNotFound(messages.attributeNotFound(key))
    if (!DESYNC_MODES.includes(value)) throw new InvalidConfigurationRequest(messages.desyncModeInvalid(value))
    const existing = next.additional.find((a) => a.key === key)
    if (existing === undefined) next.additional.push({key, value})
    else existing.value = value
  }
  return next
}

/**
 * Amazon S3's bucket naming rules: 3-63 characters of lower-case letters, digits, dots and hyphens,
 * starting and ending with a letter or digit, no two adjacent dots, not an IP address, none of S3's
 * reserved prefixes and suffixes. (So a name can never be `..` or hold a `/`: the engine writes logs
 * under `<home>/access-logs/<bucket>/`.)
 */
export function isValidBucketName(name: string): boolean {
  return /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/.test(name) &&
    !name.includes('..') &&
    !/^\d+\.\d+\.\d+\.\d+$/.test(name) &&
    !/^(xn--|sthree-|amzn-s3-demo-)/.test(name) &&
    !/(-s3alias|--ol-s3|\.mrap|--x-s3)$/.test(name)
}

/** A key prefix that stays a plain sub-path: no leading slash, no empty, `.` or `..` segments. */
export function isSafePrefix(prefix: string): boolean {
  if (prefix === '') return true
  const segments = prefix.replace(/\/+$/, '').split('/')
  return !prefix.startsWith('/') && segments.every((segment) => segment !== '' && segment !== '.' && segment !== '..')
}

/** All five structures, as DescribeLoadBalancerAttributes returns them (model member order). */
export function attributesOutput(record: LoadBalancerAttributesRecord): LoadBalancerAttributes {
  return {
    CrossZoneLoadBalancing: {Enabled: record.crossZoneLoadBalancing},
    AccessLog: accessLogOutput(record),
    ConnectionDraining: {Enabled: record.connectionDraining.enabled, Timeout: record.connectionDraining.timeout},
    ConnectionSettings: {IdleTimeout: record.idleTimeout},
    AdditionalAttributes: record.additional.map((a) => ({Key: a.key, Value: a.value})),
  }
}

/** ModifyLoadBalancerAttributes echoes only the structures the request set, with their new values. */
export function modifiedAttributesOutput(record: LoadBalancerAttributesRecord, input: LoadBalancerAttributes): LoadBalancerAttributes {
  const all = attributesOutput(record)
  const keys = new Set(input.AdditionalAttributes?.map((a) => a.Key))
  return {
    ...(input.CrossZoneLoadBalancing === undefined ? {} : {CrossZoneLoadBalancing: all.CrossZoneLoadBalancing}),
    ...(input.AccessLog === undefined ? {} : {AccessLog: all.AccessLog}),
    ...(input.ConnectionDraining === undefined ? {} : {ConnectionDraining: all.ConnectionDraining}),
    ...(input.ConnectionSettings === undefined ? {} : {ConnectionSettings: all.ConnectionSettings}),
    ...(input.AdditionalAttributes === undefined
      ? {}
      : {AdditionalAttributes: (all.AdditionalAttributes ?? []).filter((a) => keys.has(a.Key))}),
  }
}

function accessLogOutput(record: LoadBalancerAttributesRecord): NonNullable<LoadBalancerAttributes['AccessLog']> {
  const log = record.accessLog
  return {
    Enabled: log.enabled,
    ...(log.s3BucketName === undefined ? {} : {S3BucketName: log.s3BucketName}),
    ...(log.emitInterval === undefined ? {} : {EmitInterval: log.emitInterval}),
    ...(log.s3BucketPrefix === undefined ? {} : {S3BucketPrefix: log.s3BucketPrefix}),
  }
}
