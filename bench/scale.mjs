// State-scale benchmark (bench/scale.sh runs it): what a write costs, whether writes stall traffic,
// restart and Describe times as the state grows, and health-check CPU as instances grow.
//
//   node bench/scale.mjs --repo DIR [--lbs 100,1000,6000] [--instances 1000,10000] [--wrk-seconds 5]
//
// DIR is the checkout whose dist/ is measured (this one, or an older commit for a "before" run).
// The state is written through that checkout's own Store in one write (the API's quota is 20 load
// balancers per region), then the engine (DIR/dist/engine/cli-entry.js) runs as a child process
// and everything else goes through the real API on loopback. Bounded in count and time.
import {spawn, spawnSync} from 'node:child_process'
import {mkdtempSync, readFileSync, rmSync} from 'node:fs'
import {createServer} from 'node:http'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {parseArgs} from 'node:util'
import {
  AddTagsCommand, DescribeInstanceHealthCommand, DescribeLoadBalancersCommand, ElasticLoadBalancingClient,
} from '@aws-sdk/client-elastic-load-balancing'

const {values} = parseArgs({options: {
  repo: {type: 'string'}, lbs: {type: 'string', default: '100,1000,6000'},
  instances: {type: 'string', default: '1000,10000'}, 'wrk-seconds': {type: 'string', default: '5'},
  'cpu-seconds': {type: 'string', default: '10'},
}})
const REPO = values.repo ?? process.cwd()
const WRK_SECONDS = Number(values['wrk-seconds'])
const CPU_SECONDS = Number(values['cpu-seconds'])
const REGION = 'us-east-1'
// Addresses no test engine picks (tests use 127.0.2-251.x and 127.100-249.x.y).
const LB_NETWORK = '127.97'
const INSTANCE_IP = '127.96.0.2'
const LB_PORT = 28080
const BACKEND_PORT = 28090
const HEALTH_INTERVAL = 5
const LOOP_DELAY = new URL('./loop-delay.mjs', import.meta.url).href
const CREDENTIALS = {accessKeyId: 'AKIDBENCH', secretAccessKey: 'bench-secret'}
const {Store} = await import(join(REPO, 'dist', 'engine', 'model', 'store.js'))

const lbName = (n) => `lb-${String(n).padStart(5, '0')}`
const lbAddress = (n) => `${LB_NETWORK}.${Math.floor(n / 254)}.${(n % 254) + 1}`
const instanceId = (n) => `i-${n.toString(16).padStart(8, '0')}`
const quantile = (sorted, q) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]
const ms = (value) => value.toFixed(value < 10 ? 2 : 0)

function loadBalancer(n, registered) {
  return {
    name: lbName(n), dnsName: `${lbName(n)}-1.${REGION}.elb.amazonaws.com`, createdTime: new Date().toISOString(),
    scheme: 'internet-facing', localAddress: lbAddress(n), availabilityZones: [`${REGION}a`], subnets: [], securityGroups: [],
    listeners: [{protocol: 'HTTP', loadBalancerPort: LB_PORT, instanceProtocol: 'HTTP', instancePort: BACKEND_PORT, policyNames: []}],
    backendServers: [], policies: [],
    healthCheck: {target: `HTTP:${BACKEND_PORT}/`, interval: HEALTH_INTERVAL, timeout: 2, unhealthyThreshold: 2, healthyThreshold: 2},
    instances: registered.map((id) => ({instanceId: id, privateIp: INSTANCE_IP, availabilityZone: `${REGION}a`, registeredAt: new Date().toISOString()})),
    attributes: {crossZoneLoadBalancing: false, accessLog: {enabled: false}, connectionDraining: {enabled: false, timeout: 300}, idleTimeout: 60,
      additional: [{key: 'elb.http.desyncmitigationmode', value: 'defensive'}]},
    tags: [],
  }
}

/** A home holding `lbCount` load balancers and `instanceCount` instances, 1,000 registered per LB from the first. */
async function makeHome(lbCount, instanceCount) {
  const home = mkdtempSync(join(tmpdir(), 'elb-scale-'))
  const ids = Array.from({length: instanceCount}, (_, n) => instanceId(n + 1))
  const store = Store.open(home)
  store.update((state) => {
    state.regions[REGION] = {
      loadBalancers: Array.from({length: lbCount}, (_, n) => loadBalancer(n, ids.slice(n * 1000, (n + 1) * 1000))),
      instances: ids.map((id) => ({instanceId: id, privateIp: INSTANCE_IP, availabilityZone: `${REGION}a`, state: 'running', launchTime: new Date().toISOString(), serve: []})),
    }
  })
  await store.durable?.()
  await store.compact?.()
  await store.close?.()
  return home
}

// Engines still running when the benchmark is stopped or fails are killed with it.
const children = new Set()
process.on('exit', () => { for (const child of children) child.kill('SIGKILL') })
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => { process.exit(130) })

