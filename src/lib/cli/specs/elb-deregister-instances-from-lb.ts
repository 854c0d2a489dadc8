import {listOf, requiredSubject, type ElbCommandSpec} from '../command.js'
import {toRecordSet} from '../format/records.js'
import {INSTANCE_ID} from '../format/schemas.js'
import {LOAD_BALANCER_NAME, NO_INSTANCES} from './shared.js'

export const command: ElbCommandSpec = {
  name: 'elb-deregister-instances-from-lb',
  summary: 'Deregisters instances from a LoadBalancer',
  positional: LOAD_BALANCER_NAME,
  options: [{name: 'instances', kind: 'list', required: true}],
  async run(args, call) {
    const result = await (await call.elb()).deregisterInstancesFromLoadBalancer({
      LoadBalancerName: requiredSubject(args),
      Instances: (listOf(args, 'instances') ?? []).map((id) => ({InstanceId: id})),
    })
    const ids = (result.Instances ?? []).map((instance) => instance.InstanceId ?? '')
    return {kind: 'records', sets: [toRecordSet(INSTANCE_ID, ids)], empty: NO_INSTANCES}
  },
}
