/**
 * Hostile bytes at the DNS responder, over real UDP and TCP sockets: random packets, compression
 * pointer loops, names of thousands of labels, wrong question counts, responses, trickled and
 * idle TCP connections. Every query with an id is answered (FORMERR where it is malformed), nothing
 * hangs or crashes, and a well-formed query is still answered afterwards.
 */
import {createSocket, type Socket as UdpSocket} from 'node:dgram'
import {connect, type Socket} from 'node:net'
import {randomBytes} from 'node:crypto'
import {afterAll, beforeAll, describe, expect, it} from '@jest/globals'
import {startDnsResponder, type DnsResponder} from '../../../src/engine/dns/responder.js'
import {RCODE} from '../../../src/engine/dns/message.js'
import type {Lookup} from '../../../src/engine/dns/message.js'

const LB_NAME = 'web-1234567890.us-east-1.elb.amazonaws.com'
const lookup = (name: string): Lookup =>
  name === LB_NAME.toLowerCase() ? {kind: 'address', address: '127.1.2.3'}
    : name.endsWith('.elb.amazonaws.com') ? {kind: 'nxdomain'} : {kind: 'refused'}

/** A query as a resolver sends it: header, one question of `labels`, type, class IN. */
function query(id: number, name: string, type = 1, options: {qdcount?: number; flags?: number} = {}): Buffer {
  const header = Buffer.alloc(12)
  header.writeUInt16BE(id, 0)
  header.writeUInt16BE(options.flags ?? 0x0100, 2)
  header.writeUInt16BE(options.qdcount ?? 1, 4)
  const labels = name.split('.').filter(Boolean).map((label) => Buffer.concat([Buffer.from([label.length]), Buffer.from(label)]))
  const tail = Buffer.alloc(5)
  tail.writeUInt16BE(type, 1)
  tail.writeUInt16BE(1, 3)
  return Buffer.concat([header, ...labels, tail])
}

const rcodeOf = (reply: Buffer): number => reply.readUInt16BE(2) & 0xf
const idOf = (reply: Buffer): number => reply.readUInt16BE(0)

