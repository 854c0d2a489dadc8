import {ElbService} from '../../../../src/engine/model/elb-service.js'
import {ServiceError} from '../../../../src/engine/model/errors.js'
import {Store, type Draft} from '../../../../src/engine/model/store.js'
import type {
  CertificateLookup,
  HealthView,
  InstanceHealth,
  InstanceRecord,
  RequestContext,
  ServerCertificateRecord,
} from '../../../../src/engine/model/types.js'

export const REGION = 'us-east-1'
export const CERT_ARN = 'arn:aws:iam::123456789012:server-certificate/production/myCert'
export const FIXED_NOW = new Date('2026-11-24T01:02:03.456Z')

/** A health view the test sets directly: the boundary of the unit under test. */
export class ScriptedHealth implements HealthView {
  readonly results = new Map<string, InstanceHealth>()
  readonly draining = new Map<string, string[]>()

  instanceHealth(region: string, lb: string, instanceId: string): InstanceHealth | undefined {
    return this.results.get(`${region}/${lb}/${instanceId}`)
  }

  drainingInstances(region: string, lb: string): readonly string[] {
    return this.draining.get(`${region}/${lb}`) ?? []
  }
}

/** Certificates the test declares known. */
export class KnownCertificates implements CertificateLookup {
  readonly arns = new Set<string>([CERT_ARN])

  serverCertificateByArn(arn: string): ServerCertificateRecord | undefined {
    if (!this.arns.has(arn)) return undefined
    return {
      name: arn.split('/').pop() ?? 'cert',
      id: 'ASCATESTCERTIFICATE01',
      path: '/',
      arn,
      certificateBody: '-----BEGIN CERTIFICATE-----\n-----END CERTIFICATE-----\n',
      privateKey: '-----BEGIN PRIVATE KEY-----\n-----END PRIVATE KEY-----\n',
      uploadDate: FIXED_NOW.toISOString(),
      expiration: '2030-01-01T00:00:00.000Z',
      tags: [],
    }
  }
}

export interface Harness {
  readonly store: Store
  readonly elb: ElbService
  readonly health: ScriptedHealth
  readonly certificates: KnownCertificates
  readonly ctx: RequestContext
  readonly ctxIn: (region: string) => RequestContext
  readonly addInstance: (instance: Partial<InstanceRecord> & {instanceId: string}, region?: string) => InstanceRecord
}

export function harness(): Harness {
  const store = Store.inMemory()
  const health = new ScriptedHealth()
  const certificates = new KnownCertificates()
  const elb = new ElbService(store, {health, certificates, now: () => FIXED_NOW})
  let ip = 10
  return {
    store,
    elb,
    health,
    certificates,
    ctx: {region: REGION, requestId: 'req-1'},
    ctxIn: (region) => ({region, requestId: 'req-2'}),
    addInstance: (partial, region = REGION) => {
      const instance: InstanceRecord = {
        privateIp: `127.0.0.${ip++}`,
        availabilityZone: `${region}a`,
        state: 'running',
        launchTime: FIXED_NOW.toISOString(),
        serve: [],
        ...partial,
      }
      store.updateRegion(region, (draft) => {
        draft.instances.push(structuredClone(instance) as Draft<InstanceRecord>)
      })
      return instance
    },
  }
}

/** Runs `call` and returns the ServiceError it threw (fails the test if it did not throw one). */
export function serviceError(call: () => unknown): ServiceError {
  try {
    call()
  } catch (error) {
    if (error instanceof ServiceError) return error
    throw error
  }
  throw new Error('expected a ServiceError, but the call succeeded')
}

export function expectError(call: () => unknown, code: string, message: string | RegExp): ServiceError {
  const error = serviceError(call)
  expect(error.code).toBe(code)
  if (typeof message === 'string') expect(error.message).toBe(message)
  else expect(error.message).toMatch(message)
  return error
}

export const HTTP_80 = {Protocol: 'HTTP', LoadBalancerPort: 80, InstanceProtocol: 'HTTP', InstancePort: 8080}
export const HTTPS_443 = {Protocol: 'HTTPS', LoadBalancerPort: 443, InstanceProtocol: 'HTTPS', InstancePort: 443, SSLCertificateId: CERT_ARN}
