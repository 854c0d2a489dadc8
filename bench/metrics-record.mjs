// Cost of recording one HTTP exchange into the metrics (the observer's work on the request path).
//   node bench/metrics-record.mjs   (after npm run build)
import {metricsObserver} from '../dist/engine/metrics/observer.js'
import {MetricsStore} from '../dist/engine/metrics/store.js'

const store = new MetricsStore()
const observer = metricsObserver(store.forLoadBalancer('us-east-1', 'bench'))
const record = {
  region: 'us-east-1', loadBalancerName: 'bench', listener: undefined, client: undefined, clientAddress: '127.0.0.1', clientPort: 1,
  instanceId: 'i-1', instanceHost: '127.0.0.2', request: undefined, status: 200, origin: 'backend', aborted: false,
  backendError: undefined, startedAt: 1, forwardedAt: 2, respondedAt: 3.5, endedAt: 4, receivedBytes: 0, sentBytes: 100,
}
const N = 5_000_000
for (let round = 0; round < 3; round++) {
  const heapBefore = process.memoryUsage().heapUsed
  const started = process.hrtime.bigint()
  for (let n = 0; n < N; n++) observer.onExchangeComplete(record)
  const ns = Number(process.hrtime.bigint() - started) / N
  console.log(`${ns.toFixed(1)} ns per exchange recorded; heap +${((process.memoryUsage().heapUsed - heapBefore) / 1024).toFixed(0)} KB over ${N} calls`)
}
