import {loadData} from './data.js'

/** The AWS Regions the engine answers for and the CLI accepts (data/aws-regions.json); any other name is refused. */

interface RegionsFile {
  readonly regions: readonly string[]
}

let known: ReadonlySet<string> | undefined

export function knownRegions(): ReadonlySet<string> {
  known ??= new Set(loadData<RegionsFile>('aws-regions.json').regions)
  return known
}

export function isKnownRegion(region: string): boolean {
  return knownRegions().has(region)
}
