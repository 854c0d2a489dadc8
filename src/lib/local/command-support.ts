/** What every `elb-local` command shares: where the engine is, and how failures read. */
import {engineEndpoint, ensureLocalEngine} from '../client/local-engine.js'
import {AdminApiError, AdminClient, EngineNotRunningError} from './admin-client.js'

export interface CommandIo {
  error(message: string, options: {exit: number}): never
}

/** The admin client for ELB_LOCAL_ENDPOINT (default http://127.0.0.1:8773). */
export function adminClient(): AdminClient {
  return new AdminClient(engineEndpoint())
}

/** Like adminClient, starting the engine first if nothing answers (unless ELB_LOCAL_AUTOSTART=0). */
export async function autostartedAdminClient(): Promise<AdminClient> {
  const endpoint = engineEndpoint()
  await ensureLocalEngine(endpoint, {stderr: (text) => process.stderr.write(text)})
  return new AdminClient(endpoint)
}

/** Runs an admin call, turning its failures into one-line errors with exit code 1. */
export async function adminCall<T>(io: CommandIo, call: () => Promise<T>): Promise<T> {
  try {
    return await call()
  } catch (error) {
    if (error instanceof AdminApiError) io.error(`${error.code}: ${error.message}`, {exit: 1})
    if (error instanceof EngineNotRunningError) io.error(error.message, {exit: 1})
    throw error
  }
}

/** Demo backends that could not bind (no privilege, port taken) are reported, never silent. */
export async function warnAboutBackends(client: AdminClient, instanceIds: readonly string[]): Promise<void> {
  const status = await client.status().catch(() => undefined)
  for (const backend of status?.backends ?? []) {
    if (backend.state === 'error' && instanceIds.includes(backend.instanceId)) {
      process.stderr.write(`Warning: ${backend.instanceId} cannot serve ${backend.protocol} on ${backend.privateIp}:${backend.localPort}: ${backend.error ?? 'not listening'}\n`)
    }
  }
}
