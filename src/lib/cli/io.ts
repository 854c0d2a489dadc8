import type {Env} from '../client/target.js'

/** Everything a legacy command touches outside itself, injectable for tests. */
export interface CliIo {
  readonly env: Env
  readonly stdout: (text: string) => void
  readonly stderr: (text: string) => void
  /** One line from stdin (without the newline), or undefined at end of input. */
  readonly readLine: () => Promise<string | undefined>
  /** A file's text, or undefined when it does not exist. */
  readonly readFile: (path: string) => string | undefined
}
