/**
 * `elb-cmd`: the legacy dispatcher (`elb-cmd elb-describe-lbs …`, `elb-cmd version`, and the
 * command list for `elb-cmd`, `elb-cmd --help`, `elb-cmd help`).
 */
import type {ElbCommandSpec} from './command.js'

/**
 * The listing, in the legacy order (by name) and wording (1.0.17.0: each spec's summary is the
 * jar's description), without the Route 53 commands we do not ship, plus our later-API commands.
 * Aliases (`helpOf`) are not listed, as the jar listed none.
 */
function listing(specs: readonly ElbCommandSpec[]): (readonly [string, string])[] {
  return [
    ...specs.filter((spec) => spec.helpOf === undefined).map((spec) => [spec.name, spec.summary] as const)
      .sort(([a], [b]) => (a < b ? -1 : 1)),
    ['help', ''],
    ['version', 'Prints the version of the CLI tool and the API.'],
  ]
}

const NAME_WIDTH = 40
const DESCRIPTION_WIDTH = 55

/** Long descriptions keep their first and last 26 characters around `...` (legacy). */
export function elide(description: string, width: number = DESCRIPTION_WIDTH): string {
  if (description.length <= width) return description
  const side = Math.floor((width - 3) / 2)
  return `${description.slice(0, side)}...${description.slice(description.length - side)}`
}

export function renderCommandListing(specs: readonly ElbCommandSpec[]): string {
  const row = (name: string, description: string): string =>
    description === '' ? name.padEnd(NAME_WIDTH) : `${name.padEnd(NAME_WIDTH)}${elide(description).padEnd(DESCRIPTION_WIDTH)}`
  const lines = [
    row('Command Name', 'Description'),
    row('------------', '-----------'),
    ...listing(specs).map(([name, description]) => row(name, description)),
    '',
    "    For help on a specific command, type '<commandname> --help'",
  ]
  return `${lines.join('\n')}\n`
}
