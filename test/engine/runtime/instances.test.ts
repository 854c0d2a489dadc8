import {execFileSync} from 'node:child_process'
import {createHash, X509Certificate} from 'node:crypto'
import {existsSync} from 'node:fs'
import {request as httpRequest} from 'node:http'
import {request as httpsRequest} from 'node:https'
import {connect} from 'node:net'
import {join} from 'node:path'
import {TLSSocket} from 'node:tls'
import {afterAll, beforeAll, describe, expect, it} from '@jest/globals'
import {AdminApiError} from '../../../src/lib/local/admin-client.js'
import {startTestEngine, type TestEngine} from '../../helpers/engine.js'

interface Answer {
  status: number
  body: Record<string, unknown>
  peerCertificateDer?: Buffer
}

function get(protocol: 'http' | 'https', host: string, port: number, path = '/'): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const request = protocol === 'https' ? httpsRequest : httpRequest
    const req = request({host, port, path, agent: false, rejectUnauthorized: false, headers: {'X-Test': 'yes'}}, (res) => {
      const chunks: Buffer[] = []
      res.on('data', (chunk: Buffer) => chunks.push(chunk))
      res.on('end', () => {
        const socket = res.socket
        const der = socket instanceof TLSSocket ? socket.getPeerCertificate().raw : undefined
        resolve({
          status: res.statusCode ?? 0,
          body: JSON.parse(Buffer.concat(chunks).toString('utf8')) as Record<string, unknown>,
          ...(der === undefined ? {} : {peerCertificateDer: der}),
        })
      })
    })
    req.setTimeout(5000, () => req.destroy(new Error('timeout')))
    req.on('error', reject)
    req.end()
  })
}

function refused(host: string, port: number): Promise<boolean> {
  return get('http', host, port).then(() => false, () => true)
}

