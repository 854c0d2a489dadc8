import {loadData} from '../../../common/data.js'

/**
 * The public Availability Zones of each Region (data/aws-zones.json): what ELB accepts in
 * AvailabilityZones, what EC2 lists and launches in, where the default VPC has its default
 * subnets. A Region the file does not name has no zones (and is refused before it gets here).
 */

interface ZonesFile {
  readonly zones: Readonly<Record<string, Readonly<Record<string, string>>>>
}

function zoneTable(region: string): Readonly<Record<string, string>> {
  const all = loadData<ZonesFile>('aws-zones.json').zones
  return Object.hasOwn(all, region) ? all[region] ?? {} : {}
}

/** The Region's zone names, in letter order. */
export function regionZones(region: string): readonly string[] {
  return Object.keys(zoneTable(region))
}

export function isZoneOf(region: string, zone: string): boolean {
  return Object.hasOwn(zoneTable(region), zone)
}

/** The zone's id (`use1-az1`); undefined for a zone the Region does not have. */
export function zoneIdOf(region: string, zone: string): string | undefined {
  const table = zoneTable(region)
  return Object.hasOwn(table, zone) ? table[zone] : undefined
}
