/**
 * `elb-cmd`: the legacy dispatcher (`elb-cmd elb-describe-lbs …`, `elb-cmd version`, and the
 * command list for `elb-cmd`, `elb-cmd --help`, `elb-cmd help`).
 */

/** The listing, in the legacy order and wording (1.0.17.0), without the Route 53 commands we do not ship, plus our extensions. */
const LISTING: readonly (readonly [string, string])[] = [
  ['elb-add-tags', 'Adds tags to a LoadBalancer.'],
  ['elb-apply-security-groups-to-lb', 'Apply VPC security groups to LoadBalancer.'],
  ['elb-attach-lb-to-subnets', 'Attach existing LoadBalancer to Subnets in VPC.'],
  ['elb-configure-healthcheck', 'Configure the parameters for checking the health of instances registered with a LoadBalancer.'],
  ['elb-create-app-cookie-stickiness-policy', 'Create an application-generated stickiness policy.'],
  ['elb-create-lb', 'Create a new LoadBalancer'],
  ['elb-create-lb-cookie-stickiness-policy', 'Create an LB-generated stickiness policy.'],
  ['elb-create-lb-listeners', 'Create a new LoadBalancer listener'],
  ['elb-create-lb-policy', 'Create a LoadBalancer policy with any number of PolicyAttributes for the specified LoadBalancerPolicyType.'],
  ['elb-delete-lb', 'Deletes an existing LoadBalancer'],
  ['elb-delete-lb-listeners', 'Deletes a listener on an existing LoadBalancer'],
  ['elb-delete-lb-policy', 'Delete a LoadBalancer policy.'],
  ['elb-deregister-instances-from-lb', 'Deregisters instances from a LoadBalancer'],
  ['elb-describe-instance-health', 'Describes the state of instances'],
  ['elb-describe-lb-attributes', 'Describes the attributes of a LoadBalancer.'],
  ['elb-describe-lb-policies', 'Describes the details of LoadBalancerPolicies'],
  ['elb-describe-lb-policy-types', 'Describes the definition of LoadBalancerPolicyTypes'],
  ['elb-describe-lbs', 'Describes the state and properties of LoadBalancers'],
  ['elb-describe-tags', 'Describes the tags of LoadBalancers.'],
  ['elb-detach-lb-from-subnets', 'Detach existing LoadBalancer from Subnets in VPC.'],
  ['elb-disable-zones-for-lb', 'Remove availability zones from an LoadBalancer'],
  ['elb-enable-zones-for-lb', 'Add availability zones to existing LoadBalancer'],
  ['elb-modify-lb-attributes', 'Modifies the attributes of a LoadBalancer.'],
  ['elb-register-instances-with-lb', 'Registers instances to a LoadBalancer'],
  ['elb-remove-tags', 'Removes tags from a LoadBalancer.'],
  ['elb-set-lb-listener-ssl-cert', 'Set the SSL Certificate for the Listener of the specified LoadBalancer port.'],
  ['elb-set-lb-policies-for-backend-server', 'Set LoadBalancer policies for backend servers.'],
  ['elb-set-lb-policies-of-listener', 'Set LoadBalancer policies for a port.'],
  ['help', ''],
  ['version', 'Prints the version of the CLI tool and the API.'],
]

const NAME_WIDTH = 40
const DESCRIPTION_WIDTH = 55

/** Long descriptions keep their first and last 26 characters around `...` (legacy). */
export function elide(description: string, width: number = DESCRIPTION_WIDTH): string {
  if (description.length <= width) return description
  const side = Math.floor((width - 3) / 2)
  return `${description.slice(0, side)}...${description.slice(description.length - side)}`
}

export function renderCommandListing(): string {
  const row = (name: string, description: string): string =>
    description === '' ? name.padEnd(NAME_WIDTH) : `${name.padEnd(NAME_WIDTH)}${elide(description).padEnd(DESCRIPTION_WIDTH)}`
  const lines = [
    row('Command Name', 'Description'),
    row('------------', '-----------'),
    ...LISTING.map(([name, description]) => row(name, description)),
    '',
    "    For help on a specific command, type '<commandname> --help'",
  ]
  return `${lines.join('\n')}\n`
}
