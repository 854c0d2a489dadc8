/**
 * An SSL negotiation policy chooser: a sample or predefined policy, or Custom with the policy type's
 * protocol, option and cipher checkboxes. Used by the wizard's Configure Ciphers step and the
 * Listeners tab; the caller keeps the choice.
 */
import {POLICY_TYPES} from '../engine/model/elb/vocabulary.js'
import type {CipherChoice} from './cipher-choice.js'
import {describePolicies, describePolicyTypes} from './elb.js'
import {ErrorText, usePolling} from './ui.js'


const SAMPLE_FIRST = (a: string, b: string) => Number(b.startsWith('ELBSample-')) - Number(a.startsWith('ELBSample-'))

export function CipherChooser({choice, onChange, name}: {choice: CipherChoice; onChange: (choice: CipherChoice) => void; name: string}) {
  const predefined = usePolling(() => describePolicies(), [])
  const type = usePolling(() => describePolicyTypes([POLICY_TYPES.sslNegotiation]), [])
  const names = (predefined.value ?? []).filter((policy) => policy.typeName === POLICY_TYPES.sslNegotiation).map((policy) => policy.name).sort(SAMPLE_FIRST)
  const attributes = (type.value?.[0]?.attributes ?? []).map((attribute) => attribute.name).filter((attribute) => attribute !== 'Reference-Security-Policy')
  const protocols = attributes.filter((attribute) => attribute.startsWith('Protocol-'))
  const options = attributes.filter((attribute) => attribute.startsWith('Server-Defined-'))
  const ciphers = attributes.filter((attribute) => !protocols.includes(attribute) && !options.includes(attribute))

  const chooseCustom = () => {
    if (Object.keys(choice.custom).length > 0) {
      onChange({...choice, policy: 'Custom'})
      return
    }
    // Custom starts from the policy chosen before (as the seed says: SSLv3 stays on from the default).
    const base = new Map(predefined.value?.find((policy) => policy.name === choice.policy)?.attributes ?? [])
    onChange({policy: 'Custom', custom: Object.fromEntries(attributes.map((attribute) => [attribute, base.get(attribute) === 'true']))})
  }
  const set = (changes: Record<string, boolean>) => { onChange({...choice, custom: {...choice.custom, ...changes}}) }
  const box = (attribute: string) => (
    <label key={attribute} class="check"><input type="checkbox" checked={choice.custom[attribute] === true}
      onChange={(event) => { set({[attribute]: event.currentTarget.checked}) }} />
      {attribute.replace(/^Protocol-/, '')}</label>
  )
  const group = (legend: string, list: string[]) => (
    <fieldset class="checks">
      <legend>{legend}</legend>
      <button type="button" class="small" onClick={() => { set(Object.fromEntries(list.map((attribute) => [attribute, false]))) }}>Clear {legend}</button>
      <div class="check-grid">{list.map(box)}</div>
    </fieldset>
  )
  return (
    <>
      <ErrorText error={predefined.error ?? type.error} />
      <fieldset>
        <legend>Cipher policy</legend>
        {names.map((policy) => (
          <label key={policy} class="choice"><input type="radio" name={name} checked={choice.policy === policy}
            onChange={() => { onChange({...choice, policy}) }} /> {policy}</label>
        ))}
        <label class="choice"><input type="radio" name={name} checked={choice.policy === 'Custom'} onChange={chooseCustom} /> Custom</label>
      </fieldset>
      {choice.policy === 'Custom' ? (
        <>
          <p class="note">You must enable at least one protocol version and one cipher for SSL negotiation to take place.</p>
          {group('SSL Protocols', protocols)}
          {group('SSL Options', options)}
          {group('SSL Ciphers', ciphers)}
        </>
      ) : null}
    </>
  )
}
