import type {Listener} from '@aws-sdk/client-elastic-load-balancing'
import {wireNumber} from '../command.js'
import type {OptionMap} from '../spec.js'

/** One `--listener "protocol=…, lb-port=…, instance-port=…[, instance-protocol=…][, cert-id=…]"`. */
export function listenerFromMap(map: OptionMap): Listener {
  const instanceProtocol = map['instance-protocol']
  const certificate = map['cert-id']
  return {
    Protocol: map['protocol'] ?? '',
    LoadBalancerPort: wireNumber(map['lb-port'] ?? ''),
    InstancePort: wireNumber(map['instance-port'] ?? ''),
    ...(instanceProtocol === undefined ? {} : {InstanceProtocol: instanceProtocol}),
    ...(certificate === undefined ? {} : {SSLCertificateId: certificate}),
  }
}
