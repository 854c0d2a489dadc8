/** The error an SDK call fails with, as [code, message, HTTP status] (fails the test if the call succeeds). */
export async function failure(promise: Promise<unknown>): Promise<[string, string, number | undefined]> {
  try {
    await promise
  } catch (error) {
    const failed = error as Error & {$metadata?: {httpStatusCode?: number}}
    return [failed.name, failed.message, failed.$metadata?.httpStatusCode]
  }
  throw new Error('the call succeeded')
}
