import type {ServiceError} from '../model/errors.js'
import type {RequestContext} from '../model/types.js'
import type {OperationSpec, ServiceSpec} from './operations.js'
import type {DecodedInput, ProtocolId} from './protocols/protocol.js'

export type {DecodedInput} from './protocols/protocol.js'

/**
 * A wire service the engine answers: its operation table, the protocols it speaks, the names it is
 * mounted by (signing name, host prefix, Smithy service name, Query `Version`s) and how to call the
 * model for each operation. ELB, IAM and EC2 today (services/*.ts); CloudWatch or ACM would be one
 * more defineService with its table, its protocols and its dispatch map.
 */
export interface ApiService {
  /** A short name for logs and for the operation table (`elb`, `iam`, `ec2`). */
  readonly name: string
  /** The Query `Version` values this service answers; the first is the one its table describes. */
  readonly versions: readonly string[]
  /** The SigV4 signing name (the credential scope's service): `elasticloadbalancing`, `iam`, `ec2`. */
  readonly signingName: string
  /** The first label of its regional host name: `{endpointPrefix}.{region}.amazonaws.com`. */
  readonly endpointPrefix: string
  /** The Smithy service shape's name: the JSON `X-Amz-Target` prefix and RPC v2 CBOR's `/service/{name}`. */
  readonly shapeName: string
  /** The wire protocols it speaks (its Smithy protocol traits). */
  readonly protocols: readonly ProtocolId[]
  /** The operation table: operation → input shape, result wrapper and output members. */
  readonly spec: ServiceSpec
  /** The XML namespace of its answers for `version` (Query protocols). */
  xmlNamespace(version: string | undefined): string
  /** awsQueryCompatible services: Query code → the error shape's Smithy id (protocols/protocol.ts). */
  readonly queryCompatibleErrors?: ReadonlyMap<string, string>
  /** JSON-only services: the `__type` a constraint violation is answered with (ACM: `ValidationException`). */
  readonly validationErrorType?: string
  /** Calls the model for `operation` (already resolved and decoded). */
  invoke(operation: OperationSpec, ctx: RequestContext, input: DecodedInput): unknown
  /**
   * Whether `version` (one of `versions`) has `action` (in the table). Absent: every version has
   * every Action. ELB answers an Action newer than the requested version with InvalidAction.
   */
  supports?(action: string, version: string): boolean
  /** The error for an Action the service does not have (default: ELB/IAM's InvalidAction text). */
  unknownAction?(action: string, version: string): ServiceError
  /** Whether a success of `action` changed state (the runtime must catch up before the answer). */
  isWrite(action: string): boolean
}

/** Calls one method of the service implementation `S`. */
export type Invoker<S> = (service: S, ctx: RequestContext, input: DecodedInput) => unknown

/**
 * One invoker per operation of a service's table. `satisfies DispatchMap<Actions, Impl>` makes a
 * missing operation, an unknown one or a missing model method a compile error.
 */
export type DispatchMap<A extends string, S> = {readonly [K in A]: Invoker<S>}

/** Reads: Describe*, Get*, List*. Everything else changes state when it succeeds. */
export function isReadAction(action: string): boolean {
  return /^(Describe|Get|List)/.test(action)
}

export interface ServiceDefinition<A extends string, S> extends Omit<ApiService, 'invoke' | 'isWrite'> {
  /** The operations the code knows, as a const tuple; must equal the table's (checked here). */
  readonly actions: readonly A[]
  readonly dispatch: DispatchMap<A, S>
  readonly implementation: S
}

/**
 * What keeps a table (data) and a dispatch map (code) apart: the table's operations nobody
 * dispatches and the dispatched ones the table lacks. Empty when they agree.
 */
export function dispatchMismatch(spec: ServiceSpec, dispatch: object): string | undefined {
  const known = new Set(Object.keys(dispatch))
  const missing = [...spec.operations.keys()].filter((action) => !known.has(action))
  const extra = [...known].filter((action) => !spec.operations.has(action))
  if (missing.length === 0 && extra.length === 0) return undefined
  return `not dispatched [${missing.join(', ')}], not in the table [${extra.join(', ')}]`
}

/**
 * An ApiService from a table, a compiler-checked dispatch map and the model object behind it. The
 * table is data (JSON) and the dispatch map is code, so this also refuses to build when the two
 * disagree: an engine defect, reported at start-up rather than as a 500 on first use.
 */
export function defineService<A extends string, S>(definition: ServiceDefinition<A, S>): ApiService {
  const {actions, dispatch, implementation, ...service} = definition
  const mismatch = dispatchMismatch(service.spec, dispatch) ?? dispatchMismatch(service.spec, Object.fromEntries(actions.map((a) => [a, a])))
  if (mismatch !== undefined) throw new Error(`the ${service.name} dispatch map and its operation table disagree: ${mismatch}`)
  const invokers: ReadonlyMap<string, Invoker<S>> = new Map(Object.entries<Invoker<S>>(dispatch))
  return {
    ...service,
    isWrite: (action) => !isReadAction(action),
    invoke(operation, ctx, input) {
      const invoker = invokers.get(operation.action)
      // Unreachable after the check above: the registry only yields operations of this table.
      if (invoker === undefined) throw new Error(`the ${service.name} service has no invoker for ${operation.action}`)
      return invoker(implementation, ctx, input)
    },
  }
}
