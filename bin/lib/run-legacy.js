// Shared by every bin/<legacy-name> shim: run one legacy command from the compiled CLI.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true'

export async function runLegacy(name) {
  const {runLegacyBinary} = await import('../../dist/lib/bundle/main.js')
  process.exitCode = await runLegacyBinary(name, process.argv.slice(2))
}
