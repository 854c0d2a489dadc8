import type {ServiceError} from '../../model/errors.js'
import {filterBy, paginate, type Matchers, type Page} from '../filtering.js'
import {filters, stringList, type QueryParams} from '../params.js'
import type {Wire} from '../views.js'

/**
 * What every networking Describe call does: the ids named (`VpcId.N`, …; an unknown one is that
 * kind's NotFound, as EC2 answers), then `Filter.N`, then `MaxResults`/`NextToken`.
 */
export interface DescribeSpec<T> {
  readonly operation: string
  readonly idParam: string
  readonly idOf: (item: T) => string
  readonly notFound: (id: string) => ServiceError
  readonly matchers: Matchers<T>
}

export function describeSelection<T>(items: readonly T[], params: QueryParams, spec: DescribeSpec<T>): Page<T> {
  const ids = stringList(params, spec.idParam)
  let named = items
  if (ids.length > 0) {
    const byId = new Map(items.map((item) => [spec.idOf(item), item]))
    for (const id of ids) if (!byId.has(id)) throw spec.notFound(id)
    const wanted = new Set(ids)
    named = items.filter((item) => wanted.has(spec.idOf(item)))
  }
  return paginate(filterBy(named, filters(params), spec.matchers), params, spec.operation)
}

/** The page's items under `setName`, with `nextToken` when there are more. */
export function pageView<T>(setName: string, page: Page<T>, view: (item: T) => Wire): Wire {
  return {[setName]: page.items.map(view), ...(page.nextToken === undefined ? {} : {nextToken: page.nextToken})}
}
