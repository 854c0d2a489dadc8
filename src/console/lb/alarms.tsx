/** The load balancer's CloudWatch alarms (state, reason, condition; delete) and the form that creates one from a chart. */
import {useEffect, useRef, useState} from 'preact/hooks'
import {ApiError, region} from '../api.js'
import {alarmExists, deleteAlarms, putLoadBalancerAlarm, type Alarm} from '../cloudwatch.js'
import {utcDateTime} from '../time.js'
import {ConfirmButton, ErrorText, Field, Select} from '../ui.js'
import {ALARM_PERIODS, COMPARISONS, conditionText, fieldOfError, STATISTICS, suggestedAlarmName} from './alarm-rules.js'
import {seriesOf, type ChartSpec} from './monitoring-data.js'

const STATE_CLASS: Record<string, string> = {OK: 'state-ok', ALARM: 'state-alarm', INSUFFICIENT_DATA: 'state-insufficient'}

export function AlarmList({lb, alarms, error, reload}: {lb: string; alarms: readonly Alarm[] | undefined; error: unknown; reload: () => void}) {
  return (
    <section aria-labelledby="alarms-heading">
      <h2 id="alarms-heading">Alarms</h2>
      <ErrorText error={error} />
      {alarms === undefined ? <p>{error === undefined ? 'Loading…' : ''}</p> : alarms.length === 0
        ? <p class="muted">No CloudWatch alarm watches this load balancer (AWS/ELB, LoadBalancerName={lb}). Create one from a chart.</p>
        : (
          <div class="table-wrap">
            <table aria-label="Alarms">
              <thead><tr><th>Name</th><th>State</th><th>Condition</th><th>Reason</th><th><span class="visually-hidden">Actions</span></th></tr></thead>
              <tbody>
                {alarms.map((alarm) => (
                  <tr key={alarm.name}>
                    <td>{alarm.name}</td>
                    <td><span class={`state ${STATE_CLASS[alarm.state] ?? ''}`}>{alarm.state}</span></td>
                    <td>{conditionText(alarm)}</td>
                    <td>{alarm.reason}<br /><small class="muted">{utcDateTime(alarm.updated)}</small></td>
                    <td><ConfirmButton label="Delete" question={`Delete alarm ${alarm.name}?`} onConfirm={async () => { await deleteAlarms([alarm.name]); reload() }} /></td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
    </section>
  )
}

/** The parameters an API error may name, in the form's order. */
const FIELDS = ['AlarmName', 'MetricName', 'Statistic', 'ComparisonOperator', 'Threshold', 'Period', 'EvaluationPeriods', 'DatapointsToAlarm'] as const
type FormField = typeof FIELDS[number]

/** The form's own refusal: PutMetricAlarm would silently replace an alarm of the same name (perhaps another load balancer's). */
class NameTaken extends Error {
  constructor(name: string) {
    super(`An alarm named ${name} already exists in ${region()}; PutMetricAlarm would replace it. Choose another name, or delete that alarm first.`)
    this.name = 'Name taken'
  }
}

/** The field an error is about: the name for NameTaken, the parameter an API error names, else none (shown under the form). */
function fieldOf(error: unknown): FormField | undefined {
  if (error instanceof NameTaken) return 'AlarmName'
  return error instanceof ApiError ? fieldOfError(error.message, FIELDS) : undefined
}

/** The chart's metrics, each with the statistic its chart draws (a percentile falls back to Average). */
function metricsOf(spec: ChartSpec): [string, string][] {
  const found = new Map<string, string>()
  for (const series of seriesOf(spec, 'cloudwatch')) {
    if (!found.has(series.metric)) found.set(series.metric, (STATISTICS as readonly string[]).includes(series.statistic) ? series.statistic : 'Average')
  }
  return [...found]
}

export function AlarmForm({lb, spec, onCreated, onCancel}: {lb: string; spec: ChartSpec; onCreated: () => void; onCancel: () => void}) {
  const metrics = metricsOf(spec)
  const [first] = metrics
  const [metric, setMetric] = useState(first?.[0] ?? spec.title)
  const [statistic, setStatistic] = useState(first?.[1] ?? 'Average')
  const [comparison, setComparison] = useState('GreaterThanThreshold')
  const [threshold, setThreshold] = useState('')
  const [period, setPeriod] = useState('300')
  const [evaluationPeriods, setEvaluationPeriods] = useState('1')
  const [datapoints, setDatapoints] = useState('')
  const [typedName, setTypedName] = useState<string>()
  const [error, setError] = useState<unknown>()
  const [busy, setBusy] = useState(false)
  const form = useRef<HTMLFormElement>(null)
  // Opened from a chart's button: the keyboard goes on in the form.
  useEffect(() => { form.current?.querySelector<HTMLElement>('select, input')?.focus() }, [])
  const name = typedName ?? suggestedAlarmName(lb, metric, comparison)
  const at = fieldOf(error)
  const errorAt = (field: FormField) => at === field ? error : undefined
  const submit = (event: Event) => {
    event.preventDefault()
    setError(undefined)
    setBusy(true)
    const input = {name, metricName: metric, statistic, comparison, threshold, period: Number(period), evaluationPeriods, datapointsToAlarm: datapoints.trim() || undefined}
    // A name the look-up cannot take (empty, too long) is left to PutMetricAlarm, which words its refusal.
    alarmExists(name).catch(() => false)
      .then(async (exists) => { if (exists) throw new NameTaken(name); await putLoadBalancerAlarm(lb, input) })
      .then(onCreated, setError).finally(() => { setBusy(false) })
  }
  return (
    <form ref={form} class="alarm-form" aria-label={`Create alarm on ${spec.title}`} onSubmit={submit}>
      <p class="muted">Namespace AWS/ELB, dimension LoadBalancerName={lb}</p>
      {metrics.length > 1
        ? <Select label="Metric" value={metric} options={metrics.map(([name]) => name)} error={errorAt('MetricName')} onChange={(next) => {
          setMetric(next)
          setStatistic(metrics.find(([candidate]) => candidate === next)?.[1] ?? 'Average')
        }} />
        : <p>Metric: <strong>{metric}</strong></p>}
      <Select label="Statistic" value={statistic} options={STATISTICS} error={errorAt('Statistic')} onChange={setStatistic} />
      <Select label="Whenever the value is" value={comparison} options={COMPARISONS.map(([operator, symbol]) => [operator, `${symbol} (${operator})`])} error={errorAt('ComparisonOperator')} onChange={setComparison} />
      <Field label="Threshold" value={threshold} onInput={setThreshold} error={errorAt('Threshold')} />
      <Select label="Period" value={period} options={ALARM_PERIODS.map(([seconds, label]) => [String(seconds), label])} error={errorAt('Period')} onChange={setPeriod} />
      <Field label="Evaluation periods" value={evaluationPeriods} onInput={setEvaluationPeriods} error={errorAt('EvaluationPeriods')} />
      <Field label="Datapoints to alarm" value={datapoints} onInput={setDatapoints} error={errorAt('DatapointsToAlarm')} hint="M of the evaluation periods that must breach; empty: all of them" />
      <Field label="Alarm name" value={name} onInput={setTypedName} error={errorAt('AlarmName')} />
      {at === undefined ? <ErrorText error={error} /> : null}
      <div class="wizard-buttons">
        <button type="submit" class="primary" disabled={busy}>Create alarm</button>
        <button type="button" onClick={onCancel}>Cancel</button>
      </div>
    </form>
  )
}
