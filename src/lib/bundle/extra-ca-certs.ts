/**
 * `NODE_EXTRA_CA_CERTS`, applied when TLS is first used instead of at Node's start-up.
 *
 * When the variable is set, Node parses its bundled root certificates and the extra file before
 * running any script (about 35 ms with a distribution's CA bundle) — wasted on every command that
 * talks plain HTTP to the local engine. The `bin/` shims therefore hand the value over in
 * `DEFERRED_CA_CERTS_VARIABLE` instead; the snapshot's main function puts `NODE_EXTRA_CA_CERTS` back
 * (child processes see the environment as given) and trusts the file's certificates, added to
 * Node's root certificates, from the first TLS connection on — what Node itself would have done.
 */
import {readFileSync} from 'node:fs'

export const DEFERRED_CA_CERTS_VARIABLE = 'ELB_TOOLS_DEFERRED_NODE_EXTRA_CA_CERTS'
/** Called by the bundle's stand-ins for `tls`, `https` and `http2` before the real module loads. */
export const BEFORE_TLS_HOOK = '__elbToolsBeforeTls'

export function restoreDeferredCaCertificates(env: NodeJS.ProcessEnv = process.env): void {
  const file = env[DEFERRED_CA_CERTS_VARIABLE]
  if (file === undefined) return
  Reflect.deleteProperty(env, DEFERRED_CA_CERTS_VARIABLE)
  env['NODE_EXTRA_CA_CERTS'] = file
  const hooks = globalThis as Record<string, unknown>
  hooks[BEFORE_TLS_HOOK] = () => {
    Reflect.deleteProperty(hooks, BEFORE_TLS_HOOK)
    trustExtraCertificates(file)
  }
}

function trustExtraCertificates(file: string): void {
  const tls = process.getBuiltinModule('node:tls')
  let extra: string[]
  try {
    extra = file === '' ? [] : [readFileSync(file, 'latin1')]
  } catch (error) {
    // Node's own wording when it cannot load the file; the certificates are then ignored.
    const reason = error instanceof Error ? error.message : String(error)
    process.stderr.write(`Warning: Ignoring extra certs from \`${file}\`, load failed: ${reason}\n`)
    return
  }
  const createSecureContext = tls.createSecureContext
  const trusted = [...tls.rootCertificates, ...extra]
  tls.createSecureContext = (options) =>
    createSecureContext(options?.ca === undefined ? {...options, ca: trusted} : options)
}
