import {MAX_SERVE_PORTS} from '../model/instance-service.js'
import type {ServeSpec, TagRecord} from '../model/types.js'
import {InvalidParameterValue, TagLimitExceeded} from './errors.js'
import {structureList, type QueryParams} from './params.js'

/**
 * RunInstances' `TagSpecification.N` for instances, with EC2's tag limits, and the engine's own
 * tags on them: which demo back ends to run and which instance id to launch.
 */

/** Demo back ends for an instance launched through the EC2 API: `elb-local:serve` = `http:8080,https:443`. */
export const SERVE_TAG = 'elb-local:serve'
/** Launch with this exact id (one instance), e.g. the seed's `i-4f8cf126`. */
export const INSTANCE_ID_TAG = 'elb-local:instance-id'

/** EC2's tag limits: 50 tags per resource, keys of 1-128 characters, values of at most 256. */
const MAX_TAGS = 50
const MAX_TAG_KEY = 128
const MAX_TAG_VALUE = 256

export function instanceTags(params: QueryParams): TagRecord[] {
  // The serve tag says what is wrong with it first (e.g. too many ports), then the length rule.
  return specificationTags(params, 'instance', (key, value) => { if (key === SERVE_TAG) parseServeTag(value) })
}

/** The tags `TagSpecification.N` gives a resource of `resourceType` on creation, within EC2's limits. */
export function specificationTags(params: QueryParams, resourceType: string, check?: (key: string, value: string) => void): TagRecord[] {
  const tags: TagRecord[] = []
  for (const spec of structureList(params, 'TagSpecification')) {
    if (spec.get('ResourceType') !== resourceType) continue
    for (const row of structureList(spec, 'Tag')) {
      const key = row.get('Key') ?? ''
      const value = row.get('Value') ?? ''
      if (key === '' || Array.from(key).length > MAX_TAG_KEY) {
        throw new InvalidParameterValue(`Tag key must be between 1 and ${MAX_TAG_KEY} characters long.`)
      }
      check?.(key, value)
      if (Array.from(value).length > MAX_TAG_VALUE) throw new InvalidParameterValue(`Tag value cannot be longer than ${MAX_TAG_VALUE} characters.`)
      tags.push({key, value})
      if (tags.length > MAX_TAGS) {
        throw new TagLimitExceeded(`The maximum number of Tags for a resource has been reached (${MAX_TAGS}).`)
      }
    }
  }
  return tags
}

/** `http:8080,https:443` → the demo back ends to run. */
export function parseServeTag(value: string): ServeSpec[] {
  const parts = value.split(',', MAX_SERVE_PORTS + 1)
  if (parts.length > MAX_SERVE_PORTS) {
    throw new InvalidParameterValue(`Invalid value for tag ${SERVE_TAG}: it names more than ${MAX_SERVE_PORTS} ports; an instance serves at most ${MAX_SERVE_PORTS}.`)
  }
  return parts.map((part) => {
    const match = /^\s*(https?):(\d{1,5})\s*$/i.exec(part)
    if (match === null) {
      throw new InvalidParameterValue(`Invalid value '${value}' for tag ${SERVE_TAG}: expected PROTOCOL:PORT[,PROTOCOL:PORT…] with http or https, e.g. http:8080,https:443`)
    }
    return {protocol: (match[1] ?? 'http').toLowerCase() as ServeSpec['protocol'], port: Number(match[2])}
  })
}
