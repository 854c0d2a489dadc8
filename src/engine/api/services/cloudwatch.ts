import {loadData} from '../../../common/data.js'
import {AlarmService} from '../../cloudwatch/alarms.js'
import type {CloudWatchService, GetMetricStatisticsInput, PutMetricDataInput} from '../../cloudwatch/service.js'
import {Store} from '../../model/store.js'
import {buildService, type ServiceSpec, type WireService} from '../operations.js'
import {defineService, type ApiService, type DispatchMap} from '../service.js'
import {CLOUDWATCH_ALARM_ACTIONS, CLOUDWATCH_ALARM_DISPATCH, type AlarmOperations, type CloudWatchAlarmAction} from './cloudwatch-alarms.js'

/**
 * CloudWatch, API version 2010-08-01 (`monitoring`): its table (data/cloudwatch-operations.json)
 * and the CloudWatchService method each operation calls. AWS speaks it in AWS JSON 1.0 (what
 * SDK v3, botocore 1.43 and aws-cli v1 send by default), RPC v2 CBOR and Query (older botocore).
 */

export const CLOUDWATCH_ACTIONS = ['GetMetricStatistics', 'ListMetrics', 'PutMetricData', ...CLOUDWATCH_ALARM_ACTIONS] as const

export type CloudWatchAction = typeof CLOUDWATCH_ACTIONS[number]

/** The metrics side (CloudWatchService's methods) and the alarms side (AlarmService, as `alarms`). */
export type CloudWatchImplementation = Pick<CloudWatchService, Uncapitalize<Exclude<CloudWatchAction, CloudWatchAlarmAction>>> & {readonly alarms: AlarmOperations}

export const CLOUDWATCH_DISPATCH = {
  GetMetricStatistics: (cloudwatch, ctx, input) => cloudwatch.getMetricStatistics(ctx, input as unknown as GetMetricStatisticsInput),
  ListMetrics: (cloudwatch, ctx, input) => cloudwatch.listMetrics(ctx, input),
  PutMetricData: (cloudwatch, ctx, input) => cloudwatch.putMetricData(ctx, input as unknown as PutMetricDataInput),
  ...CLOUDWATCH_ALARM_DISPATCH,
} satisfies DispatchMap<CloudWatchAction, CloudWatchImplementation>

export const CLOUDWATCH_VERSION = '2010-08-01'

/**
 * CloudWatch is `awsQueryCompatible`: in JSON and CBOR an error names its shape and carries the
 * Query code in `x-amzn-query-error` (botocore's service-2.json: the shapes' `error.code`).
 */
const QUERY_COMPATIBLE_ERRORS: ReadonlyMap<string, string> = new Map(Object.entries({
  InvalidParameterValue: 'InvalidParameterValueException',
  InvalidParameterCombination: 'InvalidParameterCombinationException',
  MissingParameter: 'MissingRequiredParameterException',
  LimitExceeded: 'LimitExceededFault',
  InternalServiceError: 'InternalServiceFault',
  ResourceNotFound: 'ResourceNotFound',
  ResourceNotFoundException: 'ResourceNotFoundException',
  InvalidFormat: 'InvalidFormatFault',
  InvalidNextToken: 'InvalidNextToken',
}).map(([code, shape]) => [code, `com.amazonaws.cloudwatch#${shape}`]))

let spec: ServiceSpec | undefined

/** CloudWatch's operation table, built once from its data file. */
export function cloudWatchSpec(): ServiceSpec {
  return spec ??= buildService('cloudwatch', loadData<WireService>('cloudwatch-operations.json'))
}

/**
 * The service over a metrics implementation and the alarms (alone, as the metrics tests build it,
 * an in-memory AlarmService). The metric methods are called on the metrics object itself.
 */
export function cloudWatchService(
  metrics: Omit<CloudWatchImplementation, 'alarms'>,
  alarms: AlarmOperations = new AlarmService(Store.inMemory()),
): ApiService {
  const implementation = new Proxy(metrics, {
    get(target, key) {
      if (key === 'alarms') return alarms
      const value: unknown = Reflect.get(target, key)
      return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(target) : value
    },
  }) as CloudWatchImplementation
  const table = cloudWatchSpec()
  return defineService({
    name: 'cloudwatch',
    versions: [CLOUDWATCH_VERSION],
    signingName: 'monitoring',
    endpointPrefix: 'monitoring',
    shapeName: 'GraniteServiceVersion20100801',
    protocols: ['rpcv2Cbor', 'awsJson1_0', 'awsQuery'],
    spec: table,
    xmlNamespace: () => table.xmlNamespace,
    queryCompatibleErrors: QUERY_COMPATIBLE_ERRORS,
    actions: CLOUDWATCH_ACTIONS,
    dispatch: CLOUDWATCH_DISPATCH,
    implementation,
  })
}
