/** Configure Ciphers (a sample / predefined policy or Custom) and back-end server authentication. */
import {CipherChooser} from '../cipher-chooser.js'
import {ErrorText, Field} from '../ui.js'
import type {StepProps} from './steps.js'

export function CiphersStep({state, update, errors}: StepProps) {
  return (
    <>
      <p>The Elastic Load Balancing service provides you with sample cipher policies, ELBSample-ELBDefaultCipherPolicy and ELBSample-OpenSSLDefaultCipherPolicy. You can select one of the sample policies or customize your own ciphers.</p>
      <CipherChooser name="cipher-policy" choice={{policy: state.cipherPolicy, custom: state.custom}}
        onChange={(choice) => { update((draft) => { draft.cipherPolicy = choice.policy; draft.custom = {...choice.custom} }) }} />
      <ErrorText error={errors.policy} />
    </>
  )
}

export function BackendStep({state, update, errors}: StepProps) {
  return (
    <>
      <fieldset>
        <legend>Back-end Server Authentication</legend>
        <label class="choice"><input type="radio" name="backend" checked={!state.backendAuthentication}
          onChange={() => { update((draft) => { draft.backendAuthentication = false }) }} /> Proceed without backend authentication</label>
        <label class="choice"><input type="radio" name="backend" checked={state.backendAuthentication}
          onChange={() => { update((draft) => { draft.backendAuthentication = true }) }} /> Enable backend authentication</label>
      </fieldset>
      {state.backendAuthentication ? (
        <>
          {state.backendCertificates.map((certificate, index) => (
            <fieldset key={index}>
              <legend>Backend Certificate {index + 1}</legend>
              <Field label={index === 0 ? 'Certificate Name' : `Certificate Name (${index + 1})`} value={certificate.name}
                onInput={(value) => { update((draft) => { draft.backendCertificates[index] = {...certificate, name: value} }) }} />
              <Field label={index === 0 ? 'Certificate body' : `Certificate body (${index + 1})`} multiline value={certificate.body} hint="pem encoded"
                onInput={(value) => { update((draft) => { draft.backendCertificates[index] = {...certificate, body: value} }) }} error={errors[`certificate-${index}`]} />
              {state.backendCertificates.length > 1 ? (
                <button type="button" onClick={() => { update((draft) => { draft.backendCertificates.splice(index, 1) }) }}>Remove Backend Certificate {index + 1}</button>
              ) : null}
            </fieldset>
          ))}
          <button type="button" onClick={() => { update((draft) => { draft.backendCertificates.push({name: '', body: ''}) }) }}>Add another Backend Certificate</button>
        </>
      ) : null}
      <ErrorText error={errors.policy} />
    </>
  )
}
