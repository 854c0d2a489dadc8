/**
 * The one place a listener's SSLCertificateId becomes the certificate it presents: an IAM server
 * certificate (global) or an issued ACM certificate of the listener's own region. The ELB model
 * checks listeners against it; the data plane serves what it returns.
 */
import type {CertificateLookup, EngineState, ServingCertificate} from './types.js'

export type {ServingCertificate} from './types.js'

const ACM_ARN_PREFIX = 'arn:aws:acm:'

export function servingCertificate(state: EngineState, region: string, arn: string): ServingCertificate | undefined {
  if (arn.startsWith(ACM_ARN_PREFIX)) {
    const regionState = Object.hasOwn(state.regions, region) ? state.regions[region] : undefined
    const record = regionState?.acmCertificates?.find((candidate) => candidate.arn === arn)
    return record?.status === 'ISSUED' ? record : undefined
  }
  return state.iam.serverCertificates.find((candidate) => candidate.arn === arn)
}

/** The ELB model's CertificateLookup over the store's current snapshot. */
export function certificateLookup(store: {readonly state: EngineState}): CertificateLookup {
  return {serverCertificateByArn: (arn, region) => servingCertificate(store.state, region, arn)}
}
