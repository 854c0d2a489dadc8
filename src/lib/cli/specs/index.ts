/** Every `elb-*` command by its legacy binary name; modules load only when that command runs. */
import type {ElbCommandSpec} from '../command.js'

type Loader = () => Promise<{command: ElbCommandSpec}>

export const ELB_COMMANDS: Readonly<Record<string, Loader>> = {
  'elb-add-tags': () => import('./elb-add-tags.js'),
  'elb-apply-security-groups-to-lb': () => import('./elb-apply-security-groups-to-lb.js'),
  'elb-attach-lb-to-subnets': () => import('./elb-attach-lb-to-subnets.js'),
  'elb-configure-healthcheck': () => import('./elb-configure-healthcheck.js'),
  'elb-create-app-cookie-stickiness-policy': () => import('./elb-create-app-cookie-stickiness-policy.js'),
  'elb-create-lb-cookie-stickiness-policy': () => import('./elb-create-lb-cookie-stickiness-policy.js'),
  'elb-create-lb-listeners': () => import('./elb-create-lb-listeners.js'),
  'elb-create-lb-policy': () => import('./elb-create-lb-policy.js'),
  'elb-create-lb': () => import('./elb-create-lb.js'),
  'elb-delete-lb-listeners': () => import('./elb-delete-lb-listeners.js'),
  'elb-delete-lb-policy': () => import('./elb-delete-lb-policy.js'),
  'elb-delete-lb': () => import('./elb-delete-lb.js'),
  'elb-deregister-instances-from-lb': () => import('./elb-deregister-instances-from-lb.js'),
  'elb-describe-instance-health': () => import('./elb-describe-instance-health.js'),
  'elb-describe-lb-attributes': () => import('./elb-describe-lb-attributes.js'),
  'elb-describe-lb-policies': () => import('./elb-describe-lb-policies.js'),
  'elb-describe-lb-policy-types': () => import('./elb-describe-lb-policy-types.js'),
  'elb-describe-lbs': () => import('./elb-describe-lbs.js'),
  'elb-describe-tags': () => import('./elb-describe-tags.js'),
  'elb-detach-lb-from-subnets': () => import('./elb-detach-lb-from-subnets.js'),
  'elb-disable-zones-for-lb': () => import('./elb-disable-zones-for-lb.js'),
  'elb-enable-zones-for-lb': () => import('./elb-enable-zones-for-lb.js'),
  'elb-modify-lb-attributes': () => import('./elb-modify-lb-attributes.js'),
  'elb-register-instances-with-lb': () => import('./elb-register-instances-with-lb.js'),
  'elb-remove-tags': () => import('./elb-remove-tags.js'),
  'elb-set-lb-listener-ssl-cert': () => import('./elb-set-lb-listener-ssl-cert.js'),
  'elb-set-lb-policies-for-backend-server': () => import('./elb-set-lb-policies-for-backend-server.js'),
  'elb-set-lb-policies-for-backend': () => import('./elb-set-lb-policies-for-backend.js'),
  'elb-set-lb-policies-of-listener': () => import('./elb-set-lb-policies-of-listener.js'),
}
