import {serviceSpecs, type ServiceSpec} from '../../../../src/engine/api/operations.js'
import {defineService, dispatchMismatch, type ApiService} from '../../../../src/engine/api/service.js'
import {ACM_ACTIONS, ACM_DISPATCH, acmService, acmSpec, type AcmImplementation} from '../../../../src/engine/api/services/acm.js'
import {CLOUDWATCH_ACTIONS, CLOUDWATCH_DISPATCH, cloudWatchService, cloudWatchSpec, type CloudWatchImplementation} from '../../../../src/engine/api/services/cloudwatch.js'
import {EC2_ACTIONS, EC2_DISPATCH, ec2ApiService, ec2Spec, type Ec2Implementation} from '../../../../src/engine/api/services/ec2.js'
import {ELB_ACTIONS, ELB_DISPATCH, elbService, type ElbImplementation} from '../../../../src/engine/api/services/elb.js'
import {IAM_ACTIONS, IAM_DISPATCH, iamService, type IamImplementation} from '../../../../src/engine/api/services/iam.js'

/**
 * Every wire service's operation table (data/*.json) and its dispatch map (code) name the same
 * operations: the compiler ties each map to its ACTIONS tuple and its model's methods; this ties
 * the tuple and the map to the data file, for every service the engine mounts.
 */

interface Mounted {
  readonly name: string
  readonly spec: ServiceSpec
  readonly actions: readonly string[]
  readonly dispatch: object
  readonly build: () => ApiService
}

const SERVICES: readonly Mounted[] = [
  {name: 'elb', spec: serviceSpecs().elb, actions: ELB_ACTIONS, dispatch: ELB_DISPATCH, build: () => elbService({} as ElbImplementation)},
  {name: 'iam', spec: serviceSpecs().iam, actions: IAM_ACTIONS, dispatch: IAM_DISPATCH, build: () => iamService({} as IamImplementation)},
  {name: 'cloudwatch', spec: cloudWatchSpec(), actions: CLOUDWATCH_ACTIONS, dispatch: CLOUDWATCH_DISPATCH, build: () => cloudWatchService({} as CloudWatchImplementation)},
  {name: 'ec2', spec: ec2Spec(), actions: EC2_ACTIONS, dispatch: EC2_DISPATCH, build: () => ec2ApiService({} as Ec2Implementation)},
  {name: 'acm', spec: acmSpec(), actions: ACM_ACTIONS, dispatch: ACM_DISPATCH, build: () => acmService({} as AcmImplementation)},
]

/** `spec` without its operation `action`, as if the data file had lost it. */
function without(spec: ServiceSpec, action: string): ServiceSpec {
  return {...spec, operations: new Map([...spec.operations].filter(([name]) => name !== action))}
}

describe.each(SERVICES)('the $name operation table and dispatch map', ({name, spec, actions, dispatch, build}) => {
  it('name exactly the same operations', () => {
    expect(spec.operations.size).toBeGreaterThan(1)
    expect(dispatchMismatch(spec, dispatch)).toBeUndefined()
    expect(Object.keys(dispatch).sort()).toEqual([...actions].sort())
    expect([...spec.operations.keys()].sort()).toEqual([...actions].sort())
    expect(build().spec.operations.size).toBe(actions.length)
  })

  it('refuse to build a service when they disagree', () => {
    const lost = actions[0] ?? ''
    const define = (table: ServiceSpec) => defineService({
      name, versions: ['v'], signingName: name, endpointPrefix: name, shapeName: name, protocols: ['awsQuery'],
      spec: table, xmlNamespace: () => 'urn:x', actions, dispatch: dispatch as Record<string, () => unknown>, implementation: {},
    })
    expect(() => define(spec)).not.toThrow()
    expect(() => define(without(spec, lost))).toThrow(`the ${name} dispatch map and its operation table disagree: not dispatched [], not in the table [${lost}]`)
    expect(dispatchMismatch(without(spec, lost), dispatch)).toBe(`not dispatched [], not in the table [${lost}]`)
  })
})