describe('DNS responder under hostile input', () => {
  let responder: DnsResponder
  let udp: UdpSocket
  const replies = new Map<number, (reply: Buffer) => void>()

  /** Sends over UDP and waits for the answer with this id; sent again if the kernel dropped it (a busy machine). */
  function ask(packet: Buffer, id = packet.readUInt16BE(0)): Promise<Buffer> {
    return new Promise((resolve) => {
      const resend = setInterval(() => { udp.send(packet, responder.port, '127.0.0.1') }, 1000)
      replies.set(id, (reply) => { clearInterval(resend); resolve(reply) })
      udp.send(packet, responder.port, '127.0.0.1')
    })
  }

  beforeAll(async () => {
    responder = await startDnsResponder({host: '127.0.0.1', ports: [0], lookup, tcpIdleTimeoutMs: 300, maxTcpConnections: 4})
    udp = createSocket('udp4')
    udp.on('message', (reply) => {
      if (reply.length < 2) return
      const waiting = replies.get(idOf(reply))
      replies.delete(idOf(reply))
      waiting?.(reply)
    })
    await new Promise<void>((resolve) => { udp.bind(0, '127.0.0.1', resolve) })
  })

  afterAll(async () => {
    udp.close()
    await responder.close()
  })

  it('answers a well-formed query (case-insensitively, echoing the question as sent)', async () => {
    const mixed = 'WeB-1234567890.US-east-1.elb.AMAZONAWS.com'
    const reply = await ask(query(1, mixed))
    expect(rcodeOf(reply)).toBe(RCODE.noError)
    expect(reply.readUInt16BE(6)).toBe(1)
    expect(reply.subarray(12, 12 + mixed.length + 2).toString('latin1')).toContain('WeB')
    expect([...reply.subarray(-4)]).toEqual([127, 1, 2, 3])
  })

  it('QDCOUNT other than 1 is FORMERR', async () => {
    expect(rcodeOf(await ask(query(2, LB_NAME, 1, {qdcount: 0})))).toBe(RCODE.formErr)
    expect(rcodeOf(await ask(query(3, LB_NAME, 1, {qdcount: 2})))).toBe(RCODE.formErr)
    expect(rcodeOf(await ask(query(4, LB_NAME, 1, {qdcount: 65535})))).toBe(RCODE.formErr)
  })

  it('a compression pointer loop, a forward pointer and a truncated question are FORMERR', async () => {
    const header = query(5, '', 1).subarray(0, 12)
    const selfLoop = Buffer.concat([header, Buffer.from([0xc0, 12, 0, 1, 0, 1])])
    expect(rcodeOf(await ask(selfLoop))).toBe(RCODE.formErr)
    const twoStep = Buffer.concat([query(6, '', 1).subarray(0, 12), Buffer.from([1, 0x61, 0xc0, 14, 0xc0, 12, 0, 1, 0, 1])])
    expect(rcodeOf(await ask(twoStep))).toBe(RCODE.formErr)
    const inName = query(7, LB_NAME).subarray(0, 30)
    expect(rcodeOf(await ask(inName))).toBe(RCODE.formErr)
    const whole = query(16, LB_NAME)
    expect(rcodeOf(await ask(whole.subarray(0, whole.length - 2)))).toBe(RCODE.formErr) // no class
    expect(rcodeOf(await ask(whole.subarray(0, whole.length - 4)))).toBe(RCODE.formErr) // no type either
  })

  it('names of thousands of labels are FORMERR, quickly', async () => {
    const many = Buffer.concat([query(8, '', 1).subarray(0, 12), Buffer.alloc(30_000, 0).fill(Buffer.from([1, 0x61])), Buffer.from([0, 0, 1, 0, 1])])
    const started = performance.now()
    expect(rcodeOf(await ask(many))).toBe(RCODE.formErr)
    const longLabel = Buffer.concat([query(9, '', 1).subarray(0, 12), Buffer.from([63]), Buffer.alloc(63, 0x62), Buffer.from([63]), Buffer.alloc(63, 0x62),
      Buffer.from([63]), Buffer.alloc(63, 0x62), Buffer.from([63]), Buffer.alloc(63, 0x62), Buffer.from([0, 0, 1, 0, 1])])
    expect(rcodeOf(await ask(longLabel))).toBe(RCODE.formErr)
    expect(performance.now() - started).toBeLessThan(1000)
  })

  it('another opcode is NOTIMP; a response is never answered', async () => {
    expect(rcodeOf(await ask(query(10, LB_NAME, 1, {flags: 2 << 11})))).toBe(RCODE.notImp)
    udp.send(query(11, LB_NAME, 1, {flags: 0x8000}), responder.port, '127.0.0.1')
    // Answered in order: once 12's answer is here, 11 (a response) was read and dropped.
    await ask(query(12, LB_NAME))
    expect(replies.has(11)).toBe(false)
    const late = await Promise.race([new Promise((resolve) => { replies.set(11, resolve) }), ask(query(13, LB_NAME)).then(() => 'no reply')])
    expect(late).toBe('no reply')
    replies.delete(11)
  })

  it('2000 random packets: every answer is a response to its id, and the responder still answers', async () => {
    const answered: Buffer[] = []
    const collector = (reply: Buffer) => { answered.push(reply) }
    udp.on('message', collector)
    for (let i = 0; i < 2000; i++) {
      const packet = randomBytes(Math.floor(Math.random() * 600))
      if (packet.length >= 4) {
        packet.writeUInt16BE(0xffff, 0) // never one of the ids this test waits for
        packet[2] = (packet[2] ?? 0) & 0x7f // a query, so that it is answered
      }
      udp.send(packet, responder.port, '127.0.0.1')
      // In batches: a burst larger than the socket buffers would be dropped by the kernel, not by us.
      if (i % 50 === 49) await ask(query(14, LB_NAME))
    }
    const reply = await ask(query(15, LB_NAME))
    udp.off('message', collector)
    expect(rcodeOf(reply)).toBe(RCODE.noError)
    expect(answered.length).toBeGreaterThan(100)
    for (const answer of answered) expect(answer.readUInt16BE(2) & 0x8000).toBe(0x8000)
  })

  describe('over TCP', () => {
    function tcp(): Promise<Socket> {
      return new Promise((resolve, reject) => {
        const socket = connect(responder.port, '127.0.0.1', () => { resolve(socket) })
        socket.once('error', reject)
      })
    }
    const framed = (message: Buffer): Buffer => Buffer.concat([Buffer.from([message.length >> 8, message.length & 0xff]), message])
    const closed = (socket: Socket): Promise<number> => new Promise((resolve) => {
      const started = performance.now()
      socket.once('close', () => { resolve(performance.now() - started) })
    })
    function readReplies(socket: Socket, count: number): Promise<Buffer[]> {
      return new Promise((resolve) => {
        let buffer = Buffer.alloc(0)
        const out: Buffer[] = []
        socket.on('data', (chunk: Buffer) => {
          buffer = Buffer.concat([buffer, chunk])
          while (buffer.length >= 2 && buffer.length >= 2 + buffer.readUInt16BE(0)) {
            out.push(buffer.subarray(2, 2 + buffer.readUInt16BE(0)))
            buffer = buffer.subarray(2 + buffer.readUInt16BE(0))
          }
          if (out.length >= count) resolve(out)
        })
      })
    }

    it('answers pipelined queries in order, also when trickled one byte at a time', async () => {
      const socket = await tcp()
      const replies = readReplies(socket, 3)
      const bytes = Buffer.concat([framed(query(21, LB_NAME)), framed(query(22, 'x.elb.amazonaws.com')), framed(query(23, 'example.org'))])
      for (const byte of bytes) socket.write(Buffer.from([byte]))
      const [a, b, c] = await replies
      expect([a, b, c].map((reply) => reply && [idOf(reply), rcodeOf(reply)])).toEqual([[21, RCODE.noError], [22, RCODE.nxDomain], [23, RCODE.refused]])
      socket.destroy()
    })

    it('garbage with a header gets FORMERR; a message too short to answer closes the connection', async () => {
      const socket = await tcp()
      const replies = readReplies(socket, 1)
      socket.write(framed(Buffer.concat([Buffer.from([0, 31, 0, 0, 0, 3]), randomBytes(40)])))
      const [reply] = await replies
      expect(reply && [idOf(reply), rcodeOf(reply)]).toEqual([31, RCODE.formErr])
      const gone = closed(socket)
      socket.write(framed(Buffer.from([1, 2, 3])))
      await gone
    })

    it('an idle or half-sent connection is closed after the idle timeout', async () => {
      const socket = await tcp()
      const gone = closed(socket)
      socket.write(Buffer.from([0x10, 0x00, 1, 2, 3])) // promises 4096 bytes, sends 3
      expect(await gone).toBeLessThan(3000)
    })

    it('connections beyond the bound are refused; the others still answer', async () => {
      const held = await Promise.all([tcp(), tcp(), tcp(), tcp()])
      const extra = await tcp().catch(() => undefined)
      if (extra !== undefined) await closed(extra)
      const [first] = held
      const replies = readReplies(first, 1)
      first.write(framed(query(41, LB_NAME)))
      expect(idOf((await replies)[0] ?? Buffer.alloc(2))).toBe(41)
      for (const socket of held) socket.destroy()
    })
  })
})
