import {loadData} from '../../common/data.js'

/** The AWS Regions the engine answers for (data/aws-regions.json); any other name is refused. */

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

/**
 * What every API says of a region it does not have (the Query API's wording for a credential
 * scope, AWS's). A name longer than any region is cut short: the admin API takes it from a body.
 */
export function unknownRegionMessage(region: string): string {
  const shown = region.length > 64 ? `${region.slice(0, 64)}…` : region
  return `Credential should be scoped to a valid region, not '${shown}'. `
}
