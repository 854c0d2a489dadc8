/**
 * The alarm API over the wire, in each protocol SDK v3 speaks (AWS JSON 1.0, RPC v2 CBOR, Query):
 * PutMetricAlarm and what DescribeAlarms answers back, the filters and paging, DescribeAlarmsForMetric,
 * SetAlarmState and the history it writes, DeleteAlarms, actions on and off, tags, and every
 * validation error with AWS's code, message and status.
 */
import {
  DeleteAlarmsCommand, DescribeAlarmHistoryCommand, DescribeAlarmsCommand, DescribeAlarmsForMetricCommand,
  DisableAlarmActionsCommand, EnableAlarmActionsCommand, ListTagsForResourceCommand, PutMetricAlarmCommand, SetAlarmStateCommand,
  TagResourceCommand, UntagResourceCommand, type PutMetricAlarmCommandInput,
} from '@aws-sdk/client-cloudwatch'
import {cloudWatchService} from '../../../src/engine/api/services/cloudwatch.js'
import {AlarmService} from '../../../src/engine/cloudwatch/alarms.js'
import {CloudWatchService} from '../../../src/engine/cloudwatch/service.js'
import {MetricsStore} from '../../../src/engine/metrics/store.js'
import {Store} from '../../../src/engine/model/store.js'
import {startApiServer, type ApiServerHandle} from '../../helpers/api-server.js'
import {CLOUDWATCH_PROTOCOLS, cloudWatchClients} from '../../helpers/cloudwatch-clients.js'

let api: ApiServerHandle

beforeAll(async () => {
  const alarms = new AlarmService(Store.inMemory())
  api = await startApiServer({services: [cloudWatchService(new CloudWatchService(new MetricsStore()), alarms)]})
})

afterAll(async () => {
  clients.destroy()
  await api.close()
})

const PROTOCOLS = CLOUDWATCH_PROTOCOLS
const clients = cloudWatchClients(() => api.endpoint)
const client = (protocol: string) => clients.client(protocol)

const TOPIC = 'arn:aws:sns:us-east-1:123456789012:ops'
const alarmInput = (AlarmName: string, extra: Partial<PutMetricAlarmCommandInput> = {}): PutMetricAlarmCommandInput => ({
  AlarmName, Namespace: 'AWS/ELB', MetricName: 'HTTPCode_Backend_5XX', Dimensions: [{Name: 'LoadBalancerName', Value: 'web'}],
  Statistic: 'Sum', Period: 60, EvaluationPeriods: 3, DatapointsToAlarm: 2, Threshold: 5, ComparisonOperator: 'GreaterThanOrEqualToThreshold',
  TreatMissingData: 'notBreaching', AlarmActions: [TOPIC], ...extra,
})

/** What a refused call threw: the SDK's error name, the Query code where the protocol carries it, the HTTP status. */
async function refusal(send: Promise<unknown>): Promise<{name: string; code: string | undefined; message: string; status: number | undefined}> {
  const error = await send.then(() => { throw new Error('the call was not refused') }, (caught: unknown) => caught) as
    {name: string; Code?: string; message: string; $metadata?: {httpStatusCode?: number}}
  return {name: error.name, code: error.Code, message: error.message, status: error.$metadata?.httpStatusCode}
}

