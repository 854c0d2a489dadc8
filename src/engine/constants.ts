/**
 * Engine-wide constants, one place each. Everything here is shared by more than one module (or by
 * the engine and the CLI); module-local tuning stays with its module.
 */

/** The engine's default API port (`elb-local start`, `http://127.0.0.1:8773`). */
export const DEFAULT_ENGINE_PORT = 8773

/** The engine's own JSON admin API lives under this path prefix. */
export const ADMIN_PREFIX = '/__elb-local/'

// ---- data plane buffers ----------------------------------------------------------------------

/**
 * Per-socket stream buffer: with Node's 16 KiB default a bulk relay pauses and resumes its source
 * every few reads (each a pair of epoll calls); 256 KiB keeps memory per connection bounded and
 * small while letting bulk transfers run in larger steps.
 */
export const SOCKET_BUFFER_BYTES = 256 * 1024

/** Bytes per direct read (`onread`) from a plain instance connection. */
export const DIRECT_READ_BYTES = 256 * 1024

/** Request/response heads larger than this are refused (400 / 502): a bound on memory per connection. */
export const MAX_HEAD_BYTES = 64 * 1024

/** Pipelined client bytes buffered while a response is pending before reading from the client pauses. */
export const MAX_QUEUED_BYTES = 256 * 1024
