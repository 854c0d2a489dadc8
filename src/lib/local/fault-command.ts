/**
 * `elb-local fault list | set KIND TARGET | clear TARGET`: faults on the path to instances
 * (src/engine/faults), for seeing what a Classic ELB and the application do when an instance
 * misbehaves. Thin: the words become one admin call; the engine checks everything.
 */
import {FAULT_KINDS, FAULT_SUMMARIES, type FaultClearRequest, type FaultKind, type FaultRequest} from '../../engine/faults/vocabulary.js'
import {JSON_OPTION, LocalUsageError, REGION_OPTION, tableOptions, WIDE_OPTION, type LocalCommand, type LocalContext} from './command.js'
import {adminCall, runningAdminClient} from './command-support.js'
import {formatFaults} from './format.js'

const USAGE = 'fault takes list, set KIND INSTANCE-ID|ZONE, or clear FAULT-ID|INSTANCE-ID|ZONE|--all.'

export const fault: LocalCommand = {
  name: 'fault',
  summary: 'Put faults on the path to instances, list them, clear them (see docs/faults.md).',
  description: 'Kinds:\n' + FAULT_KINDS.map((kind) => `  ${kind.padEnd(20)}${FAULT_SUMMARIES[kind]}`).join('\n') +
    '\nFaults are runtime state: a restart of the engine clears them.',
  positionals: {label: 'list | set KIND INSTANCE-ID|ZONE | clear FAULT-ID|INSTANCE-ID|ZONE', required: true},
  options: [
    {name: 'delay-ms', type: 'integer', placeholder: 'MS', min: 0, max: 3_600_000, description: 'delay: how long the instance waits before answering'},
    {name: 'status', type: 'integer', placeholder: 'CODE', min: 100, max: 599, description: 'status: the status code the instance answers'},
    {name: 'capacity', type: 'integer', placeholder: 'N', min: 1, max: 100_000, description: 'capacity: concurrent requests the instance takes'},
    {name: 'duration', type: 'string', placeholder: 'SECONDS', description: 'the fault clears itself after this many seconds'},
    {name: 'probability', type: 'string', placeholder: 'P', description: 'hit each request, connection or check with this probability (0 < P <= 1; default 1)'},
    {name: 'all', type: 'boolean', description: 'clear: every fault'},
    REGION_OPTION, JSON_OPTION, WIDE_OPTION,
  ],
  examples: [
    'elb-local fault set delay i-0123456789abcdef0 --delay-ms 2000 --duration 60',
    'elb-local fault set status i-0123456789abcdef0 --status 500 --probability 0.5',
    'elb-local fault set capacity i-0123456789abcdef0 --capacity 1',
    'elb-local fault set zone-outage us-east-1a',
    'elb-local fault list',
    'elb-local fault clear fault-1',
    'elb-local fault clear --all',
  ],
  async run(context) {
    const [verb, ...words] = context.positionals
    const client = await runningAdminClient(context.io)
    const json = context.values.get('json') === true
    switch (verb) {
      case 'list': {
        if (words.length > 0) throw new LocalUsageError('fault list takes no more words.')
        const {faults} = await adminCall(() => client.call('faults', {}))
        context.io.stdout(json ? `${JSON.stringify(faults, null, 2)}\n` : `${formatFaults(faults, tableOptions(context))}\n`)
        return 0
      }
      case 'set': {
        const {fault: set} = await adminCall(() => client.call('setFault', setRequest(context, words)))
        context.io.stdout(json ? `${JSON.stringify(set, null, 2)}\n` : `${formatFaults([set], tableOptions(context))}\n`)
        return 0
      }
      case 'clear': {
        const {cleared} = await adminCall(() => client.call('clearFaults', clearRequest(context, words)))
        context.io.stdout(json ? `${JSON.stringify(cleared, null, 2)}\n` : `Cleared ${cleared.length} fault(s).\n`)
        return 0
      }
      case undefined:
      default:
        throw new LocalUsageError(USAGE)
    }
  },
}

function setRequest(context: LocalContext, words: readonly string[]): FaultRequest {
  const [kind, target, ...extra] = words
  if (kind === undefined || target === undefined || extra.length > 0) throw new LocalUsageError('fault set takes KIND and INSTANCE-ID (or ZONE for zone-outage).')
  if (!(FAULT_KINDS as readonly string[]).includes(kind)) throw new LocalUsageError(`unknown fault kind '${kind}': one of ${FAULT_KINDS.join(', ')}.`)
  const values = context.values
  const region = values.get('region')
  const delayMs = values.get('delay-ms')
  const status = values.get('status')
  const capacity = values.get('capacity')
  const durationSeconds = decimal(context, 'duration')
  const probability = decimal(context, 'probability')
  return {
    kind: kind as FaultKind,
    ...(kind === 'zone-outage' ? {availabilityZone: target} : {instanceId: target}),
    ...(typeof region === 'string' ? {region} : {}),
    ...(typeof delayMs === 'number' ? {delayMs} : {}),
    ...(typeof status === 'number' ? {status} : {}),
    ...(typeof capacity === 'number' ? {capacity} : {}),
    ...(durationSeconds === undefined ? {} : {durationSeconds}),
    ...(probability === undefined ? {} : {probability}),
  }
}

function clearRequest(context: LocalContext, words: readonly string[]): FaultClearRequest {
  const region = context.values.get('region')
  const scope = typeof region === 'string' ? {region} : {}
  const all = context.values.get('all') === true
  if (all && words.length === 0) return {all, ...scope}
  const [target, ...extra] = words
  if (all || target === undefined || extra.length > 0) throw new LocalUsageError('fault clear takes one FAULT-ID, INSTANCE-ID or ZONE, or --all.')
  if (target.startsWith('fault-')) return {id: target, ...scope}
  return target.startsWith('i-') ? {instanceId: target, ...scope} : {availabilityZone: target, ...scope}
}

/** A decimal option (`--duration 1.5`); the engine checks its range. */
function decimal(context: LocalContext, name: string): number | undefined {
  const text = context.values.get(name)
  if (typeof text !== 'string') return undefined
  const value = /^\d+(\.\d+)?$/.test(text) ? Number(text) : Number.NaN
  if (!Number.isFinite(value)) throw new LocalUsageError(`--${name} takes a number, not '${text}'.`)
  return value
}
