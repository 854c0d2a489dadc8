/** What the wizard checks before Continue (the API checks everything again at Create). */
import {isSecure, type StepName, type WizardState} from './model.js'

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
  }
  if (step === 'certificate') {
    if (state.certificateMode === 'upload') {
      if (state.upload.name.trim() === '') errors.name = problem('Enter a Certificate Name.')
      if (state.upload.privateKey.trim() === '') errors.privateKey = problem('Paste the Private Key.')
      if (state.upload.body.trim() === '') errors.body = problem('Paste the Public Key Certificate.')
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
      if (certificate.name.trim() === '' || certificate.body.trim() === '') errors[`certificate-${index}`] = problem('Enter a Certificate Name and paste the Certificate body.')
    })
  }
  if (step === 'define' && state.listeners.some((listener) => isSecure(listener.protocol) && listener.loadBalancerPort === '')) {
    errors.listeners = problem('Enter a Load Balancer Port.')
  }
  return errors
}
