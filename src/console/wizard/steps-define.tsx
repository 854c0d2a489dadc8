/** DEFINE LOAD BALANCER (name + Listener Configuration) and the SSL certificate step. */
import {useState} from 'preact/hooks'
import {listServerCertificates} from '../iam.js'
import {ErrorText, Field, usePolling} from '../ui.js'
import {DEFAULT_PORT, PROTOCOLS, type ListenerRow} from './model.js'
import {NetworkFields} from './steps-network.js'
import type {StepProps} from './steps.js'

function ListenerFields({row, suffix, onChange}: {row: ListenerRow; suffix: string; onChange: (row: ListenerRow) => void}) {
  const label = (text: string) => `${text}${suffix}`
  return (
    <>
      <td><select aria-label={label('Load Balancer Protocol')} value={row.protocol} onChange={(event) => {
        const protocol = event.currentTarget.value
        onChange({...row, protocol, loadBalancerPort: DEFAULT_PORT[protocol] ?? row.loadBalancerPort})
      }}>{PROTOCOLS.map(([value, text]) => <option key={value} value={value}>{text}</option>)}</select></td>
      <td><input aria-label={label('Load Balancer Port')} inputMode="numeric" size={6} value={row.loadBalancerPort}
        onInput={(event) => { onChange({...row, loadBalancerPort: event.currentTarget.value}) }} /></td>
      <td><select aria-label={label('Instance Protocol')} value={row.instanceProtocol} onChange={(event) => {
        onChange({...row, instanceProtocol: event.currentTarget.value})
      }}>{PROTOCOLS.map(([value, text]) => <option key={value} value={value}>{text}</option>)}</select></td>
      <td><input aria-label={label('Instance Port')} inputMode="numeric" size={6} value={row.instancePort}
        onInput={(event) => { onChange({...row, instancePort: event.currentTarget.value}) }} /></td>
    </>
  )
}

export function DefineStep({state, update, errors}: StepProps) {
  const [draft, setDraft] = useState<ListenerRow>({protocol: 'HTTP', loadBalancerPort: '80', instanceProtocol: 'HTTP', instancePort: '80'})
  return (
    <>
      <Field label="Load Balancer Name" value={state.name} error={errors.name} placeholder="MyLoadBalancer"
        onInput={(value) => { update((draft) => { draft.name = value }) }} />
      <fieldset>
        <legend>Listener Configuration</legend>
        <div class="table-wrap">
          <table>
            <thead><tr><th>Load Balancer Protocol</th><th>Load Balancer Port</th><th>Instance Protocol</th><th>Instance Port</th><th><span class="visually-hidden">Actions</span></th></tr></thead>
            <tbody>
              {state.listeners.map((row, index) => (
                <tr key={index}>
                  <ListenerFields row={row} suffix={` (listener ${index + 1})`} onChange={(changed) => { update((draft) => { draft.listeners[index] = changed }) }} />
                  <td><button type="button" onClick={() => { update((draft) => { draft.listeners.splice(index, 1) }) }}>Remove<span class="visually-hidden"> listener {index + 1}</span></button></td>
                </tr>
              ))}
              <tr class="new-row">
                <ListenerFields row={draft} suffix="" onChange={setDraft} />
                <td><button type="button" onClick={() => {
                  update((state) => { state.listeners.push(draft) })
                  setDraft({protocol: 'HTTP', loadBalancerPort: '80', instanceProtocol: 'HTTP', instancePort: '80'})
                }}>Save</button></td>
              </tr>
            </tbody>
          </table>
        </div>
        <ErrorText error={errors.listeners} />
      </fieldset>
      <NetworkFields state={state} update={update} errors={errors} />
    </>
  )
}

export function CertificateStep({state, update, errors}: StepProps) {
  const certificates = usePolling(() => listServerCertificates(), [])
  const upload = state.upload
  const set = (field: keyof WizardUpload) => (value: string) => { update((draft) => { draft.upload[field] = value }) }
  return (
    <>
      <fieldset>
        <legend>SSL Certificate</legend>
        <label class="choice"><input type="radio" name="certificate-mode" checked={state.certificateMode === 'existing'}
          onChange={() => { update((draft) => { draft.certificateMode = 'existing' }) }} /> Choose from your existing SSL Certificates</label>
        {state.certificateMode === 'existing' ? (
          <div class="field indent">
            <label for="existing-certificate">Certificate</label>
            <select id="existing-certificate" aria-describedby={errors.existing === undefined ? undefined : 'existing-certificate-error'}
              aria-invalid={errors.existing === undefined ? undefined : true} value={state.existingArn} onChange={(event) => { update((draft) => { draft.existingArn = event.currentTarget.value }) }}>
              <option value="">Select a certificate</option>
              {(certificates.value ?? []).map((certificate) => <option key={certificate.arn} value={certificate.arn}>{certificate.name}</option>)}
            </select>
            <ErrorText error={errors.existing ?? certificates.error} id="existing-certificate-error" />
          </div>
        ) : null}
        <label class="choice"><input type="radio" name="certificate-mode" checked={state.certificateMode === 'upload'}
          onChange={() => { update((draft) => { draft.certificateMode = 'upload' }) }} /> Upload a new SSL Certificate</label>
        {state.certificateMode === 'upload' ? (
          <div class="indent">
            <Field label="Certificate Name" value={upload.name} onInput={set('name')} error={errors.name} />
            <Field label="Private Key" multiline value={upload.privateKey} onInput={set('privateKey')} error={errors.privateKey} hint="pem encoded" />
            <Field label="Public Key Certificate" multiline value={upload.body} onInput={set('body')} error={errors.body} hint="pem encoded" />
            <Field label="Certificate Chain" multiline value={upload.chain} onInput={set('chain')} error={errors.chain}
              hint="Optional. The certificate chain must be ordered such that the root certificate is the last certificate in the chain." />
          </div>
        ) : null}
      </fieldset>
    </>
  )
}

type WizardUpload = StepProps['state']['upload']
