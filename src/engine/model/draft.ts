/** A deep-mutable copy of a readonly record: what a mutation callback edits (Store.update). */
export type Draft<T> = T extends readonly (infer U)[]
  ? Draft<U>[]
  : T extends object
    ? {-readonly [K in keyof T]: Draft<T[K]>}
    : T

/** Freezes what is not frozen yet: with structural sharing that is only what the last write made. */
export function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value)
    for (const child of Object.values(value)) deepFreeze(child)
  }
  return value
}
