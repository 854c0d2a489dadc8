/**
 * `POST /__elb-local/certificates/check`: IAM's upload checks (certificates.ts: the body is one
 * certificate valid now, the key is unencrypted RSA/EC and belongs to it, the chain is in order) run
 * on a would-be upload without storing anything, so the console can say at the certificate step
 * what UploadServerCertificate would say at Create. The verdict is the answer (200 either way): a
 * certificate that does not pass is not a failed request.
 */
import {validateCertificateUpload} from '../model/certificates.js'
import {ServiceError} from '../model/errors.js'
import type {CertificateVerdict} from './types.js'


const FIELDS_MESSAGE = 'certificateBody and privateKey must be strings, and certificateChain a string if given.'

export function checkCertificate(body: Record<string, unknown>, now: Date): CertificateVerdict {
  const {certificateBody, privateKey, certificateChain} = body
  if (typeof certificateBody !== 'string' || typeof privateKey !== 'string' || !(certificateChain === undefined || typeof certificateChain === 'string')) {
    throw new ServiceError('InvalidParameterValue', FIELDS_MESSAGE)
  }
  try {
    // Trimmed as UploadServerCertificate trims them (iam-service.ts).
    const validity = validateCertificateUpload({
      certificateBody: certificateBody.trim(), privateKey: privateKey.trim(),
      ...(certificateChain === undefined || certificateChain.trim() === '' ? {} : {certificateChain: certificateChain.trim()}),
    }, now)
    return {valid: true, notBefore: validity.notBefore.toISOString(), notAfter: validity.notAfter.toISOString()}
  } catch (error) {
    if (error instanceof ServiceError) return {valid: false, error: {code: error.code, message: error.message}}
    throw error
  }
}
