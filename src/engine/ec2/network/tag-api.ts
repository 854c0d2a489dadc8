import type {NetworkModel} from '../../model/network/network-model.js'
import {createTags, deleteTags, tagRows, type TagRow} from '../../model/network/tags.js'
import type {RequestContext} from '../../model/types.js'
import {MissingParameter} from '../errors.js'
import {filterBy, paginate} from '../filtering.js'
import {filters, stringList, type QueryParams} from '../params.js'
import type {Wire} from '../views.js'
import {dryRun} from './dry-run.js'
import {tagList} from './tag-params.js'

/** CreateTags, DeleteTags and DescribeTags over every resource kind the engine keeps (model/network/tags.ts). */
export class TagApi {
  constructor(private readonly model: NetworkModel) {}

  createTags(ctx: RequestContext, params: QueryParams): Wire {
    const ids = resourceIds(params)
    const tags = tagList(params)
    if (tags.length === 0) throw new MissingParameter('The request must contain the parameter Tag')
    dryRun(params)
    this.model.update(ctx.region, (network, _base, region, regionDraft) => { createTags(network, regionDraft, region, ids, tags) })
    return {return: true}
  }

  deleteTags(ctx: RequestContext, params: QueryParams): Wire {
    const ids = resourceIds(params)
    const tags = tagList(params, 'Tag', false)
    dryRun(params)
    this.model.update(ctx.region, (network, _base, region, regionDraft) => { deleteTags(network, regionDraft, region, ids, tags) })
    return {return: true}
  }

  describeTags(ctx: RequestContext, params: QueryParams): Wire {
    const rows = filterBy(tagRows(this.model.region(ctx.region)), filters(params), {
      'resource-id': (row: TagRow) => [row.resourceId],
      'resource-type': (row) => [row.resourceType],
      'key': (row) => [row.key],
      'value': (row) => [row.value],
      'tag:': (row, key) => (row.key === key ? [row.value] : []),
    })
    const page = paginate(rows, params, 'DescribeTags')
    return {tagSet: page.items.map((row) => ({...row})), ...(page.nextToken === undefined ? {} : {nextToken: page.nextToken})}
  }
}

function resourceIds(params: QueryParams): string[] {
  const ids = stringList(params, 'ResourceId')
  if (ids.length === 0) throw new MissingParameter('The request must contain the parameter ResourceId')
  return ids
}
