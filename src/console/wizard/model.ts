/**
 * The Create Load Balancer wizard's choices and what they become: the same API calls, in the same
 * order, that a CLI user following the guide makes (iam-servercertupload, elb-create-lb,
 * elb-create-lb-policy + elb-set-lb-policies-of-listener, the back-end authentication policies +
 * elb-set-lb-policies-for-backend-server, elb-configure-healthcheck, elb-register-instances-with-lb).
 * A failure midway removes what was created (load balancer first, then the uploaded certificate).
 */
import {ApiError} from '../api.js'
import {CIPHER_POLICY_TYPE, policyAttributes} from '../cipher-choice.js'
import {isSecure, POLICY_TYPES} from '../../engine/model/elb/vocabulary.js'
import * as elb from '../elb.js'
import {deleteServerCertificate, uploadServerCertificate} from '../iam.js'

export const PROTOCOLS: readonly [string, string][] = [
  ['HTTP', 'HTTP'], ['HTTPS', 'HTTPS (Secure HTTP)'], ['TCP', 'TCP'], ['SSL', 'SSL (Secure TCP)'],
]
export const DEFAULT_PORT: Record<string, string> = {HTTP: '80', HTTPS: '443', TCP: '80', SSL: '443'}

export interface ListenerRow {
  protocol: string
  loadBalancerPort: string
  instanceProtocol: string
  instancePort: string
}

export interface BackendCertificate {
  name: string
  body: string
}

export type StepName = 'define' | 'certificate' | 'ciphers' | 'backend' | 'healthcheck' | 'instances' | 'review'

/**
 * Where the load balancer goes in a VPC account; `vpcId` '' on EC2-Classic. Without subnets (allowed
 * in the default VPC) it goes by the zones of its instances, into their default subnets.
 */
export interface NetworkChoice {
  vpcId: string
  isDefaultVpc: boolean
  /** Availability Zone → the subnet chosen there (one per zone, as ELB requires). */
  subnets: Record<string, string>
  securityGroupIds: string[]
  internal: boolean
}

export interface WizardState {
  name: string
  listeners: ListenerRow[]
  certificateMode: 'existing' | 'upload'
  existingArn: string
  upload: {name: string; privateKey: string; body: string; chain: string}
  /** A predefined policy name, or 'Custom'. */
  cipherPolicy: string
  custom: Record<string, boolean>
  backendAuthentication: boolean
  backendCertificates: BackendCertificate[]
  healthCheck: {protocol: string; port: string; path: string; timeout: string; interval: string; unhealthy: string; healthy: string}
  instanceIds: string[]
  network: NetworkChoice
}

export function initialState(): WizardState {
  return {
    name: '',
    listeners: [{protocol: 'HTTP', loadBalancerPort: '80', instanceProtocol: 'HTTP', instancePort: '80'}],
    certificateMode: 'existing',
    existingArn: '',
    upload: {name: '', privateKey: '', body: '', chain: ''},
    cipherPolicy: 'ELBSample-ELBDefaultCipherPolicy',
    custom: {},
    backendAuthentication: false,
    backendCertificates: [{name: '', body: ''}],
    healthCheck: {protocol: 'HTTP', port: '80', path: '/index.html', timeout: '5', interval: '30', unhealthy: '2', healthy: '10'},
    instanceIds: [],
    network: {vpcId: '', isDefaultVpc: false, subnets: {}, securityGroupIds: [], internal: false},
  }
}

/** The subnets chosen, one per zone, in zone order. */
export function chosenSubnets(network: NetworkChoice): string[] {
  return Object.keys(network.subnets).sort().map((zone) => network.subnets[zone] ?? '').filter((subnet) => subnet !== '')
}

/** The steps this configuration walks through (certificate, ciphers and back-end only when needed). */
export function stepsFor(state: WizardState): StepName[] {
  const secureFront = state.listeners.some((listener) => isSecure(listener.protocol))
  const secureBack = state.listeners.some((listener) => isSecure(listener.instanceProtocol))
  return [
    'define',
    ...(secureFront ? ['certificate', 'ciphers'] as const : []),
    ...(secureBack ? ['backend'] as const : []),
    'healthcheck', 'instances', 'review',
  ]
}

export function healthCheckTarget(check: WizardState['healthCheck']): string {
  const path = check.protocol === 'HTTP' || check.protocol === 'HTTPS' ? check.path : ''
  return `${check.protocol}:${check.port}${path}`
}

export const sslPolicyName = (lb: string) => `AWSConsole-SSLNegotiationPolicy-${lb}`
export const backendPolicyName = (lb: string) => `AWSConsole-BackendServerAuthenticationPolicy-${lb}`

/** The base64 body of a PEM certificate, as the PublicKey attribute takes it (no armour, no white space). */
export function pemBody(pem: string): string {
  return pem.replace(/-----(BEGIN|END) [A-Z0-9 ]+-----/g, '').replace(/\s+/g, '')
}

/** Where an error of a step shows: the wizard returns to `step` and shows it next to `field`. */
export class StepError extends Error {
  constructor(readonly step: StepName, readonly field: string, override readonly cause: unknown) {
    super(cause instanceof Error ? cause.message : String(cause))
    this.name = 'StepError'
  }
}

/** The wizard's own words when the name is taken (CreateLoadBalancer would succeed for an identical one). */
export function nameInUse(name: string): ApiError {
  return new ApiError('DuplicateLoadBalancerName', `Load Balancer named '${name}' already exists.`, 400)
}

/** The certificate field an IAM upload error concerns. */
export function uploadField(error: unknown): string {
  const message = error instanceof Error ? error.message.toLowerCase() : ''
  if (message.includes('chain')) return 'chain'
  if (/private key|privatekey|key algorithm|key size/.test(message)) return 'privateKey'
  if (error instanceof ApiError && (error.code === 'EntityAlreadyExists' || message.includes('name'))) return 'name'
  return 'body'
}

