import {loadData} from '../../common/data.js'

/**
 * The operation table (`data/elb-iam-operations.json`) turned into what the edge needs: for each
 * service its Version, XML namespace and, per Action, an input shape tree built from the flattened
 * wire parameters (`Listeners.member.N.Protocol` → structure › list › structure › string).
 */

/** A service's short name (`elb`, `iam`): the key its table is known by. */
export type ServiceKey = string

/** `double` and `timestamp` are CloudWatch's (a metric value, a time range). */
export type ScalarType = 'string' | 'integer' | 'long' | 'boolean' | 'double' | 'timestamp'

export interface Constraints {
  readonly min?: number
  readonly max?: number
  /** The model's pattern as written (quoted in error messages). */
  readonly pattern?: string
  /** The same pattern compiled to match the whole value, as Coral (Java `matches`) does. */
  readonly regex?: RegExp
  readonly enum?: readonly string[]
}

export interface ScalarShape {
  readonly kind: ScalarType
  readonly constraints: Constraints
}

export interface ListShape {
  readonly kind: 'list'
  readonly item: Shape
  readonly constraints: Constraints
}

export interface StructureMember {
  readonly name: string
  readonly required: boolean
  /** Sensitive members are never echoed back in validation messages. */
  readonly sensitive: boolean
  readonly shape: Shape
}

export interface StructureShape {
  readonly kind: 'structure'
  readonly members: ReadonlyMap<string, StructureMember>
}

export type Shape = ScalarShape | ListShape | StructureShape

export interface OperationSpec {
  readonly service: ServiceKey
  readonly action: string
  /** The service method that implements it: the Action in lowerCamelCase. */
  readonly method: string
  readonly input: StructureShape
  /** `{Action}Result`, absent for IAM operations without output. */
  readonly resultWrapper?: string
  readonly outputMembers: readonly string[]
}

export interface ServiceSpec {
  readonly key: ServiceKey
  readonly apiVersion: string
  readonly xmlNamespace: string
  readonly operations: ReadonlyMap<string, OperationSpec>
}

export interface WireConstraints {
  min?: number
  max?: number
  pattern?: string
  enum?: string[]
}

interface WireParam extends WireConstraints {
  wire: string
  type: ScalarType | 'list'
  required: boolean
  itemType?: string
  item?: WireConstraints
}

interface WireOperation {
  params: WireParam[]
  /** null for IAM operations without output. */
  resultWrapper?: string | null
  outputMembers: string[]
}

/** One service's section of an operation table file (data/elb-iam-operations.json). */
export interface WireService {
  apiVersion: string
  xmlNamespace: string
  operations: Record<string, WireOperation>
}

interface LimitsFile {
  readonly elasticloadbalancing?: Limits
  readonly iam?: Limits
}

interface OperationsFile {
  elasticloadbalancing: WireService
  iam: WireService
}

/**
 * Structures that are required as a whole. The table lists leaf parameters only, so a required
 * parent (HealthCheck, LoadBalancerAttributes) is not visible there; these come from the service
 * model (`required` of ConfigureHealthCheckInput and ModifyLoadBalancerAttributesInput).
 */
const REQUIRED_STRUCTURES: Readonly<Record<string, readonly string[]>> = {
  ConfigureHealthCheck: ['HealthCheck'],
  ModifyLoadBalancerAttributes: ['LoadBalancerAttributes'],
}

/** Members the model marks `sensitive`: Coral redacts their values in messages. */
const SENSITIVE_MEMBERS = new Set(['PrivateKey'])

export function lowerCamel(name: string): string {
  return name.charAt(0).toLowerCase() + name.slice(1)
}

function compileConstraints(source: WireConstraints): Constraints {
  const constraints: {-readonly [K in keyof Constraints]: Constraints[K]} = {}
  if (source.min !== undefined) constraints.min = source.min
  if (source.max !== undefined) constraints.max = source.max
  if (source.enum !== undefined) constraints.enum = source.enum
  if (source.pattern !== undefined) {
    constraints.pattern = source.pattern
    constraints.regex = new RegExp(`^(?:${source.pattern})$`, 'u')
  }
  return constraints
}

/** A structure being assembled from the flattened parameter list (members kept in table order). */
interface MutableStructure {
  kind: 'structure'
  members: Map<string, StructureMember>
}

function childStructure(parent: MutableStructure, name: string, required: boolean): MutableStructure {
  const existing = parent.members.get(name)
  if (existing?.shape.kind === 'structure') return existing.shape as MutableStructure
  const shape: MutableStructure = {kind: 'structure', members: new Map()}
  parent.members.set(name, {name, required, sensitive: false, shape})
  return shape
}

