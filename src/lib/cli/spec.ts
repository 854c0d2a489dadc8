/**
 * Declarative description of a legacy command: its options as data (the legacy tool kept them in
 * `config/*.xml`), so one pure parser serves every command.
 */

/** How an option's value is read. */
export type OptionKind =
  | 'flag' // no value (`--force`, `--headers`)
  | 'value' // one value; the first occurrence wins (legacy behaviour)
  | 'list' // comma-separated, empty elements dropped, no trimming, repeats accumulate
  | 'raw-list' // repeats accumulate, no comma splitting (`--lbs`, `--policy-types`)
  | 'map' // `key=value, key=value` maps, a space not after a comma starts a new map

export interface OptionSpec {
  /** Long name without dashes, e.g. `listener`. */
  readonly name: string
  readonly kind: OptionKind
  /** Single-letter short form, e.g. `l` for `-l`. */
  readonly short?: string
  readonly required?: boolean
  /** The value may be omitted (`--policy-names` alone clears the policies). */
  readonly optionalValue?: boolean
  /** Other long spellings accepted for this option (seed/tutorial spellings). */
  readonly aliases?: readonly string[]
  /** For `map` options: the keys that must / may appear in every map, in the legacy order. */
  readonly mapKeys?: {readonly required: readonly string[]; readonly optional: readonly string[]}
}

/** What the positional arguments mean. */
export type PositionalSpec =
  | {readonly kind: 'none'}
  /** `LoadBalancerName`, also settable with `--lb`; extra positionals are ignored. */
  | {readonly kind: 'single'; readonly alias: string; readonly required: boolean}
  /** Space-separated names (`elb-describe-lbs a b`), also settable with a non-splitting option. */
  | {readonly kind: 'list'; readonly alias: string; readonly required?: boolean}

export interface CommandSyntax {
  readonly name: string
  readonly positional: PositionalSpec
  readonly options: readonly OptionSpec[]
}

/** A parsed map option value, e.g. one `--listener`. */
export type OptionMap = Readonly<Record<string, string>>

export interface ParsedCommandLine {
  /** The positional load balancer name (or `--lb`), when the command has one. */
  readonly subject: string | undefined
  /** Names of a list-positional command, `--lbs` values first when given. */
  readonly names: readonly string[]
  readonly values: ReadonlyMap<string, readonly string[]>
  readonly maps: ReadonlyMap<string, readonly OptionMap[]>
  readonly flags: ReadonlySet<string>
}
