import {InternalFailure, ServiceError} from '../model/errors.js'

/**
 * What a failed request answers. ServiceErrors carry their own code, status and fault type; anything
 * else is a bug in the engine: it is logged with its stack and answered as AWS answers an internal
 * fault, 500 InternalFailure, without leaking the internal message.
 */
export function toServiceError(error: unknown, log: (line: string) => void, requestId: string): ServiceError {
  if (error instanceof ServiceError) return error
  const detail = error instanceof Error ? error.stack ?? error.message : String(error)
  log(`request ${requestId} failed with an internal error: ${detail}`)
  return new InternalFailure('The request processing has failed because of an unknown error, exception or failure.')
}
