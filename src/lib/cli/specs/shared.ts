import type {OptionSpec} from '../spec.js'

/** `LoadBalancerName`, settable with `--lb` (every command acting on one load balancer). */
export const LOAD_BALANCER_NAME = {kind: 'single', alias: 'lb', required: true} as const

export const LISTENER_OPTION_KEYS = {
  required: ['protocol', 'lb-port', 'instance-port'],
  optional: ['instance-protocol', 'cert-id'],
} as const

export const FORCE: OptionSpec = {name: 'force', kind: 'flag'}

export const NO_VALUE_RETURNED = 'No value returned - verify actual status'
export const NO_INSTANCES = 'No instances currently registered to LoadBalancer'
