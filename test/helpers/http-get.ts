/** A plain client for a listener: one GET / over HTTP or HTTPS, as curl would send it. */
import {request as httpRequest} from 'node:http'
import {request as httpsRequest} from 'node:https'

/** One GET / over HTTP or HTTPS (certificate not verified, TLS 1.2), the status and body. */
export function getRoot(secure: boolean, address: string, port: number): Promise<{status: number; body: string}> {
  return new Promise((resolve, reject) => {
    const options = {host: address, port, path: '/', agent: false as const, timeout: 5_000}
    const req = secure
      ? httpsRequest({...options, rejectUnauthorized: false, minVersion: 'TLSv1.2', maxVersion: 'TLSv1.2'})
      : httpRequest(options)
    req.on('response', (res) => {
      let body = ''
      res.setEncoding('utf8')
      res.on('data', (chunk: string) => { body += chunk })
      res.on('end', () => { resolve({status: res.statusCode ?? 0, body}) })
    })
    req.on('timeout', () => req.destroy(new Error('timed out')))
    req.on('error', reject)
    req.end()
  })
}
