/** What the last request/response looked like on the wire, for `--show-request` / `--show-xml`. */
export interface Exchange {
  requestUrl?: string
  /** The request URL without its query: the endpoint named in errors about its answer. */
  endpoint?: string
  /** `ELB` or `IAM`: whose API the answer should have been. */
  api?: string
  statusCode?: number
  headers?: Readonly<Record<string, string>>
  body?: string
}
