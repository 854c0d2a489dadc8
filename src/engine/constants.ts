/**
 * Engine-wide constants, one place each. Everything here is shared by more than one module (or by
 * the engine and the CLI); module-local tuning stays with its module.
 */

/** The engine's default API port (`elb-local start`, `http://127.0.0.1:8773`). */
export const DEFAULT_ENGINE_PORT = 8773

/** Where the CLI looks for the engine unless ELB_LOCAL_ENDPOINT says otherwise. */
export const DEFAULT_ENGINE_ENDPOINT = `http://127.0.0.1:${DEFAULT_ENGINE_PORT}`

// ---- paths and names on the API port ----------------------------------------------------------

/** The engine's own JSON admin API lives under this path prefix (routes: admin/routes.ts). */
export const ADMIN_PREFIX = '/__elb-local/'

/** The web console's mount (a request for `/console` is redirected here). */
export const CONSOLE_PREFIX = '/console/'

/** The metrics endpoints: Prometheus text here, JSON series under `/metrics/load-balancers`. */
export const METRICS_PREFIX = '/metrics'

/** What `GET /__elb-local/health` says in `engine`: how clients tell the engine from another program. */
export const ENGINE_IDENTITY = 'elb-local'

/**
 * Not an AWS header: set on the answer to a write that succeeded but left something unable to
 * run (a listener that cannot bind); our CLI prints it as one `Warning:` line on stderr.
 */
export const WARNING_HEADER = 'x-elb-local-warning'

// ---- files in ELB_LOCAL_HOME --------------------------------------------------------------------

/** The running engine's pid, written once it listens. */
export const ENGINE_PID_FILE = 'engine.pid'

/** The engine's log (appended to; `elb-local logs` reads it). */
export const ENGINE_LOG_FILE = 'engine.log'

/** The owner token an engine started with `--credentials` writes (mode 0600) and `elb-local` sends. */
export const OWNER_TOKEN_FILE = 'admin-token'

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
