/** One command's help: what comes before the shared GENERAL OPTIONS and what comes after. */
export interface HelpText {
  readonly head: string
  readonly tail: string
  /** The endpoint variable GENERAL OPTIONS names under `-U, --url` (`AWS_CLOUDWATCH_URL` for mon-*); AWS_ELB_URL when absent. */
  readonly urlVariable?: string
}
