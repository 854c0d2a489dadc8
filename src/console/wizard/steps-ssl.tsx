/** Configure Ciphers (a sample / predefined policy or Custom) and back-end server authentication. */
import {describePolicies, describePolicyTypes} from '../elb.js'
import {ErrorText, Field, usePolling} from '../ui.js'
import type {StepProps} from './wizard.js'

const SAMPLE_FIRST = (a: string, b: string) => Number(b.startsWith('ELBSample-')) - Number(a.startsWith('ELBSample-'))

export function CiphersStep({state, update, errors}: StepProps) {
  const predefined = usePolling(() => describePolicies(), [])
  const type = usePolling(() => describePolicyTypes(['SSLNegotiationPolicyType']), [])
  const names = (predefined.value ?? []).filter((policy) => policy.typeName === 'SSLNegotiationPolicyType').map((policy) => policy.name).sort(SAMPLE_FIRST)
  const attributes = (type.value?.[0]?.attributes ?? []).map((attribute) => attribute.name).filter((name) => name !== 'Reference-Security-Policy')
  const protocols = attributes.filter((name) => name.startsWith('Protocol-'))
  const options = attributes.filter((name) => name.startsWith('Server-Defined-'))
  const ciphers = attributes.filter((name) => !protocols.includes(name) && !options.includes(name))

  const chooseCustom = () => {
    update((draft) => {
      draft.cipherPolicy = 'Custom'
      if (Object.keys(draft.custom).length > 0) return
      // Custom starts from the policy chosen before (as the seed says: SSLv3 stays on from the default).
      const base = new Map(predefined.value?.find((policy) => policy.name === state.cipherPolicy)?.attributes ?? [])
      for (const name of attributes) draft.custom[name] = base.get(name) === 'true'
    })
  }
  const box = (name: string) => (
    <label key={name} class="check"><input type="checkbox" checked={state.custom[name] === true}
      onChange={(event) => { const on = event.currentTarget.checked; update((draft) => { draft.custom[name] = on }) }} />
      {name.replace(/^Protocol-/, '')}</label>
  )
  const group = (legend: string, list: string[]) => (
    <fieldset class="checks">
      <legend>{legend}</legend>
      <button type="button" class="small" onClick={() => { update((draft) => { for (const name of list) draft.custom[name] = false }) }}>Clear {legend}</button>
      <div class="check-grid">{list.map(box)}</div>
    </fieldset>
  )
  return (
    <>
      <p>The Elastic Load Balancing service provides you with sample cipher policies, ELBSample-ELBDefaultCipherPolicy and ELBSample-OpenSSLDefaultCipherPolicy. You can select one of the sample policies or customize your own ciphers.</p>
      <ErrorText error={predefined.error ?? type.error} />
      <fieldset>
        <legend>Cipher policy</legend>
        {names.map((name) => (
          <label key={name} class="choice"><input type="radio" name="cipher-policy" checked={state.cipherPolicy === name}
            onChange={() => { update((draft) => { draft.cipherPolicy = name }) }} /> {name}</label>
        ))}
        <label class="choice"><input type="radio" name="cipher-policy" checked={state.cipherPolicy === 'Custom'} onChange={chooseCustom} /> Custom</label>
      </fieldset>
      {state.cipherPolicy === 'Custom' ? (
        <>
          <p class="note">You must enable at least one protocol version and one cipher for SSL negotiation to take place.</p>
          {group('SSL Protocols', protocols)}
          {group('SSL Options', options)}
          {group('SSL Ciphers', ciphers)}
        </>
      ) : null}
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
