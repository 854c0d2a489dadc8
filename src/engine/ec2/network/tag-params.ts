import {checkTag, MAX_TAGS} from '../../model/network/tags.js'
import type {TagRecord} from '../../model/types.js'
import {InvalidParameterValue, TagLimitExceeded} from '../errors.js'
import {structureList, type QueryParams} from '../params.js'

/**
 * Tags as EC2 sends them: `TagSpecification.N.ResourceType` + `.Tag.M.Key/Value` on Create* calls
 * (the tags of the resource type being made; a specification for another type is refused, as EC2
 * does) and `Tag.N.Key/Value` on CreateTags/DeleteTags.
 */

export function tagList(params: QueryParams, name = 'Tag', valueRequired = true): TagRecord[] {
  const tags = structureList(params, name).map((row) => {
    const key = row.get('Key') ?? ''
    const value = row.get('Value')
    return value === undefined && !valueRequired ? {key} : {key, value: value ?? ''}
  })
  if (tags.length > MAX_TAGS) throw new TagLimitExceeded(`The maximum number of Tags for a resource has been reached (${MAX_TAGS}).`)
  return tags
}

export function tagSpecifications(params: QueryParams, resourceType: string): TagRecord[] {
  const tags: TagRecord[] = []
  for (const spec of structureList(params, 'TagSpecification')) {
    const type = spec.get('ResourceType')
    if (type !== resourceType) {
      throw new InvalidParameterValue(`'${type ?? ''}' is not a valid taggable resource type for this operation.`)
    }
    tags.push(...tagList(spec))
  }
  tags.forEach(checkTag)
  if (tags.length > MAX_TAGS) throw new TagLimitExceeded(`The maximum number of Tags for a resource has been reached (${MAX_TAGS}).`)
  return tags
}
