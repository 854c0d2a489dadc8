/** One command's help: what comes before the shared GENERAL OPTIONS and what comes after. */
export interface HelpText {
  readonly head: string
  readonly tail: string
}
