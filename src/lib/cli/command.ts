import type {CloudWatch} from '@aws-sdk/client-cloudwatch'
import type {ElasticLoadBalancing} from '@aws-sdk/client-elastic-load-balancing'
import type {RecordSet} from './format/records.js'
import type {CommandSyntax, ParsedCommandLine} from './spec.js'

/** The service handles a command body gets; a client is built (and its SDK loaded) on first use. */
export interface ElbCall {
  elb(): Promise<ElasticLoadBalancing>
  cloudwatch(): Promise<CloudWatch>
}

/** What a command produced, before display options are applied. */
export type CommandOutcome =
  /** Records to render; `empty` is printed instead when there are none (legacy `empty-response`). */
  | {readonly kind: 'records'; readonly sets: readonly RecordSet[]; readonly empty?: string; readonly marker?: string}
  /** A fixed text (`OK-Creating LoadBalancer Listener`), printed whatever the display options. */
  | {readonly kind: 'message'; readonly text: string}

export interface ElbCommandSpec extends CommandSyntax {
  /** One line for `elb-cmd --help` (`mon-cmd` for the `mon-*` commands). */
  readonly summary: string
  /** The API the command calls, which picks its endpoint variable (`AWS_CLOUDWATCH_URL`); ELB when absent. */
  readonly service?: 'cloudwatch'
  /** The `[Ny]` prompt shown unless `--force` is given. */
  readonly confirmation?: string
  /** The help text's name when this command is an alias (seed spellings). */
  readonly helpOf?: string
  run(args: ParsedCommandLine, call: ElbCall): Promise<CommandOutcome>
}

/** Typed accessors over a parsed command line, for command bodies. */
export function valueOf(args: ParsedCommandLine, option: string): string | undefined {
  return args.values.get(option)?.[0]
}

export function listOf(args: ParsedCommandLine, option: string): string[] | undefined {
  const values = args.values.get(option)
  return values === undefined ? undefined : [...values]
}

export function requiredSubject(args: ParsedCommandLine): string {
  return args.subject ?? ''
}

/**
 * The legacy tool sends numbers exactly as typed and lets the service judge them. Integers become
 * numbers; anything else is handed to the SDK's Query serializer untouched (it writes members
 * with `String(value)`), so the service sees the user's text, as with the legacy tool.
 */
export function wireNumber(text: string): number {
  return /^-?\d+$/.test(text) ? Number(text) : (text as unknown as number)
}

export function numberOf(args: ParsedCommandLine, option: string): number | undefined {
  const value = valueOf(args, option)
  return value === undefined ? undefined : wireNumber(value)
}
