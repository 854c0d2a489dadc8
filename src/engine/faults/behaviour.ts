/**
 * The instance-side faults, played by the engine's stand-in back end (instances/demo-backend.ts):
 * a request from the load balancer to a faulted instance is answered late, with another status,
 * with bytes that are not HTTP, cut off, or not at all. The health checker's own requests
 * (its User-Agent) are answered normally: `fail-health-checks` is the fault for those.
 */
import type {IncomingMessage, ServerResponse} from 'node:http'
import {FAULTS_BY_HOST, hits, type BehaviourFault} from './active.js'

/** The health checker's User-Agent (health/probes.ts `HEALTH_CHECK_USER_AGENT`; not imported: the stand-in stays apart from health). */
const HEALTH_CHECKER = 'ELB-HealthChecker/1.0'

/** The fault that hits this request to the instance at `host`, if any. */
export function behaviourFault(host: string, req: IncomingMessage): BehaviourFault | undefined {
  if (FAULTS_BY_HOST.size === 0) return undefined
  const faults = FAULTS_BY_HOST.get(host)?.behaviour
  if (faults === undefined || faults.length === 0 || req.headers['user-agent'] === HEALTH_CHECKER) return undefined
  return faults.find((fault) => hits(fault.probability))
}

/** A body long enough that a reset after its first part is a reset mid-response. */
const RESET_BODY_BYTES = 64 * 1024

/** Misbehave as `fault` says; `answer` is the instance's normal answer (for `delay`). */
export function misbehave(fault: BehaviourFault, req: IncomingMessage, res: ServerResponse, answer: () => void): void {
  const socket = req.socket
  req.resume()
  switch (fault.kind) {
    case 'hang':
      // Read everything, answer nothing: the load balancer's idle timeout decides (504).
      return
    case 'delay': {
      const timer = setTimeout(answer, fault.delayMs)
      res.once('close', () => { clearTimeout(timer); })
      return
    }
    case 'status': {
      const text = `fault ${fault.id}: status ${fault.status}\n`
      res.writeHead(fault.status, {'Content-Type': 'text/plain', 'Content-Length': Buffer.byteLength(text)})
      res.end(req.method === 'HEAD' ? undefined : text)
      return
    }
    case 'malformed':
      // Not a status line: the load balancer cannot parse it (502).
      socket.end(`HTTP/1.1 OK-ISH\r\nfault: ${fault.id}\r\n\r\n`, 'latin1')
      return
    case 'reset':
      // A head and the first part of a longer body, then a TCP reset once those bytes are out.
      socket.write(`HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: ${RESET_BODY_BYTES}\r\n\r\n${'x'.repeat(1024)}`, 'latin1', () => {
        // A TLS socket may refuse a raw reset: then it is destroyed, which the proxy sees the same way (truncated).
        try {
          socket.resetAndDestroy()
        } catch {
          socket.destroy()
        }
      })
      return
    case 'close-after-headers':
      // The request head was read; the instance closes without a byte of answer (504).
      socket.end()
      return
  }
}
