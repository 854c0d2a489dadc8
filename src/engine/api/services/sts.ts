import {loadData} from '../../../common/data.js'
import type {StsService} from '../../sts/service.js'
import {buildService, type ServiceSpec, type WireService} from '../operations.js'
import {defineService, type ApiService, type DispatchMap} from '../service.js'

/** STS, API version 2011-06-15, over Query: its table (data/sts-operations.json) and the StsService method each Action calls. */

export const STS_ACTIONS = ['GetCallerIdentity'] as const

export type StsAction = typeof STS_ACTIONS[number]

export type StsImplementation = Pick<StsService, Uncapitalize<StsAction>>

export const STS_DISPATCH = {
  GetCallerIdentity: (sts) => sts.getCallerIdentity(),
} satisfies DispatchMap<StsAction, StsImplementation>

let spec: ServiceSpec | undefined

/** STS's operation table, built once from its data file. */
export function stsSpec(): ServiceSpec {
  return spec ??= buildService('sts', loadData<WireService>('sts-operations.json'))
}

export function stsApiService(implementation: StsImplementation): ApiService {
  const table = stsSpec()
  return defineService({
    name: 'sts',
    versions: [table.apiVersion],
    signingName: 'sts',
    endpointPrefix: 'sts',
    shapeName: 'AWSSecurityTokenServiceV20110615',
    protocols: ['awsQuery'],
    spec: table,
    xmlNamespace: () => table.xmlNamespace,
    actions: STS_ACTIONS,
    dispatch: STS_DISPATCH,
    implementation,
  })
}
