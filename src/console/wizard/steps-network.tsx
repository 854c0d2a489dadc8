/**
 * A VPC account's choices on the DEFINE page: the VPC, the scheme, one subnet per Availability Zone
 * and the security groups. An EC2-Classic account shows none of it.
 */
import {useEffect} from 'preact/hooks'
import {describeNetwork, type Network} from '../network.js'
import {ErrorText, usePolling} from '../ui.js'
import type {StepProps} from './steps.js'

const NO_NETWORK: Network = {vpcs: [], subnets: [], securityGroups: []}

/** The region's network; EC2-Classic (no VPC API, or no VPC) reads as none. */
function useNetwork() {
  return usePolling(() => describeNetwork().catch(() => NO_NETWORK), [])
}

export function NetworkFields({state, update, errors}: StepProps) {
  const network = useNetwork().value
  const choice = state.network
  useEffect(() => {
    // The default VPC is chosen until the user picks another (AWS's console does the same).
    const first = network?.vpcs.find((vpc) => vpc.isDefault) ?? network?.vpcs[0]
    if (choice.vpcId === '' && first !== undefined) update((draft) => { draft.network = {...draft.network, vpcId: first.vpcId, isDefaultVpc: first.isDefault} })
  }, [network])
  if (network === undefined || network.vpcs.length === 0) return null
  const subnets = network.subnets.filter((subnet) => subnet.vpcId === choice.vpcId)
  const zones = [...new Set(subnets.map((subnet) => subnet.availabilityZone))].sort()
  const groups = network.securityGroups.filter((group) => group.vpcId === choice.vpcId)
  const chosenGroups = new Set(choice.securityGroupIds)
  return (
    <fieldset>
      <legend>Network</legend>
      <div class="field">
        <label for="wizard-vpc">Create LB Inside</label>
        <select id="wizard-vpc" value={choice.vpcId} onChange={(event) => {
          const vpc = network.vpcs.find((candidate) => candidate.vpcId === event.currentTarget.value)
          if (vpc !== undefined) update((draft) => { draft.network = {vpcId: vpc.vpcId, isDefaultVpc: vpc.isDefault, subnets: {}, securityGroupIds: [], internal: draft.network.internal} })
        }}>
          {network.vpcs.map((vpc) => <option key={vpc.vpcId} value={vpc.vpcId}>{vpc.vpcId} ({vpc.cidrBlock}){vpc.isDefault ? ' (default VPC)' : ''}</option>)}
        </select>
      </div>
      <label class="check"><input type="checkbox" checked={choice.internal} onChange={(event) => {
        const internal = event.currentTarget.checked
        update((draft) => { draft.network.internal = internal })
      }} /> Create an internal load balancer</label>
      <p>{choice.isDefaultVpc
        ? 'Subnets: one per Availability Zone. With none chosen, the load balancer goes into the default subnets of its instances\' zones.'
        : 'Subnets: one per Availability Zone, at least one.'}</p>
      <div class="table-wrap">
        <table aria-describedby={errors.subnets === undefined ? undefined : 'wizard-subnets-error'}>
          <thead><tr><th>Availability Zone</th><th>Subnet</th></tr></thead>
          <tbody>
            {zones.map((zone) => (
              <tr key={zone}>
                <td>{zone}</td>
                <td><select aria-label={`Subnet in ${zone}`} value={choice.subnets[zone] ?? ''} onChange={(event) => {
                  const subnetId = event.currentTarget.value
                  update((draft) => { draft.network.subnets[zone] = subnetId })
                }}>
                  <option value="">Not used</option>
                  {subnets.filter((subnet) => subnet.availabilityZone === zone).map((subnet) => (
                    <option key={subnet.subnetId} value={subnet.subnetId}>{subnet.subnetId} ({subnet.cidrBlock})</option>
                  ))}
                </select></td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <ErrorText error={errors.subnets} id="wizard-subnets-error" />
      <p>Security groups. {choice.isDefaultVpc
        ? 'With none chosen, ELB gives the load balancer its own default_elb_ group, which admits the listener ports.'
        : "With none chosen, the load balancer gets the VPC's default group."}</p>
      <div class="table-wrap">
        <table>
          <thead><tr><th>Select</th><th>Security Group ID</th><th>Name</th><th>Description</th></tr></thead>
          <tbody>
            {groups.map((group) => (
              <tr key={group.groupId}>
                <td><input type="checkbox" aria-label={`Security group ${group.groupName}`} checked={chosenGroups.has(group.groupId)} onChange={(event) => {
                  const on = event.currentTarget.checked
                  update((draft) => {
                    const ids = draft.network.securityGroupIds
                    draft.network.securityGroupIds = on ? [...ids, group.groupId] : ids.filter((id) => id !== group.groupId)
                  })
                }} /></td>
                <td>{group.groupId}</td>
                <td>{group.groupName}</td>
                <td>{group.description}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <ErrorText error={errors.groups} />
    </fieldset>
  )
}
