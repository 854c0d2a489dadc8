import {createHash, randomBytes} from 'node:crypto'

/**
 * Resource ids as EC2 makes them today: a prefix and 17 hexadecimal digits (`vpc-0a1b…`). Created
 * resources get random ones; the default VPC's records get ids derived from the account and the
 * Region, so a Region read before its first write shows the ids it will keep.
 */
export type IdSource = (prefix: string) => string

export const randomIds: IdSource = (prefix) => `${prefix}-${randomBytes(9).toString('hex').slice(0, 17)}`

/** Ids that follow from `seed` alone: the n-th id of each prefix is always the same. */
export function stableIds(...seed: string[]): IdSource {
  const counts = new Map<string, number>()
  return (prefix) => {
    const n = counts.get(prefix) ?? 0
    counts.set(prefix, n + 1)
    return `${prefix}-${createHash('sha256').update([...seed, prefix, String(n)].join('/')).digest('hex').slice(0, 17)}`
  }
}

/** `prefix-` and 8 or 17 hexadecimal digits: what EC2 accepts as an id of that kind. */
export function isResourceId(prefix: string, id: string): boolean {
  if (!id.startsWith(`${prefix}-`)) return false
  const digits = id.slice(prefix.length + 1)
  return (digits.length === 8 || digits.length === 17) && /^[0-9a-f]+$/.test(digits)
}
