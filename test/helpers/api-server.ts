import {mkdtempSync, rmSync} from 'node:fs'
import type {AddressInfo} from 'node:net'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {EC2ServiceException} from '@aws-sdk/client-ec2'
import {ElasticLoadBalancingClient, ElasticLoadBalancingServiceException} from '@aws-sdk/client-elastic-load-balancing'
import {IAMClient} from '@aws-sdk/client-iam'
import type {HttpHandler} from '../../src/engine/api/router.js'
import {createApiServer} from '../../src/engine/api/server.js'
import {verifySignatures} from '../../src/engine/api/signature/verify-signatures.js'
import type {ElbImplementation} from '../../src/engine/api/services/elb.js'
import type {ApiService} from '../../src/engine/api/service.js'
import {HealthChecker} from '../../src/engine/health/checker.js'
import {ElbService} from '../../src/engine/model/elb-service.js'
import {IamService} from '../../src/engine/model/iam-service.js'
import {InstanceService} from '../../src/engine/model/instance-service.js'
import {Store} from '../../src/engine/model/store.js'

/**
 * The engine's Query API on 127.0.0.1 (port 0) over a real Store in a temporary directory, with the
 * real IamService and ElbService, and SDK clients pointed at it. For tests that talk to the engine
 * through the AWS SDK: `const api = await startApiServer(); … await api.close()`.
 *
 * What it does not start: the data plane and demo instances (start them in the test if needed). A
 * real HealthChecker follows the store, so DescribeInstanceHealth reports real probes.
 */

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true'

export interface ApiServerHandle {
  readonly endpoint: string
  readonly port: number
  readonly elb: ElasticLoadBalancingClient
  readonly iam: IAMClient
  readonly store: Store
  readonly iamService: IamService
  /** The ELB handlers: the real ElbService unless the test passed its own. */
  readonly elbService: ElbImplementation
  readonly health: HealthChecker
  /** The local EC2 stand-in: `api.instances.runInstances('us-east-1', {...})` before registering. */
  readonly instances: InstanceService
  /** An ELB client for another region (its requests are scoped to that region). */
  elbIn(region: string): ElasticLoadBalancingClient
  /** Lines the server logged (errors and one line per request). */
  readonly log: readonly string[]
  close(): Promise<void>
}

export interface ApiServerHelperOptions {
  readonly defaultRegion?: string
  /** Replaces the ELB handlers (e.g. a scratch handler in an edge test). */
  readonly elb?: ElbImplementation
  /** The admin API handler (default: none, answered 404). */
  readonly admin?: HttpHandler
  /** Access key → secret: turns signature verification on (as `elb-local start --credentials`). */
  readonly credentials?: ReadonlyMap<string, string>
  /** The clock signatures are checked against (default: the real one). */
  readonly signatureClock?: () => Date
  readonly afterWrite?: () => Promise<void>
  readonly maxBodyBytes?: number
  readonly now?: () => Date
  readonly healthTimeScale?: number
  /** Further wire services mounted after ELB and IAM (a test service, EC2). */
  readonly services?: readonly ApiService[]
}

export const TEST_CREDENTIALS = {accessKeyId: 'AKIDLOCALTEST', secretAccessKey: 'local-test-secret'} as const

