/** Whether this process may bind ports below 1024, so the missing privilege is never silent. */
import {readFileSync} from 'node:fs'
import {PRIVILEGED_PORT_LIMIT, SUGGESTED_PORT_OFFSET} from '../ports.js'

/** The lowest port an unprivileged process may bind (Linux sysctl; 1024 elsewhere). */
function unprivilegedPortStart(): number {
  try {
    return Number(readFileSync('/proc/sys/net/ipv4/ip_unprivileged_port_start', 'utf8').trim())
  } catch {
    return PRIVILEGED_PORT_LIMIT
  }
}

export function canBindPrivilegedPorts(): boolean {
  return process.getuid?.() === 0 || unprivilegedPortStart() === 0
}

/** A warning to show when listeners/backends on ports < 1024 will fail, else undefined. */
export function privilegedPortWarning(portOffset: number): string | undefined {
  if (portOffset > 0 || canBindPrivilegedPorts()) return undefined
  return 'this process cannot bind ports below 1024: load balancer listeners and demo backends on such ports ' +
    `will report errors (see \`elb-local status\`). Restart with \`elb-local start --port-offset ${SUGGESTED_PORT_OFFSET}\` to use port+${SUGGESTED_PORT_OFFSET} for them.`
}
