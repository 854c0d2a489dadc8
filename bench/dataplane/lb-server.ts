/**
 * Benchmark helper: runs the real DataPlane alone (no API) with one load balancer whose listeners
 * are given on the command line, every instance always routable — or, with `--health-check
 * INTERVAL`, probed by the real HealthChecker (TCP, thresholds 2; used by bench/failover.sh) — and,
 * as in the engine, the metrics observer recording every exchange (`--no-metrics` leaves it out,
 * to measure what the metrics cost; `--idle-timeout SECONDS`: the LB's idle timeout, default 60).
 *
 *   node lb-server.js --address 127.1.0.1 --backends 127.0.0.2,127.0.0.3 --instance-port 8080 \
 *     --http 8000 --https 8443 --tcp 9000 --cert cert.pem --key key.pem
 */
import {readFileSync} from 'node:fs'
import {parseArgs} from 'node:util'
import {DataPlane} from '../../src/engine/dataplane/index.js'
import {HealthChecker} from '../../src/engine/health/checker.js'
import type {HealthSource} from '../../src/engine/health/types.js'
import type {EngineState, ListenerRecord} from '../../src/engine/model/types.js'
import {metricsObserver} from '../../src/engine/metrics/observer.js'
import {MetricsStore} from '../../src/engine/metrics/store.js'

const {values} = parseArgs({
  options: {
    address: {type: 'string', default: '127.1.0.1'},
    backends: {type: 'string', default: '127.0.0.2,127.0.0.3'},
    'instance-port': {type: 'string', default: '8080'},
    http: {type: 'string'},
    https: {type: 'string'},
    tcp: {type: 'string'},
    cert: {type: 'string'},
    key: {type: 'string'},
    'health-check': {type: 'string'},
    'no-metrics': {type: 'boolean', default: false},
    'idle-timeout': {type: 'string', default: '60'},
  },
})

const alwaysUp: HealthSource = {
  unknownRoutable: true,
  connect: () => () => undefined,
}
const probeInterval = values['health-check'] === undefined ? undefined : Number(values['health-check'])

const instancePort = Number(values['instance-port'])
const arn = 'arn:aws:iam::123456789012:server-certificate/bench'
const listeners: ListenerRecord[] = []
if (values.http) listeners.push({protocol: 'HTTP', loadBalancerPort: Number(values.http), instanceProtocol: 'HTTP', instancePort, policyNames: []})
if (values.https) listeners.push({protocol: 'HTTPS', loadBalancerPort: Number(values.https), instanceProtocol: 'HTTP', instancePort, sslCertificateId: arn, policyNames: []})
if (values.tcp) listeners.push({protocol: 'TCP', loadBalancerPort: Number(values.tcp), instanceProtocol: 'TCP', instancePort, policyNames: []})

const state: EngineState = {
  formatVersion: 1,
  accountId: '123456789012',
  regions: {
    'us-east-1': {
      instances: (values.backends ?? '').split(',').map((ip, i) => ({instanceId: `i-bench${i}`, privateIp: ip, availabilityZone: 'us-east-1a', state: 'running' as const, launchTime: '', serve: []})),
      loadBalancers: [{
        name: 'bench', dnsName: 'bench-1.us-east-1.elb.amazonaws.com', createdTime: new Date().toISOString(), scheme: 'internet-facing',
        localAddress: values.address ?? '127.1.0.1', availabilityZones: ['us-east-1a'], subnets: [], securityGroups: [], listeners,
        backendServers: [], policies: [], healthCheck: {target: `TCP:${instancePort}`, interval: probeInterval ?? 30, timeout: Math.min(5, probeInterval ?? 5), unhealthyThreshold: 2, healthyThreshold: 2},
        instances: (values.backends ?? '').split(',').map((ip, i) => ({instanceId: `i-bench${i}`, privateIp: ip, availabilityZone: 'us-east-1a', registeredAt: new Date().toISOString()})),
        attributes: {crossZoneLoadBalancing: true, accessLog: {enabled: false}, connectionDraining: {enabled: false, timeout: 300}, idleTimeout: Number(values['idle-timeout']), additional: []},
        tags: [],
      }],
    },
  },
  iam: {
    serverCertificates: values.cert && values.key
      ? [{name: 'bench', id: 'ASCABENCH', path: '/', arn, certificateBody: readFileSync(values.cert, 'utf8'), privateKey: readFileSync(values.key, 'utf8'),
        uploadDate: new Date().toISOString(), expiration: new Date(Date.now() + 86_400_000).toISOString(), tags: []}]
      : [],
  },
}

const checker = probeInterval === undefined ? undefined : new HealthChecker({log: line => console.error(line)})
checker?.apply(state)
const metrics = new MetricsStore()
const dataPlane = new DataPlane({
  health: checker ?? alwaysUp, portOffset: 0, log: line => console.error(line),
  ...(values['no-metrics'] === true ? {} : {observe: lb => metricsObserver(metrics.forLoadBalancer(lb.region, lb.loadBalancerName))}),
})
await dataPlane.apply(state)
if (checker !== undefined) {
  // Start with every instance InService (the first passing probe does it).
  while (checker.summary().some(t => !t.routable)) await new Promise(resolve => setTimeout(resolve, 50))
}
for (const status of dataPlane.listenerStatus()) console.log(`${status.protocol}:${status.loadBalancerPort} ${status.state}${status.error ? ` ${status.error}` : ''}`)
console.log('ready')
process.on('SIGTERM', () => void dataPlane.close().then(() => process.exit(0)))
