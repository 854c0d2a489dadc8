// Preloaded into the engine by bench/scale.mjs (node --import): on SIGUSR2 the engine prints how
// long its event loop was held (max and p99 since the last report) on stderr, then starts afresh.
// That is the stall every listener sees, measured inside the engine rather than through wrk.
import {monitorEventLoopDelay} from 'node:perf_hooks'

const histogram = monitorEventLoopDelay({resolution: 1})
histogram.enable()
process.on('SIGUSR2', () => {
  process.stderr.write(`loop-delay max=${(histogram.max / 1e6).toFixed(2)} p99=${(histogram.percentile(99) / 1e6).toFixed(2)}\n`)
  histogram.reset()
})
