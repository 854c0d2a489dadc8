import {createServer, type Server} from 'node:http'
import type {AddressInfo} from 'node:net'
import {Router, type HttpHandler} from '../../../../src/engine/api/router.js'

/** The engine's path router, on a real socket. */

function answering(name: string): HttpHandler {
  return (req, res) => {
    res.writeHead(200, {'Content-Type': 'text/plain'}).end(`${name} ${req.url ?? ''}`)
    return Promise.resolve()
  }
}

async function serve(router: Router): Promise<{server: Server; base: string}> {
  const server = createServer(router.handle)
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => { resolve(); }))
  return {server, base: `http://127.0.0.1:${(server.address() as AddressInfo).port}`}
}

describe('Router', () => {
  it('sends a path to the longest mounted prefix, else to the fallback', async () => {
    const log: string[] = []
    const router = new Router({fallback: answering('api'), log: (line) => log.push(line)})
      .mount('/__elb-local/', answering('admin'))
      .mount('/console/', answering('console'))
      .mount('/console/metrics/', answering('metrics'))
      .mount('/broken/', () => Promise.reject(new Error('defect')))
    const {server, base} = await serve(router)
    try {
      const text = async (path: string) => (await fetch(base + path)).text()
      expect(await text('/?Action=DescribeLoadBalancers')).toBe('api /?Action=DescribeLoadBalancers')
      expect(await text('/__elb-local/status')).toBe('admin /__elb-local/status')
      expect(await text('/console/')).toBe('console /console/')
      expect(await text('/console')).toBe('console /console')
      expect(await text('/console/metrics/x?y=1')).toBe('metrics /console/metrics/x?y=1')
      expect(await text('/consoles')).toBe('api /consoles')
      const broken = await fetch(`${base}/broken/x`)
      expect(broken.status).toBe(500)
      expect(log).toEqual(['unhandled failure answering /broken/x: Error: defect'])
    } finally {
      server.closeAllConnections()
      await new Promise<void>((resolve) => server.close(() => { resolve(); }))
    }
  })

  it('refuses a prefix mounted twice or not of the form /name/', () => {
    const router = new Router({fallback: answering('api')}).mount('/console/', answering('console'))
    expect(() => router.mount('/console/', answering('again'))).toThrow('/console/ is mounted already')
    for (const bad of ['/', 'console/', '/console']) expect(() => router.mount(bad, answering('x'))).toThrow('a mount prefix must start and end with /')
  })
})
