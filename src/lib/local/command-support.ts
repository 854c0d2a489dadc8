/** What every `elb-local` command shares: where the engine is, and how failures read. */
import type {CliIo} from '../cli/io.js'
import {probeEngine} from '../client/engine-probe.js'
import {engineEndpoint, engineHome, ensureLocalEngine, EndpointError, PortHeldError, LocalEngineUnreachableError} from '../client/local-engine.js'
import {AdminApiError, AdminClient, EngineNotRunningError} from './admin-client.js'
import {LocalCommandError} from './command.js'

/** ELB_LOCAL_ENDPOINT (default http://127.0.0.1:8773), a bad value reported as one sentence. */
export function localEndpoint(io: CliIo): string {
  try {
    return engineEndpoint(io.env)
  } catch (error) {
    if (error instanceof EndpointError) throw new LocalCommandError(error.message)
    throw error
  }
}

/** The admin client of a running engine: says so when nothing, or another program, answers. */
export async function runningAdminClient(io: CliIo): Promise<AdminClient> {
  const endpoint = localEndpoint(io)
  const probe = await probeEngine(endpoint)
  if (probe.kind === 'nothing') throw new LocalCommandError(new EngineNotRunningError(endpoint).message)
  if (probe.kind === 'foreign') throw new LocalCommandError(new PortHeldError(endpoint).message)
  return new AdminClient(endpoint, engineHome(io.env))
}

/** Like runningAdminClient, starting the engine first if nothing answers (unless ELB_LOCAL_AUTOSTART=0). */
export async function autostartedAdminClient(io: CliIo): Promise<AdminClient> {
  const endpoint = localEndpoint(io)
  try {
    await ensureLocalEngine(endpoint, {stderr: io.stderr, env: io.env})
  } catch (error) {
    if (error instanceof PortHeldError || error instanceof LocalEngineUnreachableError) throw new LocalCommandError(error.message)
    throw error
  }
  return new AdminClient(endpoint, engineHome(io.env))
}

/** Runs an admin call, turning its failures into one-line errors with exit code 1. */
export async function adminCall<T>(call: () => Promise<T>): Promise<T> {
  try {
    return await call()
  } catch (error) {
    if (error instanceof AdminApiError) throw new LocalCommandError(`${error.code}: ${error.message}`)
    if (error instanceof EngineNotRunningError) throw new LocalCommandError(error.message)
    throw error
  }
}

/** One line per demo back end of these instances that could not bind (no privilege, address taken). */
export async function backendFailures(client: AdminClient, instanceIds: readonly string[]): Promise<string[]> {
  const status = await client.status().catch(() => undefined)
  return (status?.backends ?? [])
    .filter((backend) => backend.state === 'error' && instanceIds.includes(backend.instanceId))
    .map((backend) => `${backend.instanceId} cannot serve ${backend.protocol} on ${backend.privateIp}:${backend.localPort}: ${backend.error ?? 'not listening'}`)
}
