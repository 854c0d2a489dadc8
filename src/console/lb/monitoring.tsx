/** Monitoring: live charts (uPlot) of the metrics the data plane measured, refreshed every 2 s. */
import {useEffect, useRef, useState} from 'preact/hooks'
import uPlot from 'uplot'
import 'uplot/dist/uPlot.min.css'
import {METRICS_PREFIX} from '../../engine/constants.js'
import {engineJson, region} from '../api.js'
import type {LoadBalancer} from '../elb.js'
import {utcClock, utcTick} from '../time.js'
import {ErrorText, usePolling} from '../ui.js'

interface Snapshot {
  readonly timestamps: number[]
  readonly step: number
  readonly metrics: Record<string, (number | null)[]>
}

const RANGES: readonly [string, number, number][] = [['5 min', 300, 1], ['15 min', 900, 3], ['1 h', 3600, 12]]
const REFRESH_MS = 2000

interface ChartSpec {
  readonly title: string
  readonly series: readonly {metric: string; label: string; color: string; scale?: number}[]
  readonly unit: string
}

const CHARTS: readonly ChartSpec[] = [
  {title: 'RequestCount', unit: 'requests', series: [{metric: 'RequestCount', label: 'RequestCount', color: '#1f6feb'}]},
  {title: 'Latency', unit: 'ms', series: [
    {metric: 'Latency', label: 'Latency (average)', color: '#2da44e', scale: 1000},
    {metric: 'LatencyP99', label: 'Latency (p99)', color: '#bf8700', scale: 1000},
  ]},
  {title: 'HTTP codes', unit: 'responses', series: [
    {metric: 'HTTPCode_Backend_2XX', label: 'Backend 2XX', color: '#2da44e'},
    {metric: 'HTTPCode_Backend_3XX', label: 'Backend 3XX', color: '#8250df'},
    {metric: 'HTTPCode_Backend_4XX', label: 'Backend 4XX', color: '#bf8700'},
    {metric: 'HTTPCode_Backend_5XX', label: 'Backend 5XX', color: '#cf222e'},
    {metric: 'HTTPCode_ELB_4XX', label: 'ELB 4XX', color: '#9a6700'},
    {metric: 'HTTPCode_ELB_5XX', label: 'ELB 5XX', color: '#82071e'},
  ]},
  {title: 'Hosts', unit: 'instances', series: [
    {metric: 'HealthyHostCount', label: 'HealthyHostCount', color: '#2da44e'},
    {metric: 'UnHealthyHostCount', label: 'UnHealthyHostCount', color: '#cf222e'},
  ]},
  {title: 'BackendConnectionErrors', unit: 'errors', series: [{metric: 'BackendConnectionErrors', label: 'BackendConnectionErrors', color: '#cf222e'}]},
]

function chartData(spec: ChartSpec, snapshot: Snapshot): uPlot.AlignedData {
  return [snapshot.timestamps, ...spec.series.map((series) =>
    (snapshot.metrics[series.metric] ?? []).map((value) => value === null ? null : value * (series.scale ?? 1)))]
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

function total(values: readonly (number | null)[] | undefined): number {
  return (values ?? []).reduce<number>((sum, value) => sum + (value ?? 0), 0)
}

function weightedLatency(snapshot: Snapshot): number | null {
  let sum = 0
  let count = 0
  snapshot.metrics.Latency?.forEach((value, index) => {
    const requests = snapshot.metrics.RequestCount?.[index] ?? 0
    if (value !== null && requests > 0) { sum += value * requests; count += requests }
  })
  return count === 0 ? null : sum / count
}

export function MonitoringTab({lb}: {lb: LoadBalancer}) {
  const [range, setRange] = useState(RANGES[0] ?? ['5 min', 300, 1])
  const [, seconds, step] = range
  const data = usePolling(() => engineJson<Snapshot>(
    `${METRICS_PREFIX}/load-balancers/${encodeURIComponent(lb.name)}?region=${encodeURIComponent(region())}&range=${seconds}&step=${step}`,
  ), [lb.name, seconds], REFRESH_MS)
  const snapshot = data.value
  const latency = snapshot === undefined ? null : weightedLatency(snapshot)
  return (
    <>
      <div class="toolbar">
        <fieldset class="segmented"><legend>Time range</legend>
          {RANGES.map((option) => (
            <label key={option[0]} class="choice"><input type="radio" name="range" checked={option[0] === range[0]} onChange={() => { setRange(option) }} /> {option[0]}</label>
          ))}
        </fieldset>
        <span class="muted">times in UTC · refreshes every {REFRESH_MS / 1000} s · {step} s per point</span>
      </div>
      <ErrorText error={data.error} />
      {snapshot === undefined ? <p>Loading…</p> : (
        <>
          <dl class="facts totals" aria-label="Totals over the range">
            <dt>RequestCount</dt><dd data-metric="RequestCount">{total(snapshot.metrics.RequestCount)}</dd>
            <dt>Latency (average)</dt><dd data-metric="Latency">{latency === null ? '—' : `${(latency * 1000).toFixed(2)} ms`}</dd>
            <dt>HTTPCode_Backend_2XX</dt><dd data-metric="HTTPCode_Backend_2XX">{total(snapshot.metrics.HTTPCode_Backend_2XX)}</dd>
            <dt>HTTPCode_ELB_5XX</dt><dd data-metric="HTTPCode_ELB_5XX">{total(snapshot.metrics.HTTPCode_ELB_5XX)}</dd>
          </dl>
          <div class="charts">
            {CHARTS.map((spec) => <figure key={`${spec.title}-${seconds}`}><figcaption>{spec.title}</figcaption><Chart spec={spec} snapshot={snapshot} /></figure>)}
          </div>
        </>
      )}
    </>
  )
}
