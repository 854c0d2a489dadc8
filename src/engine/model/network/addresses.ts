/**
 * IPv4 arithmetic for the VPC model: CIDR blocks, membership, and the private addresses the API
 * shows for load-balancer nodes. Traffic still flows over loopback; these are the addresses security
 * groups and network ACLs are evaluated on (see docs/decisions.md, "Addresses in a VPC").
 */

export interface Ipv4Cidr {
  /** The network address as an unsigned 32-bit number. */
  readonly base: number
  readonly prefix: number
}

const DOTTED_QUAD = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/

/** `a.b.c.d` as an unsigned 32-bit number, or undefined when it is not one (no leading zeros). */
export function parseIpv4(text: string): number | undefined {
  const match = DOTTED_QUAD.exec(text)
  if (match === null) return undefined
  let value = 0
  for (let index = 1; index <= 4; index++) {
    const part = match[index] as string
    if (part.length > 1 && part.startsWith('0')) return undefined
    const octet = Number(part)
    if (octet > 255) return undefined
    value = value * 256 + octet
  }
  return value
}

export function formatIpv4(value: number): string {
  return [value >>> 24, (value >>> 16) & 255, (value >>> 8) & 255, value & 255].join('.')
}

/** `a.b.c.d/n`; undefined unless well formed. `strict` also refuses host bits set (as CreateSubnet does). */
export function parseCidr(text: string, strict = false): Ipv4Cidr | undefined {
  const slash = text.indexOf('/')
  if (slash < 0 || slash !== text.lastIndexOf('/')) return undefined
  const address = parseIpv4(text.slice(0, slash))
  const prefixText = text.slice(slash + 1)
  if (address === undefined || !/^\d{1,2}$/.test(prefixText)) return undefined
  const prefix = Number(prefixText)
  if (prefix > 32) return undefined
  const base = (address & maskOf(prefix)) >>> 0
  if (strict && base !== address) return undefined
  return {base, prefix}
}

export function formatCidr(cidr: Ipv4Cidr): string {
  return `${formatIpv4(cidr.base)}/${cidr.prefix}`
}

export function cidrContains(cidr: Ipv4Cidr, address: number): boolean {
  return ((address & maskOf(cidr.prefix)) >>> 0) === cidr.base
}

/** Whether `inner` lies wholly inside `outer`. */
export function cidrWithin(inner: Ipv4Cidr, outer: Ipv4Cidr): boolean {
  return inner.prefix >= outer.prefix && cidrContains(outer, inner.base)
}

export function cidrsOverlap(a: Ipv4Cidr, b: Ipv4Cidr): boolean {
  return cidrWithin(a, b) || cidrWithin(b, a)
}

export function cidrSize(cidr: Ipv4Cidr): number {
  return 2 ** (32 - cidr.prefix)
}

/**
 * A stable address for `key` (a load balancer's name, an instance id) inside `cidr`, avoiding the
 * five addresses AWS reserves in every subnet (the first four and the last). The same key in the
 * same subnet always gets the same address; `taken` moves it to the next free one.
 */
export function stableAddressIn(cidr: Ipv4Cidr, key: string, taken: ReadonlySet<string> = new Set()): string | undefined {
  const usable = cidrSize(cidr) - 5
  if (usable <= 0) return undefined
  let offset = fnv1a(key) % usable
  for (let tries = 0; tries < usable; tries++) {
    const address = formatIpv4(cidr.base + 4 + offset)
    if (!taken.has(address)) return address
    offset = (offset + 1) % usable
  }
  return undefined
}

function maskOf(prefix: number): number {
  return prefix === 0 ? 0 : (0xffffffff << (32 - prefix)) >>> 0
}

function fnv1a(text: string): number {
  let hash = 0x811c9dc5
  for (let index = 0; index < text.length; index++) {
    hash ^= text.charCodeAt(index)
    hash = Math.imul(hash, 0x01000193) >>> 0
  }
  return hash
}
