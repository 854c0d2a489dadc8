/**
 * `elb-cmd` and `mon-cmd`: the legacy dispatchers (`elb-cmd elb-describe-lbs …`, `elb-cmd version`,
 * and the command list for `elb-cmd`, `elb-cmd --help`, `elb-cmd help`; `mon-cmd` alike).
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

const DESCRIPTION_WIDTH = 55

/**
 * Long text keeps its first and last characters around `...` (legacy): 26 and 26 of a 55-wide
 * description, 18 and 19 of a 40-wide CloudWatch action ARN.
 */
export function elide(description: string, width: number = DESCRIPTION_WIDTH): string {
  if (description.length <= width) return description
  const head = Math.floor((width - 3) / 2)
  return `${description.slice(0, head)}...${description.slice(description.length - (width - 3 - head))}`
}

/** The table both dispatchers print: names padded to `nameWidth`, then each description. */
function renderListing(rows: readonly (readonly [string, string])[], nameWidth: number, footer: string, describe: (text: string) => string): string {
  const row = (name: string, description: string): string =>
    description === '' ? name.padEnd(nameWidth) : `${name.padEnd(nameWidth)}${describe(description).padEnd(DESCRIPTION_WIDTH)}`
  const lines = [row('Command Name', 'Description'), row('------------', '-----------'), ...rows.map(([name, description]) => row(name, description)), '', footer]
  return `${lines.join('\n')}\n`
}

export function renderCommandListing(specs: readonly ElbCommandSpec[]): string {
  return renderListing(listing(specs), 40, "    For help on a specific command, type '<commandname> --help'", elide)
}

/**
 * `mon-cmd`: the CloudWatch CLI's listing as its reference page prints it — `help` first, its own
 * `mon-version` entry, 35-wide names, descriptions whole, the footer unindented.
 */
export function renderMonCommandListing(specs: readonly ElbCommandSpec[], versionName: string): string {
  const rows: (readonly [string, string])[] = [
    ['help', ''],
    ...[...specs.map((spec) => [spec.name, spec.summary] as const), [versionName, 'Prints the version of the CLI tool and API.'] as const]
      .sort(([a], [b]) => (a < b ? -1 : 1)),
  ]
  return renderListing(rows, 35, "For help on a specific command, type '<commandname> --help'", (text) => text)
}
