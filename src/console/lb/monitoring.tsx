/**
 * Monitoring: charts (uPlot) of the load balancer's AWS/ELB metrics — the last hour from the
 * engine's per-second metrics (refreshed every 2 s), longer ranges from CloudWatch statistics
 * (GetMetricData) — its CloudWatch alarms, and an alarm created from any chart.
 */
import {useEffect, useRef, useState} from 'preact/hooks'
import uPlot from 'uplot'
import 'uplot/dist/uPlot.min.css'
import {METRICS_PREFIX} from '../../engine/constants.js'
import {engineJson, region} from '../api.js'
import {loadBalancerAlarms, loadBalancerMetricData} from '../cloudwatch.js'
import type {LoadBalancer} from '../elb.js'
import {utcClock, utcTick} from '../time.js'
import {ErrorText, usePolling} from '../ui.js'
import {AlarmForm, AlarmList} from './alarms.js'
import {CHARTS, cloudWatchQueries, cloudWatchWindow, durationText, RANGES, seriesOf, snapshotOf, total, weightedLatency, type ChartSpec, type Range, type Snapshot} from './monitoring-data.js'

const REFRESH_MS = {seconds: 2000, cloudwatch: 60_000} as const
const ALARMS_REFRESH_MS = 10_000

/** A range's data: from the per-second metrics JSON, or from CloudWatch's GetMetricData. */
async function loadRange(lb: string, range: Range): Promise<{range: string; snapshot: Snapshot}> {
  if (range.source === 'seconds') {
    const snapshot = await engineJson<Snapshot>(
      `${METRICS_PREFIX}/load-balancers/${encodeURIComponent(lb)}?region=${encodeURIComponent(region())}&range=${range.seconds}&step=${range.step}`)
    return {range: range.label, snapshot}
  }
  const window = cloudWatchWindow(range, Date.now() / 1000)
  const queries = cloudWatchQueries()
  const data = await loadBalancerMetricData(lb, queries, window, range.step)
  return {range: range.label, snapshot: snapshotOf(window, range.step, new Map(queries.map((query) => [query.key, data.get(query.id) ?? new Map<number, number>()])))}
}

function chartData(spec: ChartSpec, snapshot: Snapshot): uPlot.AlignedData {
  return [snapshot.timestamps, ...spec.series.map((series) =>
    (snapshot.metrics[series.key] ?? []).map((value) => value === null ? null : value * (series.scale ?? 1)))]
}

function Chart({spec, snapshot}: {spec: ChartSpec; snapshot: Snapshot}) {
  const holder = useRef<HTMLDivElement>(null)
  const plot = useRef<uPlot | undefined>(undefined)
  useEffect(() => {
    const element = holder.current
    if (element === null) return undefined
    plot.current = new uPlot({
      width: Math.max(240, element.clientWidth), height: 180,
      // Points shown: a second with traffic between idle ones is still visible; gaps (no sample) stay gaps.
      // Time in UTC, as every list shows it: ticks placed on UTC minutes, the read-out labelled UTC.
      tzDate: (seconds) => uPlot.tzDate(new Date(seconds * 1000), 'Etc/UTC'),
      series: [{label: 'Time', value: (_plot, seconds: number | null) => seconds === null ? '—' : utcClock(seconds)}, ...spec.series.map((series) => ({label: series.label, stroke: series.color, width: 2, spanGaps: false, points: {show: true, size: 4}}))],
      axes: [{label: 'Time (UTC)', values: (_plot, ticks) => ticks.map(utcTick)}, {label: spec.unit, size: 60}],
      scales: {x: {time: true}},
      legend: {live: true},
    }, chartData(spec, snapshot), element)
    const resize = new ResizeObserver(() => { plot.current?.setSize({width: Math.max(240, element.clientWidth), height: 180}) })
    resize.observe(element)
    return () => { resize.disconnect(); plot.current?.destroy() }
  }, [])
  useEffect(() => { plot.current?.setData(chartData(spec, snapshot)) }, [snapshot])
  return <div class="chart" ref={holder} role="img" aria-label={`${spec.title} chart`} />
}

export function MonitoringTab({lb}: {lb: LoadBalancer}) {
  const [range, setRange] = useState<Range>(RANGES[0] ?? {label: '5 min', seconds: 300, step: 1, source: 'seconds'})
  const [alarmOn, setAlarmOn] = useState<string>()
  const data = usePolling(() => loadRange(lb.name, range), [lb.name, range.label], REFRESH_MS[range.source])
  const alarms = usePolling(() => loadBalancerAlarms(lb.name), [lb.name], ALARMS_REFRESH_MS)
  // The last answer until the new range's arrives: shown only when it is that range's.
  const snapshot = data.value?.range === range.label ? data.value.snapshot : undefined
  const latency = snapshot === undefined ? null : weightedLatency(snapshot)
  const refresh = range.source === 'seconds' ? `refreshes every ${REFRESH_MS.seconds / 1000} s` : 'CloudWatch statistics (GetMetricData), refreshes every minute'
  return (
    <>
      <div class="toolbar">
        <fieldset class="segmented"><legend>Time range</legend>
          {RANGES.map((option) => (
            <label key={option.label} class="choice"><input type="radio" name="range" checked={option.label === range.label} onChange={() => { setRange(option) }} /> {option.label}</label>
          ))}
        </fieldset>
        <span class="muted">times in UTC · {refresh} · {durationText(range.step)} per point</span>
      </div>
      <ErrorText error={data.error} />
      {snapshot === undefined ? <p>Loading…</p> : (
        <dl class="facts totals" aria-label="Totals over the range" data-range={range.label}>
          <dt>RequestCount</dt><dd data-metric="RequestCount">{total(snapshot.metrics.RequestCount)}</dd>
          <dt>Latency (average)</dt><dd data-metric="Latency">{latency === null ? '—' : `${(latency * 1000).toFixed(2)} ms`}</dd>
          <dt>HTTPCode_Backend_2XX</dt><dd data-metric="HTTPCode_Backend_2XX">{total(snapshot.metrics.HTTPCode_Backend_2XX)}</dd>
          <dt>HTTPCode_ELB_5XX</dt><dd data-metric="HTTPCode_ELB_5XX">{total(snapshot.metrics.HTTPCode_ELB_5XX)}</dd>
        </dl>
      )}
      <AlarmList lb={lb.name} alarms={alarms.value} error={alarms.error} reload={alarms.reload} />
      {snapshot === undefined ? null : (
        <div class="charts">
          {CHARTS.map((chart) => {
            const spec = {...chart, series: seriesOf(chart, range.source)}
            const open = alarmOn === chart.title
            return (
              <figure key={`${chart.title}-${range.label}`}>
                <figcaption>
                  {chart.title}{' '}
                  <button type="button" class="small" aria-expanded={open} aria-label={`Create alarm on ${chart.title}`} onClick={() => { setAlarmOn(open ? undefined : chart.title) }}>Create alarm</button>
                </figcaption>
                <Chart spec={spec} snapshot={snapshot} />
                {open ? <AlarmForm lb={lb.name} spec={chart} onCancel={() => { setAlarmOn(undefined) }} onCreated={() => { setAlarmOn(undefined); alarms.reload() }} /> : null}
              </figure>
            )
          })}
        </div>
      )}
    </>
  )
}
