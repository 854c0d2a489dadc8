import {ValidationError} from '../errors.js'
import {constraintViolation} from './messages.js'

/**
 * The API edge already rejects missing required members and out-of-range model constraints; the
 * model re-checks the ones it relies on so a direct caller (tests, the admin API) gets the same
 * answer instead of a crash.
 */
export function required<T>(value: T | undefined, path: string): T {
  if (value === undefined || value === null) {
    throw new ValidationError(constraintViolation(path, null, 'Member must not be null'))
  }
  return value
}

export function integerInRange(value: number | undefined, path: string, min: number, max: number): number {
  const n = required(value, path)
  if (!Number.isInteger(n)) throw new ValidationError(constraintViolation(path, n, 'Member must be an integer'))
  if (n < min) throw new ValidationError(constraintViolation(path, n, `Member must have value greater than or equal to ${min}`))
  if (n > max) throw new ValidationError(constraintViolation(path, n, `Member must have value less than or equal to ${max}`))
  return n
}

export function listAtMost<T>(list: readonly T[], path: string, max: number): readonly T[] {
  if (list.length > max) {
    throw new ValidationError(constraintViolation(path, `[${list.join(', ')}]`, `Member must have length less than or equal to ${max}`))
  }
  return list
}

/** Removes repeats, keeping the first occurrence's position. */
export function unique<T>(list: readonly T[]): T[] {
  return [...new Set(list)]
}
