/** The Region list lives in src/common/ (the CLI checks names before signing with the same list). */
export {isKnownRegion, knownRegions} from '../../common/regions.js'

/**
 * What every API says of a region it does not have (the Query API's wording for a credential
 * scope, AWS's). A name longer than any region is cut short: the admin API takes it from a body.
 */
export function unknownRegionMessage(region: string): string {
  const shown = region.length > 64 ? `${region.slice(0, 64)}…` : region
  return `Credential should be scoped to a valid region, not '${shown}'. `
}