describe('local instances and demo backends', () => {
  let t: TestEngine
  beforeAll(async () => {
    t = await startTestEngine()
  })
  afterAll(async () => {
    await t.close()
  })

  it('runs an instance with a chosen id on the first free address and serves HTTP and HTTPS', async () => {
    const [instance] = await t.runInstances({instanceId: 'i-4f8cf126', serve: [{protocol: 'http', port: 8080}, {protocol: 'https', port: 8443}]})
    expect(instance).toMatchObject({instanceId: 'i-4f8cf126', state: 'running', availabilityZone: 'us-east-1a'})
    const ip = instance?.privateIp ?? ''
    expect(ip).toMatch(/^127\.0\.\d+\.2$/)

    const plain = await get('http', ip, 8080, '/ping?x=1')
    expect(plain.status).toBe(200)
    expect(plain.body).toMatchObject({instanceId: 'i-4f8cf126', privateIp: ip, port: 8080, request: {method: 'GET', url: '/ping?x=1'}})
    expect((plain.body.headers as Record<string, string>)['x-test']).toBe('yes')

    const secure = await get('https', ip, 8443)
    expect(secure.body).toMatchObject({instanceId: 'i-4f8cf126', protocol: 'https', port: 8443})
    // The back-end authentication steps extract the key with openssl: it must match what is served.
    const certFile = join(t.home, 'instances', 'i-4f8cf126', 'cert.pem')
    expect(existsSync(certFile)).toBe(true)
    const pem = execFileSync('openssl', ['x509', '-in', certFile, '-pubkey', '-noout'], {encoding: 'utf8'})
    const opensslKey = pem.replace(/-----(BEGIN|END) PUBLIC KEY-----|\s/g, '')
    const served = new X509Certificate(secure.peerCertificateDer ?? Buffer.alloc(0))
    const servedKey = served.publicKey.export({type: 'spki', format: 'der'}).toString('base64')
    expect(servedKey).toBe(opensslKey)
  })

  it('accepts and echoes a PROXY protocol line in front of the request', async () => {
    const [instance] = await t.admin.describeInstances(undefined, ['i-4f8cf126'])
    const text = await new Promise<string>((resolve, reject) => {
      const socket = connect({host: instance?.privateIp ?? '', port: 8080}, () => {
        socket.write('PROXY TCP4 198.51.100.22 203.0.113.7 35646 80\r\nGET /p HTTP/1.1\r\nHost: lb\r\nConnection: close\r\n\r\n')
      })
      let received = ''
      socket.on('data', (chunk: Buffer) => (received += chunk.toString()))
      socket.on('end', () => { resolve(received) })
      socket.on('error', reject)
    })
    const body = JSON.parse(text.slice(text.indexOf('\r\n\r\n') + 4)) as Record<string, unknown>
    expect(body).toMatchObject({proxyProtocol: 'PROXY TCP4 198.51.100.22 203.0.113.7 35646 80', request: {url: '/p'}})
  })

  it('launches several instances on consecutive free addresses with generated ids', async () => {
    const instances = await t.runInstances({count: 2})
    expect(instances.map((instance) => instance.instanceId)).toEqual([expect.stringMatching(/^i-[0-9a-f]{8}$/), expect.stringMatching(/^i-[0-9a-f]{8}$/)])
    expect(instances.map((instance) => instance.privateIp.split('.')[3])).toEqual(['3', '4'])
    const described = await t.admin.describeInstances()
    expect(described.map((instance) => instance.instanceId)).toContain(instances[0]?.instanceId)
  })

  it('stop takes the backends down; start brings them back on a NEW address', async () => {
    const [before] = await t.admin.describeInstances(undefined, ['i-4f8cf126'])
    const oldIp = before?.privateIp ?? ''
    const [stopped] = await t.stopInstances('i-4f8cf126')
    expect(stopped?.state).toBe('stopped')
    expect(await refused(oldIp, 8080)).toBe(true)

    const [started] = await t.startInstances('i-4f8cf126')
    expect(started?.state).toBe('running')
    expect(started?.privateIp).not.toBe(oldIp)
    expect(await refused(oldIp, 8080)).toBe(true)
    const answer = await get('http', started?.privateIp ?? '', 8080)
    expect(answer.body).toMatchObject({instanceId: 'i-4f8cf126', privateIp: started?.privateIp})

    // The certificate (and so the pinned public key) survives the restart.
    const secure = await get('https', started?.privateIp ?? '', 8443)
    const fingerprint = (der: Buffer | undefined) => createHash('sha256').update(der ?? Buffer.alloc(0)).digest('hex')
    const certFile = join(t.home, 'instances', 'i-4f8cf126', 'cert.pem')
    const onDisk = new X509Certificate(execFileSync('openssl', ['x509', '-in', certFile, '-outform', 'DER']))
    expect(fingerprint(secure.peerCertificateDer)).toBe(fingerprint(onDisk.raw))
  })

  it('terminate stops the backends and frees the address', async () => {
    const [instance] = await t.runInstances({serve: [{protocol: 'http', port: 8081}]})
    const id = instance?.instanceId ?? ''
    expect((await get('http', instance?.privateIp ?? '', 8081)).status).toBe(200)
    const [terminated] = await t.terminateInstances(id)
    expect(terminated?.state).toBe('terminated')
    expect(await refused(instance?.privateIp ?? '', 8081)).toBe(true)
    await expect(t.startInstances(id)).rejects.toMatchObject({code: 'IncorrectInstanceState'})
  })

  it('rejects bad input with EC2-style errors and changes nothing', async () => {
    const count = (await t.admin.describeInstances()).length
    await expect(t.runInstances({instanceId: 'i-xyz'})).rejects.toMatchObject({code: 'InvalidInstanceID.Malformed'})
    await expect(t.runInstances({instanceId: 'i-4f8cf126'})).rejects.toMatchObject({code: 'InvalidParameterValue', message: 'Instance i-4f8cf126 already exists.'})
    await expect(t.runInstances({availabilityZone: 'eu-west-1a'})).rejects.toMatchObject({message: 'Invalid availability zone: [eu-west-1a]'})
    await expect(t.runInstances({privateIp: '10.0.0.1'})).rejects.toBeInstanceOf(AdminApiError)
    await expect(t.runInstances({count: 0})).rejects.toMatchObject({code: 'InvalidParameterValue'})
    await expect(t.stopInstances('i-00000000')).rejects.toMatchObject({code: 'InvalidInstanceID.NotFound', message: "The instance ID 'i-00000000' does not exist"})
    await expect(t.runInstances({serve: [{protocol: 'ftp', port: 21}]})).rejects.toMatchObject({code: 'InvalidParameterValue'})
    expect((await t.admin.describeInstances()).length).toBe(count)
  })
})
