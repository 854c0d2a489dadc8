import type {Env} from '../client/target.js'

/** Everything a legacy command touches outside itself, injectable for tests. */
export interface CliIo {
  readonly env: Env
  stdout(text: string): void
  stderr(text: string): void
  /** One line from stdin (without the newline), or undefined at end of input. */
  readLine(): Promise<string | undefined>
  /** A file's text, or undefined when it does not exist. */
  readFile(path: string): string | undefined
}
