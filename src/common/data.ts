import {readFileSync} from 'node:fs'

/**
 * The reference data shipped in `data/` (policy types, predefined SSL policies, hosted-zone ids,
 * operation and error tables). Resolved relative to this module, which sits two levels below the
 * package root in both `src/` and `dist/`.
 */
let dataDir: URL | undefined
// Computed on first use, not at load: the CLI's start-up snapshot loads this module while it is
// built, where no package path is known yet (src/lib/bundle/module-url.ts).
const dataDirectory = (): URL => (dataDir ??= new URL('../../data/', import.meta.url))

const cache = new Map<string, unknown>()

// eslint-disable-next-line @typescript-eslint/no-unnecessary-type-parameters -- the caller names the file's shape
export function loadData<T>(file: string): T {
  let value = cache.get(file)
  if (value === undefined) {
    value = JSON.parse(readFileSync(new URL(file, dataDirectory()), 'utf8')) as unknown
    cache.set(file, value)
  }
  return value as T
}
