import {createServer, type AddressInfo, type Server, type Socket} from 'node:net'
import {DataPlane} from '../../../src/engine/dataplane/index.js'
import {TestHealth, closeServer, freePort, instance, listener, makeLoadBalancer, rawExchange, stateOf} from './fixtures.js'

/**
 * `Connection: close` requests take the quick path both ways (issue 22): the client's head goes to
 * the instance as it came less its Connection line, and the instance's head comes back with its
 * `Connection: keep-alive` line cut and `Connection: close` stated, while the instance connection
 * itself stays pooled.
 */

const LB_ADDRESS = '127.1.0.41'
const INSTANCE_ADDRESS = '127.0.0.41'
const ANSWER = 'HTTP/1.1 200 OK\r\nServer: raw\r\nConnection: keep-alive\r\nContent-Length: 5\r\nX-After: 1\r\n\r\nhello'

describe('data plane: Connection: close requests', () => {
  const health = new TestHealth()
  const received: string[] = []
  let connections = 0
  let instanceServer: Server
  let dataPlane: DataPlane
  let lbPort: number

  beforeAll(async () => {
    // A raw instance: answers every complete head at once, keeps its connections open.
    instanceServer = createServer((socket: Socket) => {
      connections++
      let pending = ''
      socket.on('data', (chunk: Buffer) => {
        pending += chunk.toString('latin1')
        for (let end = pending.indexOf('\r\n\r\n'); end !== -1; end = pending.indexOf('\r\n\r\n')) {
          received.push(pending.slice(0, end + 4))
          pending = pending.slice(end + 4)
          socket.write(ANSWER)
        }
      })
    })
    await new Promise<void>(resolve => instanceServer.listen(0, INSTANCE_ADDRESS, resolve))
    const instancePort = (instanceServer.address() as AddressInfo).port
    lbPort = await freePort(LB_ADDRESS)
    dataPlane = new DataPlane({health, portOffset: 0})
    await dataPlane.apply(stateOf([makeLoadBalancer({
      name: 'close', localAddress: LB_ADDRESS, listeners: [listener('HTTP', lbPort, 'HTTP', instancePort)], instances: [instance('i-close', INSTANCE_ADDRESS)],
    })]))
  })

  afterAll(async () => {
    await dataPlane.close()
    await closeServer(instanceServer)
  })

  test('heads are relayed with only the Connection lines changed, and the instance connection is reused', async () => {
    for (const head of ['GET /a HTTP/1.1\r\nHost: h\r\nConnection: close\r\nAccept: */*\r\n\r\n', 'GET /b HTTP/1.1\r\nHost: h\r\nconnection:Close\r\n\r\n']) {
      const reply = await rawExchange(LB_ADDRESS, lbPort, head)
      expect(reply).toBe('HTTP/1.1 200 OK\r\nServer: raw\r\nContent-Length: 5\r\nX-After: 1\r\nConnection: close\r\n\r\nhello')
    }
    const forwarded = `X-Forwarded-For: 127.0.0.1\r\nX-Forwarded-Proto: http\r\nX-Forwarded-Port: ${lbPort}\r\n\r\n`
    expect(received).toEqual([`GET /a HTTP/1.1\r\nHost: h\r\nAccept: */*\r\n${forwarded}`, `GET /b HTTP/1.1\r\nHost: h\r\n${forwarded}`])
    expect(connections).toBe(1)
  })
})
