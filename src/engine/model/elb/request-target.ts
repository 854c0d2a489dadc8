/**
 * The request-target grammar both the data plane and the health checker speak (RFC 9112 §3.2):
 * visible ASCII only, never a space, tab, CR, LF or other control byte, which is what would let a
 * target carry injected header lines or a second request. It lives with the model's health-check
 * grammar (`health-check.ts`, the API's check of a ping path); the data plane's request-line check
 * (`dataplane/http/parse.ts`) imports it from here, so the model never imports the data plane.
 */

const TARGET_TEXT = /^[!-~]+$/
/** `/` then visible ASCII other than `#` (a fragment never goes on the wire). */
const ORIGIN_FORM = /^\/[!-"$-~]*$/

/** Visible ASCII only: the bytes any request-target form may consist of. */
export function isRequestTargetText(target: string): boolean {
  return TARGET_TEXT.test(target)
}

/** An origin-form target (`/path?query`), e.g. a health check's ping path. */
export function isOriginFormTarget(target: string): boolean {
  return ORIGIN_FORM.test(target)
}
