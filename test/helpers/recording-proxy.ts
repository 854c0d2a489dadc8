import {createServer, request as httpRequest, type Server} from 'node:http'
import type {AddressInfo} from 'node:net'

/**
 * A loopback HTTP proxy in front of the engine that notes what each request carried: the headers
 * that tell AWS's wire protocols apart. The CloudWatch client tests use it to assert which protocol
 * each client (SDK v3, aws-cli, boto3) spoke.
 */

export interface Seen {
  readonly path: string
  readonly contentType: string | undefined
  readonly smithyProtocol: string | undefined
  readonly target: string | undefined
  readonly body: string
}

export interface RecordingProxy {
  readonly endpoint: string
  /** What it forwarded since the last `clear()`. */
  readonly seen: Seen[]
  clear(): void
  close(): Promise<void>
}

export function protocolOf(request: Seen): string {
  if (request.smithyProtocol === 'rpc-v2-cbor') return 'rpcv2Cbor'
  if (request.contentType === 'application/x-amz-json-1.0') return 'awsJson1_0'
  if (request.contentType?.startsWith('application/x-www-form-urlencoded') === true) return 'awsQuery'
  return `unknown (${request.contentType ?? 'no Content-Type'})`
}

export async function startRecordingProxy(target: URL): Promise<RecordingProxy> {
  const seen: Seen[] = []
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = []
    req.on('data', (chunk: Buffer) => chunks.push(chunk))
    req.on('end', () => {
      const body = Buffer.concat(chunks)
      const header = (name: string) => { const value = req.headers[name]; return Array.isArray(value) ? value[0] : value }
      seen.push({path: req.url ?? '', contentType: header('content-type'), smithyProtocol: header('smithy-protocol'), target: header('x-amz-target'), body: body.toString('latin1')})
      const forward = httpRequest({host: target.hostname, port: target.port, method: req.method, path: req.url, headers: req.headers}, (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers)
        answer.pipe(res)
      })
      forward.once('error', () => res.destroy())
      forward.end(body)
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => { resolve() }))
  return {
    endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    seen,
    clear: () => { seen.length = 0 },
    close: () => new Promise((resolve) => { server.close(() => { resolve() }) }),
  }
}
