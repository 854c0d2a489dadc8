import {numberOf, requiredSubject, valueOf, type ElbCommandSpec} from '../command.js'
import {LOAD_BALANCER_NAME} from './shared.js'

export const command: ElbCommandSpec = {
  name: 'elb-create-lb-cookie-stickiness-policy',
  summary: 'Create an LB-generated stickiness policy.',
  positional: LOAD_BALANCER_NAME,
  options: [
    {name: 'expiration-period', short: 'e', kind: 'value'},
    {name: 'policy-name', short: 'p', kind: 'value', required: true},
  ],
  async run(args, call) {
    const period = numberOf(args, 'expiration-period')
    await (await call.elb()).createLBCookieStickinessPolicy({
      LoadBalancerName: requiredSubject(args),
      PolicyName: valueOf(args, 'policy-name') ?? '',
      ...(period === undefined ? {} : {CookieExpirationPeriod: period}),
    })
    return {kind: 'message', text: 'OK-Creating LB Stickiness Policy'}
  },
}
