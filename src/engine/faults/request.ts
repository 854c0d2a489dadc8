/**
 * `POST faults/set` and `faults/clear` bodies, checked (pure): every field's type and range, the
 * parameters each kind takes and no others. Errors are EC2-style `InvalidParameterValue` /
 * `MissingParameter` / `InvalidParameterCombination` with one plain sentence.
 */
import {InvalidParameterCombination, InvalidParameterValue, MissingParameter} from '../model/errors.js'
import {FAULT_KINDS, type FaultClearRequest, type FaultKind, type FaultRequest} from './vocabulary.js'

/** A day: a fault meant to outlive that is cleared by hand. */
export const MAX_DURATION_SECONDS = 86_400
/** An hour: longer than any idle timeout (3,600 s). */
export const MAX_DELAY_MS = 3_600_000
/** Concurrent requests per instance a capacity fault may allow. */
export const MAX_CAPACITY = 100_000

const PARAMETERS: Readonly<Record<FaultKind, readonly string[]>> = {
  'refuse': [], 'hang': [], 'malformed': [], 'reset': [], 'close-after-headers': [], 'fail-health-checks': [], 'zone-outage': [],
  'delay': ['delayMs'], 'status': ['status'], 'capacity': ['capacity'],
}
const KIND_PARAMETERS = ['delayMs', 'status', 'capacity'] as const
const KNOWN_FIELDS = new Set(['kind', 'instanceId', 'availabilityZone', 'region', 'delayMs', 'status', 'capacity', 'durationSeconds', 'probability'])

export function parseFaultRequest(body: Readonly<Record<string, unknown>>): FaultRequest {
  for (const field of Object.keys(body)) {
    if (!KNOWN_FIELDS.has(field)) throw new InvalidParameterValue(`Unknown fault parameter: ${field.slice(0, 64)}.`)
  }
  const kind = body.kind
  if (kind === undefined) throw new MissingParameter('The request must contain the parameter kind.')
  if (typeof kind !== 'string' || !(FAULT_KINDS as readonly string[]).includes(kind)) {
    throw new InvalidParameterValue(`kind must be one of ${FAULT_KINDS.join(', ')}.`)
  }
  const faultKind = kind as FaultKind
  const instanceId = text(body, 'instanceId')
  const availabilityZone = text(body, 'availabilityZone')
  if (faultKind === 'zone-outage') {
    if (availabilityZone === undefined) throw new MissingParameter('A zone-outage fault needs availabilityZone.')
    if (instanceId !== undefined) throw new InvalidParameterCombination('A zone-outage fault names a zone, not an instance.')
  } else {
    if (instanceId === undefined) throw new MissingParameter(`A ${faultKind} fault needs instanceId.`)
    if (availabilityZone !== undefined) throw new InvalidParameterCombination(`A ${faultKind} fault names an instance, not a zone.`)
  }
  for (const name of KIND_PARAMETERS) {
    const wanted = PARAMETERS[faultKind].includes(name)
    if (wanted && body[name] === undefined) throw new MissingParameter(`A ${faultKind} fault needs ${name}.`)
    if (!wanted && body[name] !== undefined) throw new InvalidParameterCombination(`A ${faultKind} fault takes no ${name}.`)
  }
  const delayMs = integer(body, 'delayMs', 0, MAX_DELAY_MS)
  const status = integer(body, 'status', 100, 599)
  const capacity = integer(body, 'capacity', 1, MAX_CAPACITY)
  const durationSeconds = number(body, 'durationSeconds', (value) => value > 0 && value <= MAX_DURATION_SECONDS, `more than 0 and at most ${MAX_DURATION_SECONDS}`)
  const probability = number(body, 'probability', (value) => value > 0 && value <= 1, 'more than 0 and at most 1')
  if (faultKind === 'capacity' && probability !== undefined && probability !== 1) {
    throw new InvalidParameterCombination('A capacity fault applies to every request: it takes no probability.')
  }
  return {
    kind: faultKind,
    ...(instanceId === undefined ? {} : {instanceId}),
    ...(availabilityZone === undefined ? {} : {availabilityZone}),
    ...(delayMs === undefined ? {} : {delayMs}),
    ...(status === undefined ? {} : {status}),
    ...(capacity === undefined ? {} : {capacity}),
    ...(durationSeconds === undefined ? {} : {durationSeconds}),
    ...(probability === undefined ? {} : {probability}),
  }
}

export function parseClearRequest(body: Readonly<Record<string, unknown>>): FaultClearRequest {
  const id = text(body, 'id')
  const instanceId = text(body, 'instanceId')
  const availabilityZone = text(body, 'availabilityZone')
  const all = body.all
  if (all !== undefined && typeof all !== 'boolean') throw new InvalidParameterValue('all must be true or false.')
  const named = [id, instanceId, availabilityZone].filter((value) => value !== undefined).length + (all === true ? 1 : 0)
  if (named === 0) throw new MissingParameter('Name the faults to clear: id, instanceId, availabilityZone or all.')
  if (named > 1) throw new InvalidParameterCombination('Name the faults to clear one way only: id, instanceId, availabilityZone or all.')
  return {
    ...(id === undefined ? {} : {id}),
    ...(instanceId === undefined ? {} : {instanceId}),
    ...(availabilityZone === undefined ? {} : {availabilityZone}),
    ...(all === true ? {all} : {}),
  }
}

function text(body: Readonly<Record<string, unknown>>, name: string): string | undefined {
  const value = body[name]
  if (value === undefined) return undefined
  if (typeof value !== 'string' || value === '' || value.length > 64) throw new InvalidParameterValue(`${name} must be a string of 1 to 64 characters.`)
  return value
}

function integer(body: Readonly<Record<string, unknown>>, name: string, min: number, max: number): number | undefined {
  const value = body[name]
  if (value === undefined) return undefined
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    throw new InvalidParameterValue(`${name} must be a whole number from ${min} to ${max}.`)
  }
  return value
}

function number(body: Readonly<Record<string, unknown>>, name: string, valid: (value: number) => boolean, range: string): number | undefined {
  const value = body[name]
  if (value === undefined) return undefined
  if (typeof value !== 'number' || !Number.isFinite(value) || !valid(value)) throw new InvalidParameterValue(`${name} must be a number ${range}.`)
  return value
}
