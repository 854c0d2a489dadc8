// Shared by every bin/<name> shim when it runs down the module path (`node bin/<name>`, or before
// this machine has a start-up snapshot): runs the command from the bundled CLI (dist/lib/bundle,
// built by `npm run build`), and asks for the snapshot to be made for the next run.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true'

export async function run(name) {
  const [{runLegacyBinary}, {scheduleSnapshot}] = await Promise.all([
    import('../../dist/lib/bundle/main.js'),
    import('../../dist/lib/bundle/snapshot-cache.js'),
  ])
  scheduleSnapshot()
  process.exitCode = await runLegacyBinary(name, process.argv.slice(2))
}
