/** Small readers for AWS Query XML answers (direct children only: `member` nests). */

export function child(parent: Element | null | undefined, name: string): Element | null {
  if (parent === null || parent === undefined) return null
  for (const element of Array.from(parent.children)) if (element.localName === name) return element
  return null
}

/** Follows a `A/B/C` path of direct children. */
export function at(parent: Element | null | undefined, path: string): Element | null {
  let current: Element | null = parent ?? null
  for (const name of path.split('/')) current = child(current, name)
  return current
}

export function text(parent: Element | null | undefined, path: string): string {
  return at(parent, path)?.textContent ?? ''
}

/** The `member` elements of the list at `path`. */
export function children(parent: Element | null | undefined, path: string): Element[] {
  const list = at(parent, path)
  return list === null ? [] : Array.from(list.children).filter((element) => element.localName === 'member')
}

/** The `item` elements of an EC2 list at `path` (EC2's Query answers use `item`, not `member`). */
export function items(parent: Element | null | undefined, path: string): Element[] {
  const list = at(parent, path)
  return list === null ? [] : Array.from(list.children).filter((element) => element.localName === 'item')
}
