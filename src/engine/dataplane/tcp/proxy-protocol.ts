import {isIPv6} from 'node:net'

/**
 * Proxy protocol version 1 header (Classic ELB sends v1 only): one text line before the first
 * payload byte, e.g. `PROXY TCP4 198.51.100.22 203.0.113.7 35646 80\r\n`. PROXY_IP is the LB node
 * address the client connected to and PROXY_PORT the listener's LoadBalancerPort.
 */
export function proxyProtocolV1Header(clientIp: string, clientPort: number, proxyIp: string, proxyPort: number): string {
  const family = isIPv6(clientIp) || isIPv6(proxyIp) ? 'TCP6' : 'TCP4'
  return `PROXY ${family} ${clientIp} ${proxyIp} ${clientPort} ${proxyPort}\r\n`
}
