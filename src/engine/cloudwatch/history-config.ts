/**
 * How long the AWS/ELB one-minute history is kept and how much memory it may take, from the
 * environment: `ELB_LOCAL_CLOUDWATCH_HISTORY_DAYS` (1 to 15, default 15: AWS keeps one-minute data
 * 15 days) or `ELB_LOCAL_CLOUDWATCH_HISTORY_HOURS` (1 to 360; it wins when both are set), and
 * `ELB_LOCAL_CLOUDWATCH_MEMORY_MB` (16 to 65,536, default 256). A value out of range is ignored.
 */

/** AWS keeps one-minute data 15 days: more is never useful. */
export const MAX_HISTORY_MINUTES = 15 * 24 * 60
export const DEFAULT_HISTORY_MINUTES = MAX_HISTORY_MINUTES
export const DEFAULT_MEMORY_BOUND_BYTES = 256 * 1024 * 1024

function integerIn(raw: string | undefined, min: number, max: number): number | undefined {
  const value = raw === undefined || raw.trim() === '' ? undefined : Number(raw)
  return value !== undefined && Number.isInteger(value) && value >= min && value <= max ? value : undefined
}

export function historyMinutesFrom(env: NodeJS.ProcessEnv): number {
  const hours = integerIn(env.ELB_LOCAL_CLOUDWATCH_HISTORY_HOURS, 1, MAX_HISTORY_MINUTES / 60)
  const days = integerIn(env.ELB_LOCAL_CLOUDWATCH_HISTORY_DAYS, 1, MAX_HISTORY_MINUTES / 1440)
  return hours !== undefined ? hours * 60 : days !== undefined ? days * 1440 : DEFAULT_HISTORY_MINUTES
}

export function memoryBoundFrom(env: NodeJS.ProcessEnv): number {
  const megabytes = integerIn(env.ELB_LOCAL_CLOUDWATCH_MEMORY_MB, 16, 65_536)
  return megabytes === undefined ? DEFAULT_MEMORY_BOUND_BYTES : megabytes * 1024 * 1024
}
