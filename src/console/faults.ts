/**
 * Faults on the path to instances (`elb-local fault`), as the console sets and lists them: through
 * the engine's admin API (routes.ts). The engine checks every field; the console only shapes them.
 */
import type {ActiveFault, FaultKind, FaultRequest} from '../engine/faults/vocabulary.js'
import {adminCall, region} from './api.js'

export async function listFaults(): Promise<readonly ActiveFault[]> {
  return (await adminCall('faults', {})).faults
}

/** The form's words as a request: `value` is the delay, status or capacity the kind takes. */
export function faultRequest(kind: FaultKind, target: string, value: string, duration: string, probability: string): FaultRequest {
  const number = (text: string): number => (text.trim() === '' ? Number.NaN : Number(text))
  const parameter = kind === 'delay' ? 'delayMs' : kind === 'status' ? 'status' : kind === 'capacity' ? 'capacity' : undefined
  return {
    kind,
    ...(kind === 'zone-outage' ? {availabilityZone: target.trim()} : {instanceId: target.trim()}),
    ...(parameter === undefined ? {} : {[parameter]: number(value)}),
    ...(duration.trim() === '' ? {} : {durationSeconds: number(duration)}),
    ...(probability.trim() === '' ? {} : {probability: number(probability)}),
  }
}

export async function setFault(request: FaultRequest): Promise<ActiveFault> {
  return (await adminCall('setFault', {...request, region: region()})).fault
}

export async function clearFault(id: string): Promise<void> {
  await adminCall('clearFaults', {id, region: region()})
}
