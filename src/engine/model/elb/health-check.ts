import type {HealthCheck} from '@aws-sdk/client-elastic-load-balancing'
import {ValidationError} from '../errors.js'
import type {HealthCheckRecord, Protocol} from '../types.js'
import {isOriginFormTarget} from './request-target.js'
import {isLayer7} from './listeners.js'
import {messages} from './messages.js'
import {integerInRange, required} from './validation.js'

export interface ParsedTarget {
  readonly protocol: Protocol
  readonly port: number
  /** Only for HTTP/HTTPS: the ping path, starting with `/` (may carry a query string). */
  readonly path?: string
}

const MAX_TARGET_LENGTH = 1024

/**
 * Parses a health-check target: `TCP:port`, `SSL:port`, `HTTP:port/path` or `HTTPS:port/path`.
 * The protocol is case-insensitive (the seed uses `http:8080/ping`); the target is stored verbatim.
 */
export function parseHealthCheckTarget(target: string): ParsedTarget {
  if (target.length > MAX_TARGET_LENGTH) throw new ValidationError(messages.targetTooLong)
  const match = /^([A-Za-z]+):([^/]*)(\/.*)?$/s.exec(target)
  const protocol = match?.[1]?.toUpperCase()
  if (match === null || (protocol !== 'TCP' && protocol !== 'SSL' && protocol !== 'HTTP' && protocol !== 'HTTPS')) {
    throw new ValidationError(messages.targetProtocol)
  }
  const portText = match[2] ?? ''
  if (portText === '') throw new ValidationError(messages.targetNeedsPort)
  if (!/^\d+$/.test(portText)) throw new ValidationError(messages.targetPortRange(portText))
  const port = Number(portText)
  if (port < 1 || port > 65535) throw new ValidationError(messages.targetPortRange(portText))
  const path = match[3]
  if (isLayer7(protocol)) {
    if (path === undefined) throw new ValidationError(messages.targetNeedsPath(protocol))
    // The ping path becomes the probe's request line: no space, CR, LF or other control byte.
    if (!isOriginFormTarget(path)) throw new ValidationError(messages.targetPathCharacters)
    return {protocol, port, path}
  }
  if (path !== undefined) throw new ValidationError(messages.targetNoPath(protocol))
  return {protocol, port}
}

/** The parsed target, or undefined for text the API would have refused (the checker then fails it). */
export function healthCheckTarget(target: string): ParsedTarget | undefined {
  try {
    return parseHealthCheckTarget(target)
  } catch {
    return undefined
  }
}

/** ConfigureHealthCheck's rules: the target grammar, the model ranges, and Timeout < Interval. */
export function validateHealthCheck(input: HealthCheck): HealthCheckRecord {
  const target = required(input.Target, 'healthCheck.target')
  parseHealthCheckTarget(target)
  const interval = integerInRange(input.Interval, 'healthCheck.interval', 5, 300)
  const timeout = integerInRange(input.Timeout, 'healthCheck.timeout', 2, 60)
  const unhealthyThreshold = integerInRange(input.UnhealthyThreshold, 'healthCheck.unhealthyThreshold', 2, 10)
  const healthyThreshold = integerInRange(input.HealthyThreshold, 'healthCheck.healthyThreshold', 2, 10)
  if (timeout >= interval) throw new ValidationError(messages.intervalNotGreaterThanTimeout)
  return {target, interval, timeout, unhealthyThreshold, healthyThreshold}
}

/** What a new load balancer gets: `TCP:<InstancePort of its first listener>`, 30/5/2/10. */
export function defaultHealthCheck(firstInstancePort: number): HealthCheckRecord {
  return {target: `TCP:${firstInstancePort}`, interval: 30, timeout: 5, unhealthyThreshold: 2, healthyThreshold: 10}
}

/** The wire shape, in the element order of AWS's captured LoadBalancerDescription (elb-api.md §2.1). */
export function healthCheckOutput(record: HealthCheckRecord): HealthCheck {
  return {
    Interval: record.interval,
    Target: record.target,
    HealthyThreshold: record.healthyThreshold,
    Timeout: record.timeout,
    UnhealthyThreshold: record.unhealthyThreshold,
  }
}
