import {requiredSubject, valueOf, type ElbCommandSpec} from '../command.js'
import {LOAD_BALANCER_NAME} from './shared.js'

export const command: ElbCommandSpec = {
  name: 'elb-create-app-cookie-stickiness-policy',
  summary: 'Create an application-generated stickiness policy.',
  positional: LOAD_BALANCER_NAME,
  options: [
    {name: 'cookie-name', short: 'c', kind: 'value', required: true},
    {name: 'policy-name', short: 'p', kind: 'value', required: true},
  ],
  async run(args, call) {
    await (await call.elb()).createAppCookieStickinessPolicy({
      LoadBalancerName: requiredSubject(args),
      PolicyName: valueOf(args, 'policy-name') ?? '',
      CookieName: valueOf(args, 'cookie-name') ?? '',
    })
    return {kind: 'message', text: 'OK-Creating App Stickiness Policy'}
  },
}
