/**
 * Privileged-port mapping. The API always shows the ports the user asked for (80, 443, …); where the
 * engine lacks the privilege to bind ports below 1024, it is started with a port offset and every
 * runtime socket — load-balancer listeners, connections to instances, health probes and demo
 * backends — uses `port + offset` for those ports instead. One function so all of them agree.
 */
export const PRIVILEGED_PORT_LIMIT = 1024

/** The one port offset every message suggests: 80 → 8080, 443 → 8443. */
export const SUGGESTED_PORT_OFFSET = 8000

/** What to do about a port below 1024 this process may not bind (the same words everywhere). */
export function privilegedPortAdvice(port: number): string {
  return `ports below 1024 need root or CAP_NET_BIND_SERVICE: restart the engine with ` +
    `\`elb-local start --port-offset ${SUGGESTED_PORT_OFFSET}\` to serve port ${port} on ${port + SUGGESTED_PORT_OFFSET} instead`
}

export function localPort(port: number, offset: number): number {
  return port < PRIVILEGED_PORT_LIMIT && offset > 0 ? port + offset : port
}
