import type {Tag, TagKeyOnly} from '@aws-sdk/client-elastic-load-balancing'
import {DuplicateTagKeys, TooManyTags} from '../errors.js'
import type {TagRecord} from '../types.js'
import {messages} from './messages.js'
import {required} from './validation.js'

export const MAX_TAGS = 10

/** Tags as given, with a repeated key rejected (DuplicateTagKeys). */
export function normalizeTags(tags: readonly Tag[]): TagRecord[] {
  const seen = new Set<string>()
  return tags.map((tag, index) => {
    const key = required(tag.Key, `tags.member.${index + 1}.key`)
    if (seen.has(key)) throw new DuplicateTagKeys(messages.duplicateTagKeys(key))
    seen.add(key)
    return tag.Value === undefined ? {key} : {key, value: tag.Value}
  })
}

/** Adds or overwrites tags; more than 10 on one load balancer is TooManyTags. */
export function mergeTags(current: readonly TagRecord[], added: readonly TagRecord[]): TagRecord[] {
  const merged = current.map((tag) => added.find((a) => a.key === tag.key) ?? tag)
  for (const tag of added) if (!current.some((c) => c.key === tag.key)) merged.push(tag)
  if (merged.length > MAX_TAGS) throw new TooManyTags(messages.tooManyTags)
  return merged
}

/** Removes the given keys; keys that are not there are ignored. */
export function removeTagKeys(current: readonly TagRecord[], keys: readonly TagKeyOnly[]): TagRecord[] {
  const removed = new Set(keys.map((k) => k.Key))
  return current.filter((tag) => !removed.has(tag.key))
}

export function tagsOutput(tags: readonly TagRecord[]): Tag[] {
  return tags.map((tag) => (tag.value === undefined ? {Key: tag.key} : {Key: tag.key, Value: tag.value}))
}
