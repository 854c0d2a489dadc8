/**
 * The local EC2 stand-in's instances, as the console uses them: through the engine's admin API
 * (routes.ts), which also runs their demo servers, rather than the EC2 Query API, which has no
 * `serve` (what a stand-in instance answers on).
 */
import type {InstanceRecord} from '../engine/model/types.js'
import {adminCall, region} from './api.js'

export async function describeInstances(): Promise<readonly InstanceRecord[]> {
  return (await adminCall('describeInstances', {region: region()})).instances
}

export async function runInstances(input: {count: number; availabilityZone?: string; serve?: {protocol: string; port: number}[]}): Promise<readonly InstanceRecord[]> {
  return (await adminCall('runInstances', {region: region(), ...input})).instances
}

export async function changeInstances(verb: 'stop' | 'start' | 'terminate', instanceIds: readonly string[]): Promise<void> {
  await adminCall(`${verb}Instances`, {region: region(), instanceIds})
}
