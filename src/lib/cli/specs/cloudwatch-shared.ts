/**
 * What the `mon-*` commands share: their option specs (CloudWatch CLI 1.0.x spellings and short
 * letters, from its help texts and the CLI reference), the readers that turn a parsed command line
 * into CloudWatch API input, the bounded NextToken loop, and the enable/disable-actions factory.
 */
import type {DescribeAlarmsForMetricCommandInput, Dimension} from '@aws-sdk/client-cloudwatch'
import {valueOf, wireNumber, type ElbCommandSpec} from '../command.js'
import {MalformedInputError} from '../errors.js'
import type {OptionSpec, ParsedCommandLine} from '../spec.js'

export const DIMENSIONS: OptionSpec = {name: 'dimensions', kind: 'map', short: 'd'}
export const NAMESPACE: OptionSpec = {name: 'namespace', kind: 'value', short: 'n'}
export const UNIT: OptionSpec = {name: 'unit', kind: 'value'}
/** `AlarmName …` as space-separated words, or `--alarm-name a b c` (describe, history). */
export const ALARM_NAMES = {kind: 'list', alias: 'alarm-name'} as const
/** The same, at least one (delete, enable and disable actions). */
export const REQUIRED_ALARM_NAMES = {...ALARM_NAMES, required: true} as const
/** `AlarmName`, also `--alarm-name` (put-metric-alarm, set-alarm-state). */
export const ALARM_NAME = {kind: 'single', alias: 'alarm-name', required: true} as const

/**
 * Every `--dimensions` map merged in the order given (`"a=1,b=2"` and `-d a=1 -d b=2` alike); a
 * name given twice keeps its last value, as the legacy map option does.
 */
export function dimensionsOf(args: ParsedCommandLine): Dimension[] | undefined {
  const maps = args.maps.get('dimensions')
  if (maps === undefined) return undefined
  const merged = new Map<string, string>()
  for (const map of maps) for (const [name, value] of Object.entries(map)) merged.set(name, value)
  return [...merged].map(([Name, Value]) => ({Name, Value}))
}

const TIMESTAMP = /^(\d{4})-(\d{2})-(\d{2})(?:T(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?)?(Z|[+-]\d{2}:?\d{2})?Z?$/

/**
 * An ISO 8601 time as the legacy tool takes it: `2013-07-30T12:30:00-07:00`, `…Z`, the CLI
 * reference's own `2009-11-25T19:00:00+00:00Z`, no zone (UTC), or a date alone (midnight UTC).
 */
export function timestampOf(args: ParsedCommandLine, option: string): Date | undefined {
  const text = valueOf(args, option)
  if (text === undefined) return undefined
  const match = TIMESTAMP.exec(text)
  const [, year, month, day, hour = '0', minute = '0', second = '0', fraction = '', zone = 'Z'] = match ?? []
  const offsetMinutes = zone === 'Z' ? 0 : (zone.startsWith('-') ? -1 : 1) * (Number(zone.slice(1, 3)) * 60 + Number(zone.slice(-2)))
  const millis = Date.UTC(Number(year), Number(month) - 1, Number(day), Number(hour), Number(minute), Number(second),
    Number(fraction.padEnd(3, '0').slice(0, 3))) - offsetMinutes * 60_000
  const date = new Date(millis)
  // Date.UTC rolls 2013-02-30 over to March: a date that does not exist is refused, not moved.
  if (match === null || Number.isNaN(millis) || Number(month) < 1 || Number(month) > 12 || Number(day) > 31 || Number(hour) > 23 ||
    Number(minute) > 59 || Number(second) > 59 || new Date(Date.UTC(Number(year), Number(month) - 1, Number(day))).getUTCDate() !== Number(day)) {
    throw new MalformedInputError(`Invalid value for --${option}: '${text}' is not an ISO 8601 time such as 2013-07-30T19:30:00Z`)
  }
  return date
}

/** The metric an alarm watches (mon-put-metric-alarm, mon-describe-alarms-for-metric): the options both take. */
export const METRIC_OPTIONS: readonly OptionSpec[] = [
  DIMENSIONS,
  {name: 'extendedstatistic', kind: 'value'},
  {name: 'metric-name', kind: 'value', required: true},
  {...NAMESPACE, required: true},
  {name: 'period', kind: 'value'},
  {name: 'statistic', kind: 'value'},
  UNIT,
]

/** The API members of METRIC_OPTIONS that were given (names and numbers as typed: the service judges them). */
export function metricOf(args: ParsedCommandLine): DescribeAlarmsForMetricCommandInput {
  const given = (member: string, value: unknown): Record<string, unknown> => (value === undefined ? {} : {[member]: value})
  const period = valueOf(args, 'period')
  return {
    MetricName: valueOf(args, 'metric-name'),
    Namespace: valueOf(args, 'namespace'),
    ...given('Dimensions', dimensionsOf(args)),
    ...given('Period', period === undefined ? undefined : wireNumber(period)),
    ...given('Statistic', valueOf(args, 'statistic')),
    ...given('ExtendedStatistic', valueOf(args, 'extendedstatistic')),
    ...given('Unit', valueOf(args, 'unit')),
  }
}


/**
 * Every page of a NextToken listing, in order (the legacy tool listed everything), bounded so an
 * endpoint that always answers a token cannot loop a command forever.
 */
export async function allPages<T>(maxPages: number, page: (token: string | undefined) => Promise<{items?: readonly T[] | undefined; next?: string | undefined}>): Promise<T[]> {
  const all: T[] = []
  let token: string | undefined
  for (let count = 0; count < maxPages; count += 1) {
    const {items, next} = await page(token)
    all.push(...(items ?? []))
    if (next === undefined || next === '') break
    token = next
  }
  return all
}

/** `mon-enable-alarm-actions` / `mon-disable-alarm-actions`: one call on the names, one OK line. */
export function alarmActionsCommand(verb: 'enable' | 'disable'): ElbCommandSpec {
  const done = verb === 'enable' ? 'Enabled' : 'Disabled'
  return {
    name: `mon-${verb}-alarm-actions`,
    summary: `${verb === 'enable' ? 'Enable' : 'Disable'} all actions for a given alarm.`,
    service: 'cloudwatch',
    positional: REQUIRED_ALARM_NAMES,
    options: [],
    async run(args, call) {
      const client = await call.cloudwatch()
      const input = {AlarmNames: [...args.names]}
      await (verb === 'enable' ? client.enableAlarmActions(input) : client.disableAlarmActions(input))
      return {kind: 'message', text: `OK-${done} alarm actions`}
    },
  }
}
