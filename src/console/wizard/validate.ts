/** What the wizard checks before Continue, in the browser (the API checks everything again at Create). */
import {loadBalancerExists} from '../elb.js'
import {checkServerCertificate} from '../iam.js'
import {isSecure} from '../../engine/model/elb/vocabulary.js'
import {chosenSubnets, nameInUse, uploadField, type StepName, type WizardState} from './model.js'
import {misplacedPem, type PemField} from './pem.js'

export const NEED_PROTOCOL_AND_CIPHER = 'You must enable at least one protocol version and one cipher'

function problem(message: string): Error {
  const error = new Error(message)
  error.name = 'ValidationError'
  return error
}

export function validateStep(step: StepName, state: WizardState): Record<string, Error> {
  const errors: Record<string, Error> = {}
  if (step === 'define') {
    if (state.name.trim() === '') errors.name = problem('Enter a Load Balancer Name.')
    if (state.listeners.length === 0) errors.listeners = problem('Add at least one listener.')
    if (state.network.vpcId !== '' && !state.network.isDefaultVpc && chosenSubnets(state.network).length === 0) {
      errors.subnets = problem('Choose a subnet in at least one Availability Zone.')
    }
  }
  if (step === 'certificate') {
    if (state.certificateMode === 'upload') {
      if (state.upload.name.trim() === '') errors.name = problem('Enter a Certificate Name.')
      if (state.upload.privateKey.trim() === '') errors.privateKey = problem('Paste the Private Key.')
      if (state.upload.body.trim() === '') errors.body = problem('Paste the Public Key Certificate.')
      const fields: [string, PemField, string][] = [
        ['privateKey', 'Private Key', state.upload.privateKey], ['body', 'Public Key Certificate', state.upload.body], ['chain', 'Certificate Chain', state.upload.chain],
      ]
      for (const [key, label, text] of fields) {
        const misplaced = misplacedPem(label, text)
        if (misplaced !== undefined) errors[key] = problem(misplaced)
      }
    }
  }
  if (step === 'ciphers' && state.cipherPolicy === 'Custom') {
    const enabled = Object.entries(state.custom).filter(([, on]) => on).map(([name]) => name)
    const protocols = enabled.filter((name) => name.startsWith('Protocol-'))
    const ciphers = enabled.filter((name) => !name.startsWith('Protocol-') && name !== 'Server-Defined-Cipher-Order')
    if (protocols.length === 0 || ciphers.length === 0) errors.policy = problem(NEED_PROTOCOL_AND_CIPHER)
  }
  if (step === 'backend' && state.backendAuthentication) {
    state.backendCertificates.forEach((certificate, index) => {
      const misplaced = misplacedPem('Certificate body', certificate.body)
      if (certificate.name.trim() === '' || certificate.body.trim() === '') errors[`certificate-${index}`] = problem('Enter a Certificate Name and paste the Certificate body.')
      else if (misplaced !== undefined) errors[`certificate-${index}`] = problem(misplaced)
    })
  }
  if (step === 'define' && state.listeners.some((listener) => isSecure(listener.protocol) && listener.loadBalancerPort === '')) {
    errors.listeners = problem('Enter a Load Balancer Port.')
  }
  return errors
}

/**
 * The checks only the engine can make, once the step's own are clean: the name is free, and the
 * upload would pass IAM (its rules, run without storing). A look-up that fails blocks nothing; Create
 * checks again.
 */
export async function checkStepWithEngine(step: StepName, state: WizardState): Promise<Record<string, unknown>> {
  if (step === 'define') {
    const taken = await loadBalancerExists(state.name).catch(() => false)
    return taken ? {name: nameInUse(state.name)} : {}
  }
  if (step === 'certificate' && state.certificateMode === 'upload') {
    const verdict = await checkServerCertificate(state.upload).catch(() => ({valid: true} as const))
    if (verdict.valid) return {}
    const error = problem(verdict.error.message)
    error.name = verdict.error.code
    return {[uploadField(error)]: error}
  }
  return {}
}