/** A CreateLoadBalancer error belongs with the certificate, the listeners or the name. */
function createError(error: unknown): StepError {
  const message = error instanceof Error ? error.message : ''
  const code = error instanceof ApiError ? error.code : ''
  if (code === 'InvalidSecurityGroup' || /security group/i.test(message)) return new StepError('define', 'groups', error)
  if (/subnet|VPC|internet gateway/i.test(message) || code === 'InvalidSubnet') return new StepError('define', 'subnets', error)
  if (/certificate/i.test(message)) return new StepError('certificate', 'existing', error)
  if (/listener|port|protocol/i.test(message)) return new StepError('define', 'listeners', error)
  return new StepError('define', 'name', error)
}

async function step<T>(where: StepName, field: string | ((error: unknown) => string), run: () => Promise<T>): Promise<T> {
  try {
    return await run()
  } catch (error) {
    throw new StepError(where, typeof field === 'string' ? field : field(error), error)
  }
}

/** Runs the API calls; on failure removes what it created and throws a StepError. */
export async function createFromWizard(state: WizardState, zones: readonly string[], onProgress: (line: string) => void): Promise<string> {
  const name = state.name
  let uploadedName: string | undefined
  let created = false
  try {
    if (await step('define', 'name', () => elb.loadBalancerExists(name))) throw new StepError('define', 'name', nameInUse(name))
    let certificateArn: string | undefined
    if (stepsFor(state).includes('certificate')) {
      if (state.certificateMode === 'upload') {
        onProgress(`UploadServerCertificate ${state.upload.name}`)
        certificateArn = await step('certificate', uploadField, () => uploadServerCertificate(state.upload))
        uploadedName = state.upload.name
      } else {
        certificateArn = state.existingArn
      }
    }
    onProgress(`CreateLoadBalancer ${name}`)
    const listeners = state.listeners.map((row) => ({
      protocol: row.protocol, loadBalancerPort: Number(row.loadBalancerPort),
      instanceProtocol: row.instanceProtocol, instancePort: Number(row.instancePort),
      sslCertificateId: isSecure(row.protocol) ? certificateArn : undefined,
    }))
    const network = state.network
    const subnets = chosenSubnets(network)
    const placement: elb.Placement = {
      ...(subnets.length > 0 ? {subnets} : {zones}),
      securityGroups: network.securityGroupIds,
      internal: network.internal,
    }
    const dnsName = await elb.createLoadBalancer(name, listeners, placement).catch((error: unknown) => {
      throw createError(error)
    })
    created = true
    const securePorts = listeners.filter((listener) => isSecure(listener.protocol)).map((listener) => listener.loadBalancerPort)
    if (securePorts.length > 0) {
      const attributes = policyAttributes({policy: state.cipherPolicy, custom: state.custom})
      onProgress(`CreateLoadBalancerPolicy ${sslPolicyName(name)}`)
      await step('ciphers', 'policy', () => elb.createPolicy(name, sslPolicyName(name), CIPHER_POLICY_TYPE, attributes))
      for (const port of securePorts) {
        onProgress(`SetLoadBalancerPoliciesOfListener ${port}`)
        await step('ciphers', 'policy', () => elb.setPoliciesOfListener(name, port, [sslPolicyName(name)]))
      }
    }
    if (stepsFor(state).includes('backend') && state.backendAuthentication) {
      for (const [index, certificate] of state.backendCertificates.entries()) {
        onProgress(`CreateLoadBalancerPolicy ${certificate.name}`)
        await step('backend', `certificate-${index}`, () => elb.createPolicy(name, certificate.name, POLICY_TYPES.publicKey, [['PublicKey', pemBody(certificate.body)]]))
      }
      onProgress(`CreateLoadBalancerPolicy ${backendPolicyName(name)}`)
      await step('backend', 'policy', () => elb.createPolicy(name, backendPolicyName(name), POLICY_TYPES.backendServerAuthentication,
        state.backendCertificates.map((certificate) => ['PublicKeyPolicyName', certificate.name])))
      const ports = [...new Set(listeners.filter((listener) => isSecure(listener.instanceProtocol)).map((listener) => listener.instancePort))]
      for (const port of ports) {
        onProgress(`SetLoadBalancerPoliciesForBackendServer ${port}`)
        await step('backend', 'policy', () => elb.setPoliciesForBackend(name, port, [backendPolicyName(name)]))
      }
    }
    onProgress('ConfigureHealthCheck')
    const check = state.healthCheck
    await step('healthcheck', 'target', () => elb.configureHealthCheck(name, {
      target: healthCheckTarget(check), interval: Number(check.interval), timeout: Number(check.timeout),
      unhealthyThreshold: Number(check.unhealthy), healthyThreshold: Number(check.healthy),
    }))
    if (state.instanceIds.length > 0) {
      onProgress(`RegisterInstancesWithLoadBalancer ${state.instanceIds.join(' ')}`)
      await step('instances', 'instances', () => elb.registerInstances(name, state.instanceIds))
    }
    return dnsName
  } catch (error) {
    if (created) {
      onProgress(`DeleteLoadBalancer ${name} (undoing)`)
      await elb.deleteLoadBalancer(name).catch(() => undefined)
    }
    if (uploadedName !== undefined) {
      onProgress(`DeleteServerCertificate ${uploadedName} (undoing)`)
      await deleteServerCertificate(uploadedName).catch(() => undefined)
    }
    throw error instanceof StepError ? error : new StepError('review', 'create', error)
  }
}
