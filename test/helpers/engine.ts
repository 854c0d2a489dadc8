/**
 * Starts the whole engine in-process on a free port with a temporary home and a small time scale,
 * and hands out real SDK clients pointed at it. Each engine claims its own instance network
 * (127.0.N.x) and load-balancer network (127.N.x.y) for its lifetime (`networks.ts`), so engines in
 * parallel test files never share an address.
 */
import {mkdtempSync, rmSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {ElasticLoadBalancingClient} from '@aws-sdk/client-elastic-load-balancing'
import {IAMClient} from '@aws-sdk/client-iam'
import {AdminClient, type RunInstancesRequest} from '../../src/lib/local/admin-client.js'
import {startEngine, type Engine, type EngineOptions} from '../../src/engine/main.js'
import type {InstanceRecord} from '../../src/engine/model/types.js'
import {claimInstanceNetwork, claimLoadBalancerNetwork} from './networks.js'

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true'

export const TEST_CREDENTIALS = {accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY'}

export interface TestEngineOptions {
  /** Default 0.01: a 30 s health-check interval lasts 300 ms. */
  readonly timeScale?: number
  readonly portOffset?: number
  readonly region?: string
  readonly firstSuccessEnough?: boolean
  /** Reuse a home (e.g. to test a restart); by default a fresh temp dir removed on close. */
  readonly home?: string
  /** Collect the engine's log lines here (default: dropped). */
  readonly log?: (line: string) => void
  /** Access key → secret: signatures verified, admin API for the owner only (`--credentials`). */
  readonly credentials?: ReadonlyMap<string, string>
  /** The hosts file `hosts --sync` writes (default: none the test did not choose, a path under the home). */
  readonly hostsFile?: string
  /** The account a new state is (`--platform`; default vpc). */
  readonly platform?: 'vpc' | 'ec2-classic'
}

export interface TestEngine {
  readonly engine: Engine
  readonly endpoint: string
  readonly home: string
  readonly region: string
  readonly elb: ElasticLoadBalancingClient
  readonly iam: IAMClient
  readonly admin: AdminClient
  runInstances(request?: RunInstancesRequest): Promise<InstanceRecord[]>
  stopInstances(...ids: string[]): Promise<InstanceRecord[]>
  startInstances(...ids: string[]): Promise<InstanceRecord[]>
  terminateInstances(...ids: string[]): Promise<InstanceRecord[]>
  close(): Promise<void>
}

export async function startTestEngine(options: TestEngineOptions = {}): Promise<TestEngine> {
  const region = options.region ?? 'us-east-1'
  const ownHome = options.home === undefined
  const home = options.home ?? mkdtempSync(join(tmpdir(), 'elb-local-test-'))
  const instanceNetwork = await claimInstanceNetwork()
  const loadBalancerNetwork = await claimLoadBalancerNetwork()
  const engineOptions: EngineOptions = {
    home,
    host: '127.0.0.1',
    port: 0,
    portOffset: options.portOffset ?? 0,
    timeScale: options.timeScale ?? 0.01,
    defaultRegion: region,
    instanceNetwork: instanceNetwork.block,
    // Its own load-balancer /16 too, so parallel engines never share 127.1.0.1:80.
    loadBalancerNetwork: loadBalancerNetwork.block,
    ...(options.firstSuccessEnough === undefined ? {} : {firstSuccessEnough: options.firstSuccessEnough}),
    ...(options.log === undefined ? {} : {log: options.log}),
    ...(options.credentials === undefined ? {} : {credentials: options.credentials}),
    ...(options.platform === undefined ? {} : {platform: options.platform}),
    dns: {hostsFile: options.hostsFile ?? join(home, 'hosts')},
  }
  let engine: Engine
  try {
    engine = await startEngine(engineOptions)
  } catch (error) {
    await Promise.all([instanceNetwork.release(), loadBalancerNetwork.release()])
    throw error
  }
  const clientConfig = {endpoint: engine.endpoint, region, credentials: TEST_CREDENTIALS, maxAttempts: 1}
  const elb = new ElasticLoadBalancingClient(clientConfig)
  const iam = new IAMClient(clientConfig)
  // It sends the owner token the engine wrote to its home, as elb-local does.
  const admin = new AdminClient(engine.endpoint, home)
  return {
    engine, endpoint: engine.endpoint, home, region, elb, iam, admin,
    runInstances: async (request = {}) => [...await admin.runInstances(request)],
    stopInstances: async (...ids) => [...(await admin.changeInstances('stop', ids)).instances],
    startInstances: async (...ids) => [...(await admin.changeInstances('start', ids)).instances],
    terminateInstances: async (...ids) => [...(await admin.changeInstances('terminate', ids)).instances],
    async close() {
      elb.destroy()
      iam.destroy()
      await engine.close()
      await Promise.all([instanceNetwork.release(), loadBalancerNetwork.release()])
      if (ownHome) rmSync(home, {recursive: true, force: true})
    },
  }
}

/** Polls `check` until it returns a value other than undefined, or fails after `timeoutMs`. */
export async function eventually<T>(check: () => Promise<T | undefined> | T | undefined, timeoutMs = 10_000, what = 'condition'): Promise<T> {
  const deadline = Date.now() + timeoutMs
  let last: unknown
  for (;;) {
    try {
      const value = await check()
      if (value !== undefined) return value
    } catch (error) {
      last = error
    }
    if (Date.now() > deadline) {
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${last instanceof Error ? `: ${last.message}` : ''}`)
    }
    await new Promise((resolve) => setTimeout(resolve, 25))
  }
}
