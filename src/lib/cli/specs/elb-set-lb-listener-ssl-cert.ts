import {numberOf, requiredSubject, valueOf, type ElbCommandSpec} from '../command.js'
import {LOAD_BALANCER_NAME} from './shared.js'

export const command: ElbCommandSpec = {
  name: 'elb-set-lb-listener-ssl-cert',
  summary: 'Set the SSL Certificate for the Listener of the specified LoadBalancer port.',
  positional: LOAD_BALANCER_NAME,
  options: [
    {name: 'cert-id', short: 'c', kind: 'value', required: true},
    {name: 'lb-port', short: 'l', kind: 'value', required: true},
  ],
  async run(args, call) {
    await (await call.elb()).setLoadBalancerListenerSSLCertificate({
      LoadBalancerName: requiredSubject(args),
      LoadBalancerPort: numberOf(args, 'lb-port') ?? 0,
      SSLCertificateId: valueOf(args, 'cert-id') ?? '',
    })
    return {kind: 'message', text: 'OK-Setting SSL Certificate'}
  },
}
