/** Parses a health-check Target (`HTTP:8080/ping`, `TCP:5000`) into what a probe needs. */
import type {ProbeTarget} from './types.js'

export interface ParsedTarget {
  readonly protocol: ProbeTarget['protocol']
  readonly port: number
  readonly path?: string
}

const TARGET = /^(TCP|SSL|HTTP|HTTPS):(\d{1,5})(\/.*)?$/i

/** Undefined for a target the API would have rejected (the checker then reports it unhealthy). */
export function parseHealthTarget(target: string): ParsedTarget | undefined {
  const match = TARGET.exec(target)
  if (match === null) return undefined
  const protocol = (match[1] ?? '').toUpperCase() as ParsedTarget['protocol']
  const port = Number(match[2])
  if (port < 1 || port > 65535) return undefined
  const path = match[3]
  if (protocol === 'HTTP' || protocol === 'HTTPS') {
    return path === undefined ? undefined : {protocol, port, path}
  }
  return path === undefined ? {protocol, port} : undefined
}
