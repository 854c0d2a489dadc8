/**
 * The console's only way to change anything: the engine's public ELB, IAM, EC2 and CloudWatch Query APIs, called
 * like any AWS client (form POST to the same origin, SigV4-signed with dummy credentials so the
 * credential scope carries the region), and AWS's errors surfaced as they come (code + message).
 */
import {Sha256} from '@aws-crypto/sha256-js'
import {SignatureV4} from '@smithy/signature-v4'
import {adminExchange, type AdminAnswer, type AdminRequest, type AdminRouteName} from '../engine/admin/routes.js'
import {child, children, text} from './xml.js'

export type Service = 'elb' | 'iam' | 'ec2' | 'cloudwatch'

const SERVICES: Record<Service, {version: string; signingName: string}> = {
  elb: {version: '2012-06-01', signingName: 'elasticloadbalancing'},
  iam: {version: '2010-05-08', signingName: 'iam'},
  ec2: {version: '2016-11-15', signingName: 'ec2'},
  cloudwatch: {version: '2010-08-01', signingName: 'monitoring'},
}

/** The engine does not check signatures unless started with credentials; these are AWS's example keys. */
const DUMMY_CREDENTIALS = {accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY'}

export class ApiError extends Error {
  constructor(readonly code: string, message: string, readonly status: number) {
    super(message)
    this.name = 'ApiError'
  }
}

export type Params = Record<string, string | number | boolean | undefined>

let currentRegion = 'us-east-1'
export function setRegion(region: string): void { currentRegion = region }
export function region(): string { return currentRegion }

const signers = new Map<string, SignatureV4>()
function signer(service: Service, signingRegion: string): SignatureV4 {
  const key = `${service}/${signingRegion}`
  let found = signers.get(key)
  if (found === undefined) {
    found = new SignatureV4({service: SERVICES[service].signingName, region: signingRegion, credentials: DUMMY_CREDENTIALS, sha256: Sha256})
    signers.set(key, found)
  }
  return found
}

function formBody(service: Service, action: string, params: Params): string {
  const form = new URLSearchParams({Action: action, Version: SERVICES[service].version})
  for (const [name, value] of Object.entries(params)) if (value !== undefined) form.append(name, String(value))
  return form.toString()
}

/** Calls one action; resolves to the `<ActionResult>` element (or the response root: EC2's answers have no Result). */
export async function call(service: Service, action: string, params: Params = {}): Promise<Element> {
  const body = formBody(service, action, params)
  const url = new URL('/', location.href)
  const signed = await signer(service, service === 'iam' ? 'us-east-1' : currentRegion).sign({
    method: 'POST', protocol: url.protocol, hostname: url.hostname, path: '/', query: {},
    ...(url.port === '' ? {} : {port: Number(url.port)}),
    headers: {host: url.host, 'content-type': 'application/x-www-form-urlencoded; charset=utf-8'},
    body,
  })
  const headers = Object.fromEntries(Object.entries(signed.headers).filter(([name]) => name.toLowerCase() !== 'host'))
  let response: Response
  try {
    response = await fetch(url, {method: 'POST', headers, body, credentials: 'same-origin'})
  } catch (error) {
    throw new ApiError('NetworkError', `The engine did not answer: ${String(error)}`, 0)
  }
  const xml = new DOMParser().parseFromString(await response.text(), 'text/xml')
  const root = xml.documentElement
  if (!response.ok || root.localName === 'ErrorResponse' || root.localName === 'Response') {
    // AWS Query's <ErrorResponse><Error>, or EC2's <Response><Errors><Error>.
    const error = child(root, 'Error') ?? child(child(root, 'Errors'), 'Error')
    throw new ApiError(text(error, 'Code') || `HTTP${response.status}`, text(error, 'Message') || response.statusText, response.status)
  }
  return child(root, `${action}Result`) ?? root
}

/** Flattened Query list parameters: `prefix.member.N` (1-based). */
export function members(prefix: string, values: readonly (string | number)[]): Params {
  return Object.fromEntries(values.map((value, index) => [`${prefix}.member.${index + 1}`, value]))
}

/** Flattened Query list of structures: `prefix.member.N.Field`. */
export function memberStructs(prefix: string, values: readonly Params[]): Params {
  const params: Params = {}
  values.forEach((value, index) => {
    for (const [field, fieldValue] of Object.entries(value)) params[`${prefix}.member.${index + 1}.${field}`] = fieldValue
  })
  return params
}

/** The engine's own JSON APIs (metrics, admin): a GET, or a POST with a JSON body. */
export async function engineJson<T>(path: string, body?: unknown): Promise<T> {
  const response = await fetch(path, body === undefined
    ? {credentials: 'same-origin'}
    : {method: 'POST', headers: {'Content-Type': 'application/json'}, body: JSON.stringify(body), credentials: 'same-origin'})
  const answer = await response.json() as T & {error?: {code?: string; message?: string}}
  if (!response.ok) throw new ApiError(answer.error?.code ?? `HTTP${response.status}`, answer.error?.message ?? response.statusText, response.status)
  return answer
}

export {children, text}

/** One admin route (src/engine/admin/routes.ts), its answer typed as the table says. */
export async function adminCall<Name extends AdminRouteName>(name: Name, request: AdminRequest<Name>): Promise<AdminAnswer<Name>> {
  const {path, body} = adminExchange(name, request)
  return engineJson<AdminAnswer<Name>>(path, body)
}
