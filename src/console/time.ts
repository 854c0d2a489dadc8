/**
 * Every time the console shows is in UTC and says so: the API's timestamps are UTC, and the charts
 * and the lists must read the same whatever the browser's own zone is.
 */

function pad(value: number): string {
  return String(value).padStart(2, '0')
}

/** `2026-12-07 19:52:41 UTC` from an API timestamp (ISO 8601); a value that is not one, as given. */
export function utcDateTime(iso: string): string {
  const date = new Date(iso)
  if (iso === '' || Number.isNaN(date.getTime())) return iso
  return `${date.getUTCFullYear()}-${pad(date.getUTCMonth() + 1)}-${pad(date.getUTCDate())} ${utcClockOf(date)} UTC`
}

function utcClockOf(date: Date): string {
  return `${pad(date.getUTCHours())}:${pad(date.getUTCMinutes())}:${pad(date.getUTCSeconds())}`
}

/** `19:52:41 UTC` from Unix seconds (the metrics' timestamps). */
export function utcClock(seconds: number): string {
  return `${utcClockOf(new Date(seconds * 1000))} UTC`
}

/** A chart tick in UTC: `20:04`, or `20:04:30` between whole minutes (the zone is in the axis label). */
export function utcTick(seconds: number): string {
  const clock = utcClockOf(new Date(seconds * 1000))
  return clock.endsWith(':00') ? clock.slice(0, 5) : clock
}
