/**
 * Privileged-port mapping. The API always shows the ports the user asked for (80, 443, …); where the
 * engine lacks the privilege to bind ports below 1024, it is started with a port offset and every
 * runtime socket — load-balancer listeners, connections to instances, health probes and demo
 * backends — uses `port + offset` for those ports instead. One function so all of them agree.
 */
export const PRIVILEGED_PORT_LIMIT = 1024

export function localPort(port: number, offset: number): number {
  return port < PRIVILEGED_PORT_LIMIT && offset > 0 ? port + offset : port
}
