/**
 * `import.meta.url` inside the one-file CommonJS bundle of the start-up snapshot. `build.ts`
 * rewrites each module's `import.meta.url` into `bundledModuleUrl('<its path under dist/>')`, so
 * paths resolve against the package the command runs from, never the machine that built it.
 */
import {pathToFileURL} from 'node:url'

let packageRoot: string | undefined

/** Set by the snapshot's main function from the script path the shim passes. */
export function setBundledPackageRoot(directory: string): void {
  packageRoot = directory
}

export function bundledModuleUrl(distPath: string): string {
  // Reached at build time only if a module resolved a path while loading: that would be baked in.
  if (packageRoot === undefined) throw new Error(`package root unknown while resolving ${distPath}`)
  return new URL(distPath, pathToFileURL(`${packageRoot}/`)).href
}