/** The structure items of list `name` under `parent` (creating the list if the table has not yet). */
function listItemStructure(parent: MutableStructure, name: string): MutableStructure {
  const existing = parent.members.get(name)
  if (existing?.shape.kind === 'list' && existing.shape.item.kind === 'structure') {
    return existing.shape.item as MutableStructure
  }
  const item: MutableStructure = {kind: 'structure', members: new Map()}
  parent.members.set(name, {name, required: false, sensitive: false, shape: {kind: 'list', item, constraints: {}}})
  return item
}

function buildInputShape(action: string, params: readonly WireParam[], limits: Limits): StructureShape {
  const root: MutableStructure = {kind: 'structure', members: new Map()}
  const requiredStructures = new Set(REQUIRED_STRUCTURES[action] ?? [])
  for (const param of params) {
    const segments = param.wire.split('.')
    let parent = root
    let index = 0
    // Walk every segment but the last: a segment followed by `member.N` is a list of structures.
    while (index < segments.length - 1) {
      const name = segments[index] ?? ''
      if (segments[index + 1] === 'member' && segments[index + 2] === 'N') {
        if (index + 3 >= segments.length) break
        parent = listItemStructure(parent, name)
        index += 3
      } else {
        parent = childStructure(parent, name, requiredStructures.has(name))
        index += 1
      }
    }
    const name = segments[index] ?? ''
    const member: StructureMember = {
      name,
      required: param.required,
      sensitive: SENSITIVE_MEMBERS.has(name),
      shape: memberShape(param, parent.members.get(name), param.type === 'list' ? limits[`${action}.${name}`] : undefined, limits[name]),
    }
    parent.members.set(name, member)
  }
  return root
}

/**
 * Limits the table leaves out (data/elb-iam-limits.json); the table's own win. `Member` limits a
 * string member or each string item of a list member of that name in every operation;
 * `Action.Member` limits the size of that operation's list.
 */
export type Limits = Readonly<Record<string, WireConstraints | undefined>>

function withLimit(source: WireConstraints, kind: string, limit: WireConstraints | undefined): WireConstraints {
  return kind === 'string' && limit !== undefined ? {...limit, ...source} : source
}

function memberShape(param: WireParam, existing: StructureMember | undefined, listLimit: WireConstraints | undefined, limit: WireConstraints | undefined): Shape {
  if (param.type !== 'list') return {kind: param.type, constraints: compileConstraints(withLimit(param, param.type, limit))}
  const constraints = compileConstraints({...listLimit, ...param})
  if (param.itemType === 'structure') {
    // Item members may already have been added by earlier rows (order in the table is not promised).
    const item = existing?.shape.kind === 'list' ? existing.shape.item : {kind: 'structure', members: new Map()}
    return {kind: 'list', item: item as Shape, constraints}
  }
  const itemKind = (param.itemType ?? 'string') as ScalarType
  return {kind: 'list', item: {kind: itemKind, constraints: compileConstraints(withLimit(param.item ?? {}, itemKind, limit))}, constraints}
}

/** A service's spec from its section of an operation table file. */
export function buildService(key: ServiceKey, source: WireService, limits: Limits = {}): ServiceSpec {
  const operations = new Map<string, OperationSpec>()
  for (const [action, operation] of Object.entries(source.operations)) {
    const spec: OperationSpec = {
      service: key,
      action,
      method: lowerCamel(action),
      input: buildInputShape(action, operation.params, limits),
      outputMembers: operation.outputMembers,
      ...(typeof operation.resultWrapper === 'string' ? {resultWrapper: operation.resultWrapper} : {}),
    }
    operations.set(action, spec)
  }
  return {key, apiVersion: source.apiVersion, xmlNamespace: source.xmlNamespace, operations}
}

let services: {elb: ServiceSpec; iam: ServiceSpec} | undefined

/** Both services' specs, built once from the data file. */
export function serviceSpecs(): {readonly elb: ServiceSpec; readonly iam: ServiceSpec} {
  if (services === undefined) {
    const file = loadData<OperationsFile>('elb-iam-operations.json')
    const limits = loadData<LimitsFile>('elb-iam-limits.json')
    services = {
      elb: buildService('elb', file.elasticloadbalancing, limits.elasticloadbalancing),
      iam: buildService('iam', file.iam, limits.iam),
    }
  }
  return services
}
