import type {ServiceError} from '../model/errors.js'
import type {RequestContext} from '../model/types.js'
import type {OperationSpec, ServiceSpec} from './operations.js'
import type {QueryParams} from './query-parser.js'

/**
 * A Query API service the engine answers: which `Version`s it speaks, its operation table (from
 * data/), how to call the model for each Action, and how its answers look on the wire. ELB
 * 2012-06-01 and IAM 2010-05-08 are the two today (services/elb.ts, services/iam.ts); another API
 * version or another service (EC2) is one more ApiService handed to the pipeline.
 */
export interface ApiService {
  /** A short name for logs and for the operation table (`elb`, `iam`). */
  readonly name: string
  /** The `Version` values this service answers; the first is the one its table describes. */
  readonly versions: readonly string[]
  /** The SigV4 signing name (the credential scope's service): `elasticloadbalancing`, `iam`. */
  readonly signingName: string
  /** The operation table: Action → input shape, result wrapper and output members. */
  readonly spec: ServiceSpec
  /** Calls the model for `operation` (already resolved and decoded). */
  invoke(operation: OperationSpec, ctx: RequestContext, input: DecodedInput): unknown
  /**
   * Whether `version` (one of `versions`) has `action` (in the table). Absent: every version has
   * every Action. ELB answers an Action newer than the requested version with InvalidAction.
   */
  supports?(action: string, version: string): boolean
  /** The error for an Action the service does not have (default: ELB/IAM's InvalidAction text). */
  unknownAction?(action: string, version: string): ServiceError
  /**
   * Reads the request's parameters into the input `invoke` gets. Absent: the table's input shape
   * decodes them (decode.ts). EC2's list encoding (`Name.N`, no `.member.`) has its own reader.
   */
  decode?(operation: OperationSpec, params: QueryParams): DecodedInput
  /** Whether a success of `action` changed state (the runtime must catch up before the answer). */
  isWrite(action: string): boolean
  readonly wire: WireFormat
}

/** How a service writes its answers (AWS Query XML for ELB and IAM; EC2 has its own shape). */
export interface WireFormat {
  readonly contentType: string
  result(answer: {readonly operation: OperationSpec; readonly version: string; readonly requestId: string; readonly result: unknown}): string
  error(answer: {readonly version: string | undefined; readonly requestId: string; readonly error: ServiceError}): string
}

/** The decoded input of an operation: checked against the table's input shape, which is the SDK's. */
export type DecodedInput = object

/** Calls one method of the service implementation `S`. */
export type Invoker<S> = (service: S, ctx: RequestContext, input: DecodedInput) => unknown

/**
 * One invoker per Action of a service's table. `satisfies DispatchMap<Actions, Impl>` makes a
 * missing Action, an unknown one or a missing model method a compile error.
 */
export type DispatchMap<A extends string, S> = {readonly [K in A]: Invoker<S>}

/** Reads: Describe*, Get*, List*. Everything else changes state when it succeeds. */
export function isReadAction(action: string): boolean {
  return /^(Describe|Get|List)/.test(action)
}

export interface QueryServiceDefinition<A extends string, S> {
  readonly name: string
  readonly versions: readonly string[]
  readonly signingName: string
  readonly spec: ServiceSpec
  /** The Actions the code knows, as a const tuple; must equal the table's (checked at start-up). */
  readonly actions: readonly A[]
  readonly dispatch: DispatchMap<A, S>
  readonly implementation: S
  readonly wire: WireFormat
}

/**
 * An ApiService from a table, a compiler-checked dispatch map and the model object behind it. The
 * table is data (JSON) and the dispatch map is code, so this also refuses to build when the two
 * disagree: an engine defect, reported at start-up rather than as a 500 on first use.
 */
export function defineQueryService<A extends string, S>(definition: QueryServiceDefinition<A, S>): ApiService {
  const {spec, actions, dispatch, implementation} = definition
  const known = new Set<string>(actions)
  const inTable = [...spec.operations.keys()]
  const missing = inTable.filter((action) => !known.has(action))
  const extra = actions.filter((action) => !spec.operations.has(action))
  if (missing.length > 0 || extra.length > 0) {
    throw new Error(`the ${definition.name} dispatch map and its operation table disagree: ` +
      `not dispatched [${missing.join(', ')}], not in the table [${extra.join(', ')}]`)
  }
  const invokers: ReadonlyMap<string, Invoker<S>> = new Map(Object.entries<Invoker<S>>(dispatch))
  return {
    name: definition.name,
    versions: definition.versions,
    signingName: definition.signingName,
    spec,
    wire: definition.wire,
    isWrite: (action) => !isReadAction(action),
    invoke(operation, ctx, input) {
      const invoker = invokers.get(operation.action)
      // Unreachable after the check above: resolve() only yields Actions of this table.
      if (invoker === undefined) throw new Error(`the ${definition.name} service has no invoker for ${operation.action}`)
      return invoker(implementation, ctx, input)
    },
  }
}
