/**
 * Entry of the CLI's start-up snapshot. `build.ts` bundles it (with the CLI and the AWS SDK parts
 * the commands use) into one CommonJS script and runs `node --build-snapshot` on it: every module
 * is evaluated once at build time, so a run only deserialises the heap instead of loading files.
 *
 * Nothing here may capture the build machine: the environment, the working directory, argv, the
 * streams, clocks and randomness are all read when a command runs (the modules below only read them
 * inside functions). The package root comes from the script path the `bin/` shim passes as argv[1].
 */
import './build-time-shims.js'
import {basename, dirname, join, resolve} from 'node:path'
import {startupSnapshot} from 'node:v8'
import {runLegacyBinary} from '../cli/main.js'
import {ELB_COMMANDS} from '../cli/specs/index.js'
import {restoreDeferredCaCertificates} from './extra-ca-certs.js'
import {setBundledPackageRoot} from './module-url.js'

/**
 * Evaluates at build time what an `elb-*` command run loads lazily. The IAM commands load their
 * client when they run: preloading it grows the heap every command deserialises (~2 ms each).
 */
async function preload(): Promise<void> {
  await Promise.all([
    ...Object.values(ELB_COMMANDS).map((load) => load()),
    import('../cli/runner.js'),
    import('../cli/help/texts.js'),
    import('../local/main.js'),
    import('@aws-sdk/client-elastic-load-balancing'),
  ])
}

function runFromSnapshot(): void {
  restoreDeferredCaCertificates()
  process.env['AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED'] = 'true'
  // The shim runs `node --snapshot-blob BLOB bin/<name> ARGS…`: argv[1] is the real script path.
  const script = resolve(process.argv[1] ?? '')
  setBundledPackageRoot(join(dirname(script), '..'))
  void runLegacyBinary(basename(script), process.argv.slice(2)).then((code) => {
    process.exitCode = code
  })
}

startupSnapshot.setDeserializeMainFunction(runFromSnapshot)
void preload()
