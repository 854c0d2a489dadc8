import type {NetworkModel} from '../../model/network/network-model.js'
import {errorClass} from '../../model/errors.js'
import type {RequestContext} from '../../model/types.js'
import {InvalidParameterCombination, InvalidParameterValue, MissingParameter} from '../errors.js'
import {optionalString, requiredString, stringList, type QueryParams} from '../params.js'
import type {Wire} from '../views.js'
import {dryRun} from './dry-run.js'

/**
 * ModifyInstanceAttribute, as provisioning tools send it: the instance's security groups
 * (`GroupId.N`, Terraform's vpc_security_group_ids), and the attributes the engine reports at fixed
 * values (DescribeInstanceAttribute) — accepted at those values (Terraform sends
 * `DisableApiTermination.Value=false` before it terminates), refused with a reason otherwise.
 */

const InvalidInstanceIdNotFound = errorClass('InvalidInstanceID.NotFound')
const InvalidGroupNotFound = errorClass('InvalidGroup.NotFound')

const FIXED: Readonly<Record<string, string>> = {
  'DisableApiTermination.Value': 'false',
  'DisableApiStop.Value': 'false',
  'SourceDestCheck.Value': 'true',
  'EbsOptimized.Value': 'false',
  'EnaSupport.Value': 'false',
  'InstanceInitiatedShutdownBehavior.Value': 'stop',
}

export class InstanceAttributeApi {
  constructor(private readonly model: NetworkModel) {}

  modifyInstanceAttribute(ctx: RequestContext, params: QueryParams): Wire {
    const instanceId = requiredString(params, 'InstanceId')
    const groups = stringList(params, 'GroupId')
    const fixed = Object.keys(FIXED).filter((name) => params.has(name))
    const attribute = optionalString(params, 'Attribute')
    if (groups.length + fixed.length === 0 && attribute === undefined) {
      throw new MissingParameter('The request must contain exactly one attribute to modify')
    }
    if ((groups.length > 0 ? 1 : 0) + fixed.length > 1) throw new InvalidParameterCombination('Only one attribute can be modified at a time')
    for (const name of fixed) {
      const value = (params.get(name) ?? '').toLowerCase()
      if (value !== FIXED[name]) {
        throw new InvalidParameterValue(`The engine models ${name.replace(/\.Value$/, '')} only at ${FIXED[name] ?? ''}; '${value}' is not supported.`)
      }
    }
    if (attribute !== undefined && groups.length === 0 && fixed.length === 0) {
      throw new InvalidParameterValue(`The engine does not model changing the instance attribute '${attribute}'.`)
    }
    const instance = this.model.region(ctx.region).instances.find((candidate) => candidate.instanceId === instanceId)
    if (instance === undefined) throw new InvalidInstanceIdNotFound(`The instance ID '${instanceId}' does not exist`)
    if (groups.length > 0) {
      const vpcId = instance.vpcId
      if (vpcId === undefined) throw new InvalidParameterValue(`Instance ${instanceId} is not in a VPC: its security groups cannot be changed.`)
      const known = this.model.network(ctx.region).securityGroups
      for (const id of groups) {
        if (!known.some((group) => group.groupId === id && group.vpcId === vpcId)) {
          throw new InvalidGroupNotFound(`The security group '${id}' does not exist in VPC '${vpcId}'`)
        }
      }
    }
    dryRun(params)
    if (groups.length > 0) {
      this.model.update(ctx.region, (_network, _base, region, regionDraft) => {
        const draft = regionDraft.instances[region.instances.findIndex((candidate) => candidate.instanceId === instanceId)]
        if (draft !== undefined) draft.securityGroupIds = [...new Set(groups)]
      })
    }
    return {return: true}
  }
}
