import {runLegacyBinary} from '../../src/lib/cli/main.js'
import type {CliIo} from '../../src/lib/cli/io.js'

export interface CliRun {
  readonly stdout: string
  readonly stderr: string
  readonly code: number
}

/** Runs a legacy command in-process with captured streams; `stdin` lines answer the `[Ny]` prompt. */
export async function runCli(
  name: string,
  argv: readonly string[],
  options: {env?: Record<string, string>; stdin?: readonly string[]; files?: Record<string, string>} = {},
): Promise<CliRun> {
  let stdout = ''
  let stderr = ''
  const stdin = [...(options.stdin ?? [])]
  const io: CliIo = {
    env: {AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true', ELB_LOCAL_AUTOSTART: '0', ...options.env},
    stdout: (text) => {
      stdout += text
    },
    stderr: (text) => {
      stderr += text
    },
    readLine: () => Promise.resolve(stdin.shift()),
    readFile: (path) => options.files?.[path],
  }
  const code = await runLegacyBinary(name, argv, io)
  return {stdout, stderr, code}
}

/** The endpoint/credential options every mocked command line carries (no local engine involved). */
export const MOCK_TARGET = ['-U', 'http://127.0.0.1:9/', '-I', 'AKIDTEST', '-S', 'secret'] as const
