import {readFileSync} from 'node:fs'

/**
 * The reference data shipped in `data/` (policy types, predefined SSL policies, hosted-zone ids,
 * operation and error tables). Resolved relative to this module, which sits two levels below the
 * package root in both `src/` and `dist/`.
 */
const DATA_DIR = new URL('../../data/', import.meta.url)

const cache = new Map<string, unknown>()

// eslint-disable-next-line @typescript-eslint/no-unnecessary-type-parameters -- the caller names the file's shape
export function loadData<T>(file: string): T {
  let value = cache.get(file)
  if (value === undefined) {
    value = JSON.parse(readFileSync(new URL(file, DATA_DIR), 'utf8')) as unknown
    cache.set(file, value)
  }
  return value as T
}
