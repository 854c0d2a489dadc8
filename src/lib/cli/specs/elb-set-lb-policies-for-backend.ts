import type {ElbCommandSpec} from '../command.js'
import {command as backendServer} from './elb-set-lb-policies-for-backend-server.js'

/** The seed tutorial's spelling of `elb-set-lb-policies-for-backend-server` (an alias). */
export const command: ElbCommandSpec = {
  ...backendServer,
  name: 'elb-set-lb-policies-for-backend',
  summary: 'Alias of elb-set-lb-policies-for-backend-server.',
  helpOf: 'elb-set-lb-policies-for-backend-server',
}
