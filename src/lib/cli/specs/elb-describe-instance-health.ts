import {listOf, requiredSubject, type ElbCommandSpec} from '../command.js'
import {toRecordSet} from '../format/records.js'
import {INSTANCE_HEALTH} from '../format/schemas.js'
import {LOAD_BALANCER_NAME, NO_INSTANCES} from './shared.js'

export const command: ElbCommandSpec = {
  name: 'elb-describe-instance-health',
  summary: 'Describes the state of instances',
  positional: LOAD_BALANCER_NAME,
  options: [{name: 'instances', kind: 'list'}],
  async run(args, call) {
    const instances = listOf(args, 'instances')
    const result = await (await call.elb()).describeInstanceHealth({
      LoadBalancerName: requiredSubject(args),
      ...(instances === undefined ? {} : {Instances: instances.map((id) => ({InstanceId: id}))}),
    })
    return {kind: 'records', sets: [toRecordSet(INSTANCE_HEALTH, result.InstanceStates ?? [])], empty: NO_INSTANCES}
  },
}