export async function startApiServer(options: ApiServerHelperOptions = {}): Promise<ApiServerHandle> {
  const dir = mkdtempSync(join(tmpdir(), 'elb-api-'))
  const store = Store.open(dir)
  const now = options.now
  const iamService = new IamService(store, now === undefined ? {} : {now})
  const health = new HealthChecker(options.healthTimeScale === undefined ? {} : {timeScale: options.healthTimeScale})
  const stopFollowing = store.onChange((state, changes) => { health.apply(state, changes); })
  const elbService = options.elb ?? new ElbService(store, {health: {instanceHealth: (r, l, i) => health.instanceHealth(r, l, i), drainingInstances: () => []}, certificates: iamService, ...(now === undefined ? {} : {now})})
  const instances = new InstanceService(store)
  const log: string[] = []
  const server = createApiServer({
    elb: elbService,
    iam: iamService,
    defaultRegion: options.defaultRegion ?? 'us-east-1',
    log: (line) => log.push(line),
    ...(options.afterWrite === undefined ? {} : {afterWrite: options.afterWrite}),
    ...(options.maxBodyBytes === undefined ? {} : {maxBodyBytes: options.maxBodyBytes}),
    ...(options.admin === undefined ? {} : {admin: options.admin}),
    ...(options.services === undefined ? {} : {services: options.services}),
    ...(options.credentials === undefined ? {} : {authenticator: verifySignatures({
      keys: options.credentials, defaultRegion: options.defaultRegion ?? 'us-east-1',
      ...(options.signatureClock === undefined ? {} : {now: options.signatureClock}),
    })}),
  })
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => { resolve(); })
  })
  const {port} = server.address() as AddressInfo
  const endpoint = `http://127.0.0.1:${port}/`
  const clients: {destroy(): void}[] = []
  const elbIn = (region: string): ElasticLoadBalancingClient => {
    const client = new ElasticLoadBalancingClient({region, endpoint, credentials: TEST_CREDENTIALS, maxAttempts: 1})
    clients.push(client)
    return client
  }
  const iam = new IAMClient({region: 'us-east-1', endpoint, credentials: TEST_CREDENTIALS, maxAttempts: 1})
  clients.push(iam)
  return {
    endpoint,
    port,
    elb: elbIn('us-east-1'),
    iam,
    store,
    iamService,
    elbService,
    health,
    instances,
    elbIn,
    log,
    async close() {
      for (const client of clients) client.destroy()
      stopFollowing()
      health.close()
      server.closeAllConnections()
      await new Promise<void>((resolve) => server.close(() => { resolve(); }))
      rmSync(dir, {recursive: true, force: true})
    },
  }
}

/**
 * A stand-in for the ELB model that has only some of its methods (an edge test's scratch): any
 * other method throws a plain Error, which the API answers as 500 InternalFailure.
 */
export function elbStandIn(partial: object): ElbImplementation {
  return new Proxy(partial, {
    get(target, key, receiver) {
      const value: unknown = Reflect.get(target, key, receiver)
      if (value !== undefined || typeof key !== 'string') return value
      return () => { throw new Error(`the stand-in has no ${key}()`) }
    },
  }) as ElbImplementation
}

/** The error of service class `type` a call fails with; fails the test if the call succeeds or fails otherwise. */
export async function serviceRejection<E extends Error>(promise: Promise<unknown>, type: abstract new (...args: never[]) => E): Promise<E> {
  try {
    await promise
  } catch (error) {
    if (error instanceof type) return error
    throw error
  }
  throw new Error('expected the call to fail')
}

/** The ELB service error a call fails with; fails the test if the call succeeds or fails otherwise. */
export function elbRejection(promise: Promise<unknown>): Promise<ElasticLoadBalancingServiceException> {
  return serviceRejection(promise, ElasticLoadBalancingServiceException)
}

/** The EC2 service error a call fails with; fails the test if the call succeeds or fails otherwise. */
export function ec2Rejection(promise: Promise<unknown>): Promise<EC2ServiceException> {
  return serviceRejection(promise, EC2ServiceException)
}

/** One unsigned ELB Query POST (Version 2012-06-01 unless given): the status and body as the engine sent them. */
export async function elbQuery(endpoint: string, params: Record<string, string>): Promise<{status: number; body: string}> {
  const response = await fetch(endpoint, {
    method: 'POST',
    headers: {'Content-Type': 'application/x-www-form-urlencoded; charset=utf-8'},
    body: new URLSearchParams({Version: '2012-06-01', ...params}).toString(),
  })
  return {status: response.status, body: await response.text()}
}
