// Shared by every bin/<legacy-name> shim: run one legacy command from the bundled CLI
// (dist/lib/bundle, built by `npm run build`).
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true'

export async function runLegacy(name, prefix = []) {
  const {runLegacyBinary} = await import('../../dist/lib/bundle/main.js')
  process.exitCode = await runLegacyBinary(name, [...prefix, ...process.argv.slice(2)])
}
