/**
 * Loopback address blocks for tests, claimed rather than guessed. A claim is a listening socket
 * held on an address of the block that the engine never hands out (the block's `.255` host, port
 * `CLAIM_PORT`): another test process — a parallel jest worker, a second run — that tries the same
 * block cannot bind it and moves on to the next. The claim lasts until `release()`.
 *
 * Because a claimed address is used by one test file only, a port found free on it by binding
 * port 0 stays free until that file binds it: nothing else binds on that address.
 */
import {readFileSync} from 'node:fs'
import {createServer, type Server} from 'node:net'

const CLAIM_PORT = 47_999

export interface Claim {
  /** The block: `127.0.N` (instances), `127.N` (load balancers) or a single `127.1.N.M` address. */
  readonly block: string
  release(): Promise<void>
}

function hold(address: string): Promise<Server | undefined> {
  return new Promise(resolve => {
    const server = createServer()
    server.once('error', () => { resolve(undefined) })
    server.listen(CLAIM_PORT, address, () => {
      server.unref()
      resolve(server)
    })
  })
}

async function claimFirst(candidates: readonly string[], claimAddress: (block: string) => string): Promise<Claim> {
  // Start somewhere different in each process so parallel workers rarely try the same block first.
  const start = (process.pid * 7919 + Number(process.env.JEST_WORKER_ID ?? 0) * 104_729) % candidates.length
  for (let i = 0; i < candidates.length; i++) {
    const block = candidates[(start + i) % candidates.length] as string
    const server = await hold(claimAddress(block))
    if (server !== undefined) {
      return {block, release: () => new Promise<void>(resolve => server.close(() => { resolve() }))}
    }
  }
  throw new Error('every test address block is claimed by another process')
}

const range = (from: number, to: number): number[] => Array.from({length: to - from + 1}, (_, i) => from + i)

/** An instance network `127.0.N` (instances get `.2` upward). */
export function claimInstanceNetwork(): Promise<Claim> {
  return claimFirst(range(2, 251).map(n => `127.0.${n}`), block => `${block}.255`)
}

/** A load-balancer network `127.N` (load balancers get `127.N.0.1` upward). */
export function claimLoadBalancerNetwork(): Promise<Claim> {
  return claimFirst(range(100, 249).map(n => `127.${n}`), block => `${block}.255.255`)
}

/** One address for a test file's own load balancers, outside every engine's default network. */
export function claimLoadBalancerAddress(): Promise<Claim> {
  return claimFirst(range(2, 254).map(n => `127.99.${n}.1`), address => address)
}

/** Where port claims are held: an address no engine or test hands out. */
const PORT_CLAIM_ADDRESS = '127.0.255.254'

function ephemeralRange(): [number, number] {
  try {
    const [low, high] = readFileSync('/proc/sys/net/ipv4/ip_local_port_range', 'utf8').trim().split(/\s+/).map(Number)
    if (low !== undefined && high !== undefined && low > 0 && high >= low) return [low, high]
  } catch {
    // not Linux: the IANA dynamic range
  }
  return [49_152, 65_535]
}

function isFree(port: number, address: string): Promise<boolean> {
  return new Promise(resolve => {
    const server = createServer()
    server.once('error', () => { resolve(false) })
    server.listen(port, address, () => server.close(() => { resolve(true) }))
  })
}

/**
 * A port on `address` for another process to bind (a child engine's API port), where a held
 * socket cannot be handed over. It lies outside the kernel's ephemeral range (so no outgoing
 * connection takes it as its source port), other test processes respect its claim, and it is
 * free on `address` now; release the claim when the child is gone.
 */
export async function claimPort(address = '127.0.0.1'): Promise<Claim & {readonly port: number}> {
  const [low, high] = ephemeralRange()
  const ports = range(20_000, 29_999).filter(port => port < low || port > high)
  const start = (process.pid * 7919 + Number(process.env.JEST_WORKER_ID ?? 0) * 104_729) % ports.length
  for (let i = 0; i < ports.length; i++) {
    const port = ports[(start + i) % ports.length] as number
    const server = await new Promise<Server | undefined>(resolve => {
      const claim = createServer()
      claim.once('error', () => { resolve(undefined) })
      claim.listen(port, PORT_CLAIM_ADDRESS, () => {
        claim.unref()
        resolve(claim)
      })
    })
    if (server === undefined) continue
    if (await isFree(port, address)) {
      return {block: address, port, release: () => new Promise<void>(resolve => server.close(() => { resolve() }))}
    }
    await new Promise<void>(resolve => server.close(() => { resolve() }))
  }
  throw new Error('no claimable port for a child process')
}
