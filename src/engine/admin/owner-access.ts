/**
 * Who may use the engine's own APIs (admin `/__elb-local/`, `/metrics`) when it verifies signatures
 * (`--credentials`): the owner, proven by
 *  - the owner token: random, written at start to ELB_LOCAL_HOME/admin-token (mode 0600, so only the
 *    user who started the engine can read it), sent by `elb-local` as `Authorization: Bearer …`;
 *  - the console session cookie (HttpOnly, SameSite=Strict), which the engine sets when a browser
 *    redeems a one-time login code that `elb-local console` asked for with the token;
 *  - or a SigV4/SigV2 signature made with a key of the credentials file.
 * Anyone else gets 403 MissingAuthenticationToken, except the liveness answer of `health`.
 */
import {randomBytes, timingSafeEqual} from 'node:crypto'
import {chmodSync, renameSync, writeFileSync} from 'node:fs'
import type {IncomingHttpHeaders, IncomingMessage, ServerResponse} from 'node:http'
import {join} from 'node:path'
import type {Authenticator} from '../api/authenticate.js'
import {parseApiRequest, type ApiRequest} from '../api/context.js'
import {isSigV2} from '../api/signature/sigv2.js'
import {isSigV4} from '../api/signature/sigv4.js'
import {MissingAuthenticationToken, ServiceError} from '../model/errors.js'
import {OWNER_TOKEN_FILE} from '../constants.js'

export const SESSION_COOKIE = 'elb-local-session'
/** A login code works once, within this time. */
const LOGIN_CODE_MS = 5 * 60 * 1000
/** Outstanding login codes kept at most (the oldest goes first). */
const MAX_LOGIN_CODES = 16
const MAX_BODY_BYTES = 1024 * 1024

export const OWNER_REQUIRED = 'The engine verifies signatures (--credentials): this needs the owner token that elb-local sends ' +
  '(ELB_LOCAL_HOME/admin-token), the console\'s session (open it with `elb-local console --open`), or a request signed with a key of the credentials file.'

function random(): string {
  return randomBytes(32).toString('base64url')
}

function same(a: string, b: string): boolean {
  const left = Buffer.from(a)
  const right = Buffer.from(b)
  return left.length === right.length && timingSafeEqual(left, right)
}

/** The value of one cookie in a Cookie header, or undefined. */
function cookie(headers: IncomingHttpHeaders, name: string): string | undefined {
  for (const part of (headers.cookie ?? '').split(';')) {
    const equals = part.indexOf('=')
    if (equals > 0 && part.slice(0, equals).trim() === name) return part.slice(equals + 1).trim()
  }
  return undefined
}

export class OwnerAccess {
  private readonly token = random()
  private readonly session = random()
  private readonly loginCodes = new Map<string, number>()

  constructor(private readonly signatures: Authenticator, private readonly now: () => number = Date.now) {}

  /**
   * Writes the owner token to `home` (mode 0600, replacing the last engine's). Only once this
   * engine holds the port: a second engine that loses the race must not replace the token of the
   * one that runs.
   */
  publishToken(home: string): void {
    const file = join(home, OWNER_TOKEN_FILE)
    const temporary = `${file}.${process.pid}.tmp`
    writeFileSync(temporary, `${this.token}\n`, {mode: 0o600})
    chmodSync(temporary, 0o600)
    renameSync(temporary, file)
  }

  /** The owner token or the console's session cookie: no signature needed. */
  isOwner(headers: IncomingHttpHeaders): boolean {
    const authorization = headers.authorization ?? ''
    if (authorization.startsWith('Bearer ') && same(authorization.slice('Bearer '.length).trim(), this.token)) return true
    const session = cookie(headers, SESSION_COOKIE)
    return session !== undefined && same(session, this.session)
  }

  /** Resolves when the request is the owner's or validly signed; throws AWS's error otherwise. */
  async authorize(request: ApiRequest): Promise<void> {
    if (this.isOwner(request.headers)) return
    if (isSigV4(request) || isSigV2(request)) {
      await this.signatures.authenticate(request)
      return
    }
    throw new MissingAuthenticationToken(OWNER_REQUIRED)
  }

  /** A one-time code a browser exchanges for the session cookie (`GET console-login?code=`). */
  newLoginCode(): string {
    const now = this.now()
    for (const [code, expires] of this.loginCodes) if (expires < now || this.loginCodes.size >= MAX_LOGIN_CODES) this.loginCodes.delete(code)
    const code = random()
    this.loginCodes.set(code, now + LOGIN_CODE_MS)
    return code
  }

  /** The session cookie for a valid, unused code (which is then spent); undefined otherwise. */
  redeem(code: string): string | undefined {
    const expires = this.loginCodes.get(code)
    if (expires === undefined) return undefined
    this.loginCodes.delete(code)
    if (expires < this.now()) return undefined
    return `${SESSION_COOKIE}=${this.session}; HttpOnly; SameSite=Strict; Path=/`
  }

  /** `handler` for the owner only (the metrics endpoints); others get the refusal as JSON. */
  protect(handler: (req: IncomingMessage, res: ServerResponse) => Promise<void>): (req: IncomingMessage, res: ServerResponse) => Promise<void> {
    return async (req, res) => {
      try {
        await this.authorize(await parseApiRequest(req, '-', MAX_BODY_BYTES))
      } catch (error) {
        if (!(error instanceof ServiceError)) throw error
        const body = JSON.stringify({error: {code: error.code, message: error.message}})
        res.writeHead(error.status, {'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body)}).end(body)
        return
      }
      await handler(req, res)
    }
  }
}