/** Starts the engine; resolves when it logs that it listens (after every listener is bound). */
function startEngine(home) {
  const started = performance.now()
  const child = spawn(process.execPath, ['--import', LOOP_DELAY, join(REPO, 'dist', 'engine', 'cli-entry.js'), '--home', home, '--port', '0'], {
    stdio: ['ignore', 'ignore', 'pipe'], env: {...process.env, NODE_OPTIONS: '', AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true'},
  })
  children.add(child)
  child.once('exit', () => children.delete(child))
  return new Promise((resolve, reject) => {
    let log = ''
    const timer = setTimeout(() => { child.kill('SIGKILL'); reject(new Error(`engine did not start in 180 s:\n${log.slice(-2000)}`)) }, 180_000)
    child.stderr.on('data', (chunk) => {
      log += chunk.toString()
      const match = /engine listening on (\S+)/.exec(log)
      if (match === null) return
      clearTimeout(timer)
      child.stderr.removeAllListeners('data')
      const engine = {child, endpoint: match[1], seconds: (performance.now() - started) / 1000, onLoopDelay: undefined}
      let lines = ''
      child.stderr.on('data', (more) => {
        lines += more.toString()
        for (let end = lines.indexOf('\n'); end >= 0; end = lines.indexOf('\n')) {
          const delay = /^loop-delay max=([\d.]+) p99=([\d.]+)/.exec(lines.slice(0, end))
          lines = lines.slice(end + 1)
          if (delay !== null) engine.onLoopDelay?.({max: Number(delay[1]), p99: Number(delay[2])})
        }
      })
      resolve(engine)
    })
    child.once('exit', (code) => { clearTimeout(timer); reject(new Error(`engine exited (${code}):\n${log.slice(-2000)}`)) })
  })
}

/** The engine's event-loop delay since the last call (see loop-delay.mjs). */
function loopDelay(engine) {
  return new Promise((resolve) => {
    engine.onLoopDelay = resolve
    engine.child.kill('SIGUSR2')
  })
}

function stopEngine(engine) {
  return new Promise((resolve) => {
    engine.child.removeAllListeners('exit')
    engine.child.once('exit', resolve)
    engine.child.kill('SIGTERM')
  })
}

function client(endpoint) {
  return new ElasticLoadBalancingClient({endpoint, region: REGION, credentials: CREDENTIALS, maxAttempts: 1})
}

async function timed(run) {
  const started = performance.now()
  await run()
  return performance.now() - started
}

async function until(check, timeoutMs, what) {
  const deadline = Date.now() + timeoutMs
  for (;;) {
    if (await check()) return
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`)
    await new Promise((resolve) => setTimeout(resolve, 200))
  }
}

/** wrk through `url`; returns p99 (ms) and requests/s. */
function wrk(url, seconds) {
  return new Promise((resolve, reject) => {
    const child = spawn('wrk', ['-t1', '-c8', `-d${seconds}s`, '--latency', url], {stdio: ['ignore', 'pipe', 'inherit']})
    let out = ''
    child.stdout.on('data', (chunk) => (out += chunk.toString()))
    child.once('exit', () => {
      const p99 = /\s99%\s+([\d.]+)(us|ms|s)\b/.exec(out)
      const rps = /Requests\/sec:\s+([\d.]+)/.exec(out)
      if (p99 === null || rps === null) { reject(new Error(`cannot read wrk output:\n${out}`)); return }
      const factor = {us: 0.001, ms: 1, s: 1000}[p99[2]]
      resolve({p99: Number(p99[1]) * factor, rps: Number(rps[1])})
    })
  })
}

async function loadBalancerScenario(lbCount) {
  const home = await makeHome(lbCount, 1)
  try {
    const first = await startEngine(home)
    let engine = first
    let elb = client(engine.endpoint)
    await until(async () => {
      const health = await elb.send(new DescribeInstanceHealthCommand({LoadBalancerName: lbName(0)}))
      return health.InstanceStates?.[0]?.State === 'InService'
    }, 60_000, 'the instance InService')

    const describeAll = await timed(async () => {
      let marker
      do {
        const page = await elb.send(new DescribeLoadBalancersCommand({PageSize: 400, ...(marker === undefined ? {} : {Marker: marker})}))
        marker = page.NextMarker
      } while (marker !== undefined)
    })
    const describeOne = [];
    for (let k = 0; k < 5; k++) describeOne.push(await timed(() => elb.send(new DescribeLoadBalancersCommand({LoadBalancerNames: [lbName(lbCount - 1)]}))))

    const write = (k) => elb.send(new AddTagsCommand({LoadBalancerNames: [lbName(lbCount > 1 ? 1 : 0)], Tags: [{Key: 'bench', Value: String(k)}]}))
    const writes = []
    for (let k = 0; k < 30; k++) writes.push(await timed(() => write(k)))
    writes.sort((a, b) => a - b)

    const url = `http://${lbAddress(0)}:${LB_PORT}/`
    await wrk(url, 1)
    await loopDelay(engine)
    const quiet = await wrk(url, WRK_SECONDS)
    quiet.loop = await loopDelay(engine)
    let writing = true
    let k = 100
    const writer = (async () => {
      while (writing) {
        const started = Date.now()
        await write(k++)
        await new Promise((resolve) => setTimeout(resolve, Math.max(0, 1000 - (Date.now() - started))))
      }
    })()
    const busy = await wrk(url, WRK_SECONDS)
    busy.loop = await loopDelay(engine)
    writing = false
    await writer

    elb.destroy()
    await stopEngine(engine)
    engine = await startEngine(home)
    const restart = engine.seconds
    await stopEngine(engine)
    return {lbCount, firstStart: first.seconds, restart, describeAll, describeOne: describeOne.sort((a, b) => a - b)[2],
      writeP50: quantile(writes, 0.5), writeP95: quantile(writes, 0.95), quiet, busy}
  } finally {
    rmSync(home, {recursive: true, force: true})
  }
}

/** CPU seconds (user + system) the process has used, from /proc. */
function cpuSeconds(pid) {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ')
  const ticks = Number(spawnSync('getconf', ['CLK_TCK']).stdout.toString().trim() || 100)
  return (Number(fields[11]) + Number(fields[12])) / ticks
}

async function instanceScenario(instanceCount) {
  const lbCount = Math.ceil(instanceCount / 1000)
  const home = await makeHome(lbCount, instanceCount)
  try {
    const engine = await startEngine(home)
    const elb = client(engine.endpoint)
    await until(async () => {
      const health = await elb.send(new DescribeInstanceHealthCommand({LoadBalancerName: lbName(lbCount - 1)}))
      return health.InstanceStates?.every((state) => state.State === 'InService') === true
    }, 120_000, 'the instances InService')
    // Past the first round of probes (all started at once), measure a steady state.
    await new Promise((resolve) => setTimeout(resolve, HEALTH_INTERVAL * 1000))
    const before = cpuSeconds(engine.child.pid)
    const started = performance.now()
    await new Promise((resolve) => setTimeout(resolve, CPU_SECONDS * 1000))
    const cpu = cpuSeconds(engine.child.pid) - before
    const wall = (performance.now() - started) / 1000
    const probes = instanceCount * wall / HEALTH_INTERVAL
    const describe = []
    for (let k = 0; k < 5; k++) describe.push(await timed(() => elb.send(new DescribeInstanceHealthCommand({LoadBalancerName: lbName(0)}))))
    elb.destroy()
    await stopEngine(engine)
    const coreAt5 = cpu / wall
    return {instanceCount, coreAt5, coreAt30: coreAt5 * HEALTH_INTERVAL / 30, usPerProbe: cpu / probes * 1e6,
      describeHealth: describe.sort((a, b) => a - b)[2]}
  } finally {
    rmSync(home, {recursive: true, force: true})
  }
}

// The instances' back end: every probe and proxied request of every instance lands here.
const backend = createServer((req, res) => { res.writeHead(200, {'Content-Type': 'text/plain'}).end('ok\n') })
backend.keepAliveTimeout = 60_000
await new Promise((resolve, reject) => { backend.once('error', reject); backend.listen(BACKEND_PORT, INSTANCE_IP, resolve) })

const lbCounts = values.lbs === '' ? [] : values.lbs.split(',').map(Number)
const instanceCounts = values.instances === '' ? [] : values.instances.split(',').map(Number)
console.log(`state-scale benchmark of ${REPO} (${process.env.SCALE_LABEL ?? spawnSync('git', ['-C', REPO, 'log', '--oneline', '-1']).stdout.toString().trim()})`)
if (lbCounts.length > 0) {
  console.log('\n| LBs | write p50 / p95 (ms) | wrk p99 no writes → 1 write/s (ms) | req/s no writes → 1 write/s | engine event-loop delay max, no writes → 1 write/s (ms) | restart (s) | DescribeLoadBalancers all (paged) / one (ms) |')
  console.log('|---:|---:|---:|---:|---:|---:|---:|')
  for (const count of lbCounts) {
    const r = await loadBalancerScenario(count)
    console.log(`| ${r.lbCount} | ${ms(r.writeP50)} / ${ms(r.writeP95)} | ${ms(r.quiet.p99)} → ${ms(r.busy.p99)} | ${Math.round(r.quiet.rps)} → ${Math.round(r.busy.rps)} | ${ms(r.quiet.loop.max)} → ${ms(r.busy.loop.max)} | ${r.restart.toFixed(2)} | ${ms(r.describeAll)} / ${ms(r.describeOne)} |`)
  }
}
if (instanceCounts.length > 0) {
  console.log(`\n| instances | health-check CPU at ${HEALTH_INTERVAL} s interval (core) | ⇒ at 30 s interval | CPU per probe (µs) | DescribeInstanceHealth, 1,000 on one LB (ms) |`)
  console.log('|---:|---:|---:|---:|---:|')
  for (const count of instanceCounts) {
    const r = await instanceScenario(count)
    console.log(`| ${r.instanceCount} | ${(100 * r.coreAt5).toFixed(1)}% | ${(100 * r.coreAt30).toFixed(1)}% | ${Math.round(r.usPerProbe)} | ${ms(r.describeHealth)} |`)
  }
}
backend.close()
