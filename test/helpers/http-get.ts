/** A plain client for a listener: one GET / over HTTP or HTTPS, as curl would send it, and the certificate a TLS listener presents. */
import {request as httpRequest} from 'node:http'
import {request as httpsRequest} from 'node:https'
import type {X509Certificate} from 'node:crypto'
import {connect} from 'node:tls'

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

/** The certificate a TLS listener at `address:port` presents (SNI `servername`, not verified). */
export function presentedCertificate(address: string, port: number, servername = 'www.example.com'): Promise<X509Certificate | undefined> {
  return new Promise((resolve, reject) => {
    const socket = connect({host: address, port, rejectUnauthorized: false, servername}, () => {
      resolve(socket.getPeerX509Certificate())
      socket.destroy()
    })
    socket.on('error', reject)
  })
}