describe.each(PROTOCOLS)('over $protocol', ({protocol}) => {
  const prefix = `${protocol}-`

  test('PutMetricAlarm, then DescribeAlarms answers the alarm as AWS does', async () => {
    const before = Date.now()
    await client(protocol).send(new PutMetricAlarmCommand(alarmInput(`${prefix}errors`, {Tags: [{Key: 'team', Value: 'web'}]})))
    const {MetricAlarms, CompositeAlarms} = await client(protocol).send(new DescribeAlarmsCommand({AlarmNames: [`${prefix}errors`]}))
    expect(CompositeAlarms ?? []).toEqual([])
    const [alarm] = MetricAlarms ?? []
    expect(alarm).toEqual({
      AlarmName: `${prefix}errors`, AlarmArn: `arn:aws:cloudwatch:us-east-1:123456789012:alarm:${prefix}errors`,
      AlarmConfigurationUpdatedTimestamp: alarm?.AlarmConfigurationUpdatedTimestamp, ActionsEnabled: true,
      OKActions: [], AlarmActions: [TOPIC], InsufficientDataActions: [],
      StateValue: 'INSUFFICIENT_DATA', StateReason: 'Unchecked: Initial alarm creation', StateUpdatedTimestamp: alarm?.StateUpdatedTimestamp,
      MetricName: 'HTTPCode_Backend_5XX', Namespace: 'AWS/ELB', Statistic: 'Sum', Dimensions: [{Name: 'LoadBalancerName', Value: 'web'}],
      Period: 60, EvaluationPeriods: 3, Threshold: 5, ComparisonOperator: 'GreaterThanOrEqualToThreshold', TreatMissingData: 'notBreaching',
      DatapointsToAlarm: 2, StateTransitionedTimestamp: alarm?.StateTransitionedTimestamp,
    })
    expect(alarm?.AlarmConfigurationUpdatedTimestamp?.getTime()).toBeGreaterThanOrEqual(Math.floor(before / 1000) * 1000)
  })

  test('filters: prefix, state, action prefix, alarm types; paging with MaxRecords and NextToken', async () => {
    for (const name of ['b', 'a', 'c']) await client(protocol).send(new PutMetricAlarmCommand(alarmInput(`${prefix}page-${name}`, {AlarmActions: []})))
    const names = async (input: object) => ((await client(protocol).send(new DescribeAlarmsCommand(input))).MetricAlarms ?? []).map((alarm) => alarm.AlarmName)
    expect(await names({AlarmNamePrefix: `${prefix}page-`})).toEqual([`${prefix}page-a`, `${prefix}page-b`, `${prefix}page-c`])
    expect(await names({AlarmNamePrefix: `${prefix}page-`, StateValue: 'ALARM'})).toEqual([])
    expect(await names({AlarmNamePrefix: prefix, ActionPrefix: 'arn:aws:sns:us-east-1:123456789012:op'})).toEqual([`${prefix}errors`])
    expect(await names({AlarmNamePrefix: prefix, AlarmTypes: ['CompositeAlarm']})).toEqual([])
    const first = await client(protocol).send(new DescribeAlarmsCommand({AlarmNamePrefix: `${prefix}page-`, MaxRecords: 2}))
    expect(first.MetricAlarms?.map((alarm) => alarm.AlarmName)).toEqual([`${prefix}page-a`, `${prefix}page-b`])
    const second = await client(protocol).send(new DescribeAlarmsCommand({AlarmNamePrefix: `${prefix}page-`, MaxRecords: 2, NextToken: first.NextToken}))
    expect(second.MetricAlarms?.map((alarm) => alarm.AlarmName)).toEqual([`${prefix}page-c`])
    expect(second.NextToken).toBeUndefined()
    expect(await refusal(client(protocol).send(new DescribeAlarmsCommand({NextToken: 'not-a-token'})))).toMatchObject({name: 'InvalidNextToken', status: 400})
    await client(protocol).send(new DeleteAlarmsCommand({AlarmNames: [`${prefix}page-a`, `${prefix}page-b`, `${prefix}page-c`]}))
  })

  test('PutMetricAlarm on an existing alarm: the configuration replaced, state and tags kept, an "updated" history item', async () => {
    const AlarmName = `${prefix}updated`
    await client(protocol).send(new PutMetricAlarmCommand(alarmInput(AlarmName, {Tags: [{Key: 'a', Value: '1'}]})))
    await client(protocol).send(new SetAlarmStateCommand({AlarmName, StateValue: 'OK', StateReason: 'fine'}))
    await client(protocol).send(new PutMetricAlarmCommand(alarmInput(AlarmName, {Threshold: 7, Tags: [{Key: 'b', Value: '2'}]})))
    const [alarm] = (await client(protocol).send(new DescribeAlarmsCommand({AlarmNames: [AlarmName]}))).MetricAlarms ?? []
    expect(alarm).toMatchObject({Threshold: 7, StateValue: 'OK', StateReason: 'fine'})
    expect((await client(protocol).send(new ListTagsForResourceCommand({ResourceARN: alarm?.AlarmArn}))).Tags).toEqual([{Key: 'a', Value: '1'}])
    const [latest] = (await client(protocol).send(new DescribeAlarmHistoryCommand({AlarmName, HistoryItemType: 'ConfigurationUpdate'}))).AlarmHistoryItems ?? []
    expect(latest?.HistorySummary).toBe(`Alarm "${AlarmName}" updated`)
    const data = JSON.parse(latest?.HistoryData ?? '') as {type: string; updatedAlarm: {threshold: number}; originalUpdatedFields: Record<string, unknown>}
    expect(data).toMatchObject({type: 'Update', updatedAlarm: {threshold: 7}, originalUpdatedFields: {threshold: 5}})
    expect(Object.keys(data.originalUpdatedFields)).toEqual(['threshold'])
    await client(protocol).send(new DeleteAlarmsCommand({AlarmNames: [AlarmName]}))
  })

  test('DescribeAlarmsForMetric: the alarms on that metric and dimension set', async () => {
    const found = async (input: object) => ((await client(protocol).send(new DescribeAlarmsForMetricCommand({
      Namespace: 'AWS/ELB', MetricName: 'HTTPCode_Backend_5XX', ...input}))).MetricAlarms ?? []).map((alarm) => alarm.AlarmName)
    expect(await found({Dimensions: [{Name: 'LoadBalancerName', Value: 'web'}]})).toContain(`${prefix}errors`)
    expect(await found({Dimensions: [{Name: 'LoadBalancerName', Value: 'web'}], Statistic: 'Average'})).toEqual([])
    expect(await found({Dimensions: []})).toEqual([])
  })

  test('SetAlarmState: the new state, its history item, and the action recorded as failed (no SNS here)', async () => {
    const AlarmName = `${prefix}errors`
    await client(protocol).send(new SetAlarmStateCommand({AlarmName, StateValue: 'ALARM', StateReason: 'testing', StateReasonData: '{"note":1}'}))
    const [alarm] = (await client(protocol).send(new DescribeAlarmsCommand({AlarmNames: [AlarmName]}))).MetricAlarms ?? []
    expect(alarm).toMatchObject({StateValue: 'ALARM', StateReason: 'testing', StateReasonData: '{"note":1}'})
    const items = (await client(protocol).send(
      new DescribeAlarmHistoryCommand({AlarmName, ScanBy: 'TimestampAscending'}))).AlarmHistoryItems ?? []
    expect(items.map((item) => item.HistoryItemType)).toEqual(['ConfigurationUpdate', 'StateUpdate', 'Action'])
    expect(items[0]?.HistorySummary).toBe(`Alarm "${AlarmName}" created`)
    expect(JSON.parse(items[0]?.HistoryData ?? '')).toMatchObject({version: '1.0', type: 'Create', createdAlarm: {alarmName: AlarmName, threshold: 5, okactions: []}})
    expect(items[0]?.HistoryData).toContain('"threshold":5.0,')
    expect(items[1]).toMatchObject({AlarmType: 'MetricAlarm', HistorySummary: 'Alarm updated from INSUFFICIENT_DATA to ALARM'})
    expect(items[1]?.HistoryData).toBe('{"version":"1.0","oldState":{"stateValue":"INSUFFICIENT_DATA","stateReason":"Unchecked: Initial alarm creation"},' +
      '"newState":{"stateValue":"ALARM","stateReason":"testing","stateReasonData":{"note":1}}}')
    expect(items[2]?.HistorySummary).toBe(`Failed to execute action ${TOPIC}. Received error: "elb-local has no SNS: the notification was not delivered"`)
    const onlyActions = (await client(protocol).send(new DescribeAlarmHistoryCommand({AlarmName, HistoryItemType: 'Action'}))).AlarmHistoryItems
    expect(onlyActions).toHaveLength(1)
    const paged = await client(protocol).send(new DescribeAlarmHistoryCommand({AlarmName, MaxRecords: 2}))
    expect(paged.AlarmHistoryItems?.map((item) => item.HistoryItemType)).toEqual(['Action', 'StateUpdate'])
    const rest = await client(protocol).send(new DescribeAlarmHistoryCommand({AlarmName, MaxRecords: 2, NextToken: paged.NextToken}))
    expect(rest.AlarmHistoryItems?.map((item) => item.HistoryItemType)).toEqual(['ConfigurationUpdate'])
    const later = (await client(protocol).send(new DescribeAlarmHistoryCommand({AlarmName, StartDate: new Date(Date.now() + 60_000)}))).AlarmHistoryItems
    expect(later).toEqual([])

    expect(await refusal(client(protocol).send(new SetAlarmStateCommand({AlarmName, StateValue: 'OK', StateReason: 'x', StateReasonData: '{not json'}))))
      .toMatchObject({name: 'InvalidFormatFault', message: 'StateReasonData was not syntactically valid JSON', status: 400})
    expect(await refusal(client(protocol).send(new SetAlarmStateCommand({AlarmName: `${prefix}nobody`, StateValue: 'OK', StateReason: 'x'}))))
      .toMatchObject({name: 'ResourceNotFound', message: `Alarm ${prefix}nobody not found`, status: 404})
  })

  test('Disable/EnableAlarmActions: a transition with actions off runs none', async () => {
    const AlarmName = `${prefix}errors`
    await client(protocol).send(new DisableAlarmActionsCommand({AlarmNames: [AlarmName, `${prefix}unknown`]}))
    await client(protocol).send(new SetAlarmStateCommand({AlarmName, StateValue: 'OK', StateReason: 'quiet'}))
    const actions = async () => ((await client(protocol).send(new DescribeAlarmHistoryCommand({AlarmName, HistoryItemType: 'Action'}))).AlarmHistoryItems ?? []).length
    expect(await actions()).toBe(1)
    const [alarm] = (await client(protocol).send(new DescribeAlarmsCommand({AlarmNames: [AlarmName]}))).MetricAlarms ?? []
    expect(alarm?.ActionsEnabled).toBe(false)
    await client(protocol).send(new EnableAlarmActionsCommand({AlarmNames: [AlarmName]}))
    await client(protocol).send(new SetAlarmStateCommand({AlarmName, StateValue: 'ALARM', StateReason: 'loud'}))
    expect(await actions()).toBe(2)
  })

  test('tags on the alarm ARN: list, tag, untag; an unknown ARN is ResourceNotFoundException', async () => {
    const ResourceARN = `arn:aws:cloudwatch:us-east-1:123456789012:alarm:${prefix}errors`
    const tags = async () => (await client(protocol).send(new ListTagsForResourceCommand({ResourceARN}))).Tags
    expect(await tags()).toEqual([{Key: 'team', Value: 'web'}])
    await client(protocol).send(new TagResourceCommand({ResourceARN, Tags: [{Key: 'tier', Value: '1'}, {Key: 'team', Value: 'edge'}]}))
    expect(await tags()).toEqual([{Key: 'team', Value: 'edge'}, {Key: 'tier', Value: '1'}])
    await client(protocol).send(new UntagResourceCommand({ResourceARN, TagKeys: ['team']}))
    expect(await tags()).toEqual([{Key: 'tier', Value: '1'}])
    expect(await refusal(client(protocol).send(new ListTagsForResourceCommand({ResourceARN: `${ResourceARN}-gone`}))))
      .toMatchObject({name: 'ResourceNotFoundException', status: 404})
    expect(await refusal(client(protocol).send(new TagResourceCommand({ResourceARN: 'not-an-arn', Tags: [{Key: 'a', Value: 'b'}]}))))
      .toMatchObject({name: 'InvalidParameterValueException', message: 'The value not-an-arn for parameter ResourceARN is invalid.', status: 400})
  })

  test('DeleteAlarms: the known names go; an unknown one is ResourceNotFound', async () => {
    await client(protocol).send(new PutMetricAlarmCommand(alarmInput(`${prefix}doomed`)))
    expect(await refusal(client(protocol).send(new DeleteAlarmsCommand({AlarmNames: [`${prefix}doomed`, `${prefix}never`]}))))
      .toMatchObject({name: 'ResourceNotFound', message: `1 of the specified alarms were not found: [${prefix}never]`, status: 404})
    expect((await client(protocol).send(new DescribeAlarmsCommand({AlarmNames: [`${prefix}doomed`]}))).MetricAlarms).toEqual([])
    const [deleted] = (await client(protocol).send(new DescribeAlarmHistoryCommand({AlarmName: `${prefix}doomed`}))).AlarmHistoryItems ?? []
    expect(deleted?.HistorySummary).toBe(`Alarm "${prefix}doomed" deleted`)
  })

  test.each([
    [{Period: 45}, 'InvalidParameterValue', 'The parameter Period must be 10, 20, 30 or a multiple of 60.'],
    [{Period: undefined}, 'MissingParameter', 'The parameter Period is required.'],
    [{EvaluationPeriods: undefined}, 'MissingParameter', 'The parameter EvaluationPeriods is required.'],
    [{Threshold: undefined}, 'MissingParameter', 'The parameter Threshold is required.'],
    [{ComparisonOperator: undefined}, 'MissingParameter', 'The parameter ComparisonOperator is required.'],
    [{MetricName: undefined}, 'MissingParameter', 'The parameter MetricName is required.'],
    [{Namespace: undefined}, 'MissingParameter', 'The parameter Namespace is required.'],
    [{DatapointsToAlarm: 4}, 'InvalidParameterValue', 'DatapointsToAlarm must be less than or equal to EvaluationPeriods'],
    [{Statistic: undefined}, 'InvalidParameterCombination', 'Exactly one of Statistic or ExtendedStatistic must be specified.'],
    [{ExtendedStatistic: 'p99'}, 'InvalidParameterCombination', 'Exactly one of Statistic or ExtendedStatistic must be specified.'],
    [{Period: 600, EvaluationPeriods: 145, DatapointsToAlarm: 1}, 'InvalidParameterCombination',
      'Metrics cannot be checked across more than a day (EvaluationPeriods * Period must be <= 86400).'],
    [{Period: 86_400, EvaluationPeriods: 8, DatapointsToAlarm: 1}, 'InvalidParameterCombination',
      'Metrics cannot be checked across more than 7 days (EvaluationPeriods * Period must be <= 604800).'],
    [{ComparisonOperator: 'LessThanLowerOrGreaterThanUpperThreshold'}, 'InvalidParameterCombination', 'ComparisonOperators for ranges require ThresholdMetricId to be set'],
    [{TreatMissingData: 'sometimes'}, 'InvalidParameterValue', 'The value sometimes for parameter TreatMissingData is invalid. Supported values are: breaching, notBreaching, ignore, missing.'],
    [{AlarmActions: ['mailto:ops@example.com']}, 'ValidationError', 'Invalid arn syntax: mailto:ops@example.com'],
    [{AlarmActions: ['arn:aws:sns:eu-west-1:123456789012:ops']}, 'ValidationError', 'Invalid region eu-west-1 specified. Only us-east-1 is supported.'],
    [{Metrics: [{Id: 'm1', Expression: 'SUM(METRICS())'}]}, 'InvalidParameterValue',
      'Metric math alarms (the Metrics parameter) are not supported by this engine: set MetricName, Namespace, Statistic and Period.'],
  ])('PutMetricAlarm refuses %j with %s and creates nothing', async (input, code, message) => {
    const AlarmName = `${prefix}refused`
    const failure = await refusal(client(protocol).send(new PutMetricAlarmCommand({...alarmInput(AlarmName), ...input} as PutMetricAlarmCommandInput)))
    expect(failure).toMatchObject({message, status: 400})
    // ValidationError is no modelled shape: SDK v3 names it after the wire type (JSON/Query: its own
    // normalisation); the Query code it carries is checked below.
    if (code === 'ValidationError') expect(failure.name).toMatch(/^Validation(Error|Exception)$/)
    else expect(failure.name).toBe(code === 'MissingParameter' ? 'MissingRequiredParameterException' : `${code}Exception`)
    if (protocol !== 'rpcv2Cbor') expect(failure.code).toBe(code)
    expect((await client(protocol).send(new DescribeAlarmsCommand({AlarmNames: [AlarmName]}))).MetricAlarms).toEqual([])
  })
})
