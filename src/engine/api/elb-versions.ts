import {loadData} from '../../common/data.js'

/**
 * The Classic ELB API versions AWS published (data/elb-api-versions.json) and the Actions each one
 * has. The engine serves every version from the same model, answering in the version's namespace;
 * an Action newer than the requested version is InvalidAction, as AWS answers.
 */

interface VersionRow {
  readonly version: string
  /** Actions this version added; `*` = every Action of the operation table (the latest version). */
  readonly adds: readonly string[] | '*'
}

interface VersionsFile {
  readonly latest: string
  readonly versions: readonly VersionRow[]
}

interface VersionTable {
  /** Latest first (the one the operation table describes), then older ones, newest to oldest. */
  readonly versions: readonly string[]
  /** The Actions of each version but the latest (which has all). */
  readonly actions: ReadonlyMap<string, ReadonlySet<string>>
}

let table: VersionTable | undefined

function versionTable(): VersionTable {
  if (table === undefined) {
    const file = loadData<VersionsFile>('elb-api-versions.json')
    const actions = new Map<string, ReadonlySet<string>>()
    const cumulative = new Set<string>()
    for (const row of file.versions) {
      if (row.adds === '*') continue
      for (const action of row.adds) cumulative.add(action)
      actions.set(row.version, new Set(cumulative))
    }
    const older = file.versions.map((row) => row.version).filter((version) => version !== file.latest).reverse()
    table = {versions: [file.latest, ...older], actions}
  }
  return table
}

/** Every ELB API version, the latest first. */
export function elbApiVersions(): readonly string[] {
  return versionTable().versions
}

/** Whether ELB API `version` had `action` (the latest version has every Action of the table). */
export function elbVersionHas(version: string, action: string): boolean {
  return versionTable().actions.get(version)?.has(action) ?? true
}
