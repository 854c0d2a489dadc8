/** What the last request/response looked like on the wire, for `--show-request` / `--show-xml`. */
export interface Exchange {
  requestUrl?: string
  statusCode?: number
  headers?: Readonly<Record<string, string>>
  body?: string
}
