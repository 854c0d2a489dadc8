/**
 * How CloudWatch writes numbers and times in alarm state reasons and history (pure). Its service is
 * Java: a double prints as `Double.toString` does (`1.0`, `0.5`, `1.0E7`), a reason's datapoint time
 * as `dd/MM/yy HH:mm:ss` and a reason-data or history time as `yyyy-MM-dd'T'HH:mm:ss.SSS+0000`, all
 * in UTC (captures cited in docs/decisions.md, "CloudWatch alarms: state reasons and history").
 */

/** A double as Java's `Double.toString` writes it. */
export function javaDouble(value: number): string {
  if (Number.isNaN(value)) return 'NaN'
  if (!Number.isFinite(value)) return value > 0 ? 'Infinity' : '-Infinity'
  if (value === 0) return Object.is(value, -0) ? '-0.0' : '0.0'
  const magnitude = Math.abs(value)
  if (magnitude >= 1e-3 && magnitude < 1e7) {
    const text = String(value)
    return text.includes('.') ? text : `${text}.0`
  }
  const [mantissa = '', exponent = ''] = value.toExponential().split('e')
  return `${mantissa.includes('.') ? mantissa : `${mantissa}.0`}E${exponent.startsWith('+') ? exponent.slice(1) : exponent}`
}

const two = (n: number) => String(n).padStart(2, '0')

/** `07/12/26 22:10:00`: a datapoint's time in a state reason. */
export function reasonTime(epochMs: number): string {
  const date = new Date(epochMs)
  return `${two(date.getUTCDate())}/${two(date.getUTCMonth() + 1)}/${two(date.getUTCFullYear() % 100)} ` +
    `${two(date.getUTCHours())}:${two(date.getUTCMinutes())}:${two(date.getUTCSeconds())}`
}

/** `2026-12-07T22:10:00.000+0000`: a time in StateReasonData and HistoryData. */
export function dataTime(epochMs: number): string {
  return new Date(epochMs).toISOString().replace('Z', '+0000')
}

/**
 * JSON as the Java service writes it: like JSON.stringify, but every number a double in Java's
 * form (`1.0`) except the members named in `integers` (`period`, `evaluationPeriods`, …).
 */
export function javaJson(value: unknown, integers: ReadonlySet<string> = INTEGER_MEMBERS, key = ''): string {
  if (typeof value === 'number') return integers.has(key) ? String(Math.trunc(value)) : javaDouble(value)
  if (Array.isArray(value)) return `[${value.map((item) => javaJson(item, integers, key)).join(',')}]`
  if (value !== null && typeof value === 'object') {
    const members = Object.entries(value as Record<string, unknown>).filter(([, member]) => member !== undefined)
    return `{${members.map(([name, member]) => `${JSON.stringify(name)}:${javaJson(member, integers, name)}`).join(',')}}`
  }
  return JSON.stringify(value)
}

/** Members CloudWatch writes as integers in its JSON (everything else numeric is a double). */
const INTEGER_MEMBERS: ReadonlySet<string> = new Set(['period', 'evaluationPeriods', 'datapointsToAlarm', 'stateUpdateTimestamp'])
