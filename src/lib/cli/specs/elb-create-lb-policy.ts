import {requiredSubject, valueOf, type ElbCommandSpec} from '../command.js'
import {LOAD_BALANCER_NAME} from './shared.js'

export const command: ElbCommandSpec = {
  name: 'elb-create-lb-policy',
  summary: 'Create a LoadBalancer policy with any number of PolicyAttributes for the specified LoadBalancerPolicyType.',
  positional: LOAD_BALANCER_NAME,
  options: [
    {name: 'attribute', short: 'a', kind: 'map', mapKeys: {required: ['name', 'value'], optional: []}},
    {name: 'policy-name', kind: 'value', required: true},
    // `--policy-type-name` is the seed tutorial's spelling (the legacy jar rejects it).
    {name: 'policy-type', kind: 'value', required: true, aliases: ['policy-type-name']},
  ],
  async run(args, call) {
    const attributes = args.maps.get('attribute')
    await (await call.elb()).createLoadBalancerPolicy({
      LoadBalancerName: requiredSubject(args),
      PolicyName: valueOf(args, 'policy-name') ?? '',
      PolicyTypeName: valueOf(args, 'policy-type') ?? '',
      ...(attributes === undefined
        ? {}
        : {PolicyAttributes: attributes.map((map) => ({AttributeName: map['name'] ?? '', AttributeValue: map['value'] ?? ''}))}),
    })
    return {kind: 'message', text: 'OK-Creating LoadBalancer Policy'}
  },
}
