/**
 * DNS messages (RFC 1035 §4): the first question of a query and the answer to it. The question's
 * name is decoded by `dns-packet` (labels, compression pointers — only backwards, so no loops — and
 * the 255-byte limit); the header and the one A record are fixed layouts written here, and the
 * question is echoed byte for byte (resolvers using 0x20 case randomisation compare it exactly).
 * Pure: bytes in, bytes (or nothing) out; no input makes it throw.
 */
import dnsPacket from 'dns-packet'

const HEADER_BYTES = 12
const FLAG_RESPONSE = 0x8000
const FLAG_AUTHORITATIVE = 0x0400
const FLAG_RECURSION_DESIRED = 0x0100
const OPCODE_QUERY = 0

export const RCODE = {noError: 0, formErr: 1, nxDomain: 3, notImp: 4, refused: 5} as const
export type Rcode = (typeof RCODE)[keyof typeof RCODE]

export const TYPE_A = 1
const TYPE_ANY = 255
export const CLASS_IN = 1
const CLASS_ANY = 255

/** What the responder is asked: the lower-cased name (no trailing dot), its type and class. */
export interface Question {
  readonly name: string
  readonly type: number
  readonly qclass: number
}

export type Query =
  | {readonly kind: 'ignore'}
  | {readonly kind: 'error'; readonly rcode: Rcode; readonly id: number; readonly flags: number}
  | {readonly kind: 'question'; readonly id: number; readonly flags: number; readonly question: Question; readonly questionBytes: Buffer}

// dns-packet's name codec is public (README: `packet.name.decode`) but missing from its types.
type NameDecode = ((buf: Buffer, offset: number) => string) & {bytes: number}
const nameCodec = (dnsPacket as unknown as {name: {decode: NameDecode}}).name

/** Reads a query; a message too short to carry an id, or a response, is ignored (never answered). */
export function parseQuery(message: Buffer): Query {
  if (message.length < HEADER_BYTES) return {kind: 'ignore'}
  const id = message.readUInt16BE(0)
  const flags = message.readUInt16BE(2)
  if ((flags & FLAG_RESPONSE) !== 0) return {kind: 'ignore'}
  if (((flags >> 11) & 0xf) !== OPCODE_QUERY) return {kind: 'error', rcode: RCODE.notImp, id, flags}
  if (message.readUInt16BE(4) !== 1) return {kind: 'error', rcode: RCODE.formErr, id, flags}
  let name: string
  let end: number
  try {
    name = nameCodec.decode(message, HEADER_BYTES)
    end = HEADER_BYTES + nameCodec.decode.bytes
  } catch {
    return {kind: 'error', rcode: RCODE.formErr, id, flags}
  }
  if (end + 4 > message.length) return {kind: 'error', rcode: RCODE.formErr, id, flags}
  const question = {name: name.toLowerCase().replace(/\.$/, ''), type: message.readUInt16BE(end), qclass: message.readUInt16BE(end + 2)}
  return {kind: 'question', id, flags, question, questionBytes: message.subarray(HEADER_BYTES, end + 4)}
}

/** Where a name stands: ours with this address, in our zone but unknown, or not ours at all. */
export type Lookup = {readonly kind: 'address'; readonly address: string} | {readonly kind: 'nxdomain'} | {readonly kind: 'refused'}

/** The answer to one query (undefined: send nothing). TTL 60 s, as AWS gives its ELB names. */
export function answerQuery(query: Query, lookup: (name: string) => Lookup, ttlSeconds = 60): Buffer | undefined {
  if (query.kind === 'ignore') return undefined
  if (query.kind === 'error') return header(query.id, query.flags, query.rcode, false, 0, 0)
  const {question} = query
  if (question.qclass !== CLASS_IN && question.qclass !== CLASS_ANY) {
    return withQuestion(header(query.id, query.flags, RCODE.refused, false, 1, 0), query.questionBytes)
  }
  const found = lookup(question.name)
  if (found.kind === 'refused') return withQuestion(header(query.id, query.flags, RCODE.refused, false, 1, 0), query.questionBytes)
  if (found.kind === 'nxdomain') return withQuestion(header(query.id, query.flags, RCODE.nxDomain, true, 1, 0), query.questionBytes)
  // The name exists: an A (or ANY) question gets its address, any other type none (NOERROR, "NODATA").
  if (question.type !== TYPE_A && question.type !== TYPE_ANY) {
    return withQuestion(header(query.id, query.flags, RCODE.noError, true, 1, 0), query.questionBytes)
  }
  const answer = Buffer.alloc(16)
  answer.writeUInt16BE(0xc000 | HEADER_BYTES, 0) // the name: a pointer to the question's
  answer.writeUInt16BE(TYPE_A, 2)
  answer.writeUInt16BE(CLASS_IN, 4)
  answer.writeUInt32BE(ttlSeconds, 6)
  answer.writeUInt16BE(4, 10)
  found.address.split('.').forEach((octet, index) => { answer[12 + index] = Number(octet) })
  return Buffer.concat([header(query.id, query.flags, RCODE.noError, true, 1, 1), query.questionBytes, answer])
}

function header(id: number, queryFlags: number, rcode: Rcode, authoritative: boolean, questions: number, answers: number): Buffer {
  const bytes = Buffer.alloc(HEADER_BYTES)
  bytes.writeUInt16BE(id, 0)
  // Opcode and RD come back as asked; RA stays 0: this server never recurses.
  const flags = FLAG_RESPONSE | (queryFlags & 0x7800) | (queryFlags & FLAG_RECURSION_DESIRED) | (authoritative ? FLAG_AUTHORITATIVE : 0) | rcode
  bytes.writeUInt16BE(flags, 2)
  bytes.writeUInt16BE(questions, 4)
  bytes.writeUInt16BE(answers, 6)
  return bytes
}

const withQuestion = (head: Buffer, question: Buffer): Buffer => Buffer.concat([head, question])
