/** Listeners: add / remove, change certificate, SSL policy (predefined or Custom). */
import {useState} from 'preact/hooks'
import {CipherChooser} from '../cipher-chooser.js'
import {CIPHER_POLICY_TYPE, policyAttributes, type CipherChoice} from '../cipher-choice.js'
import {createListeners, createPolicy, deleteListeners, setListenerCertificate, setPoliciesOfListener, type LoadBalancer} from '../elb.js'
import {listServerCertificates} from '../iam.js'
import {ConfirmButton, ErrorText, usePolling} from '../ui.js'
import {isSecure} from '../../engine/model/elb/vocabulary.js'
import {DEFAULT_PORT, PROTOCOLS} from '../wizard/model.js'

function SslPolicyEditor({lb, port, reload}: {lb: LoadBalancer; port: number; reload: () => void}) {
  const [choice, setChoice] = useState<CipherChoice>({policy: 'ELBSecurityPolicy-2016-08', custom: {}})
  const [error, setError] = useState<unknown>()
  const [open, setOpen] = useState(false)
  if (!open) return <p><button type="button" onClick={() => { setOpen(true) }}>Change SSL policy of port {port}</button></p>
  return (
    <form onSubmit={(event) => {
      event.preventDefault()
      setError(undefined)
      const policyName = `AWSConsole-SSLNegotiationPolicy-${lb.name}-${Date.now()}`
      createPolicy(lb.name, policyName, CIPHER_POLICY_TYPE, policyAttributes(choice))
        .then(() => setPoliciesOfListener(lb.name, port, [policyName]))
        .then(() => { setOpen(false); reload() }, setError)
    }}>
      <h2>SSL policy of port {port}</h2>
      <CipherChooser name={`ssl-policy-${port}`} choice={choice} onChange={setChoice} />
      <ErrorText error={error} />
      <button type="submit" class="primary">Apply</button> <button type="button" onClick={() => { setOpen(false) }}>Cancel</button>
    </form>
  )
}

export function ListenersTab({lb, reload}: {lb: LoadBalancer; reload: () => void}) {
  const certificates = usePolling(() => listServerCertificates(), [])
  const [draft, setDraft] = useState({protocol: 'HTTP', loadBalancerPort: '80', instanceProtocol: 'HTTP', instancePort: '80', certificate: ''})
  const [error, setError] = useState<unknown>()
  const act = (run: Promise<void>) => { setError(undefined); run.then(reload, setError) }
  return (
    <>
      <div class="table-wrap">
        <table aria-label="Listeners">
          <thead><tr><th>Load Balancer Protocol</th><th>Load Balancer Port</th><th>Instance Protocol</th><th>Instance Port</th><th>SSL Certificate</th><th>Policies</th><th><span class="visually-hidden">Actions</span></th></tr></thead>
          <tbody>
            {lb.listeners.map((listener) => (
              <tr key={listener.loadBalancerPort}>
                <td>{listener.protocol}</td><td>{listener.loadBalancerPort}</td><td>{listener.instanceProtocol}</td><td>{listener.instancePort}</td>
                <td>{isSecure(listener.protocol) ? (
                  <select aria-label={`SSL Certificate of port ${listener.loadBalancerPort}`} value={listener.sslCertificateId ?? ''}
                    onChange={(event) => { act(setListenerCertificate(lb.name, listener.loadBalancerPort, event.currentTarget.value)) }}>
                    {(certificates.value ?? []).map((certificate) => <option key={certificate.arn} value={certificate.arn}>{certificate.name}</option>)}
                    {certificates.value?.some((certificate) => certificate.arn === listener.sslCertificateId) === true ? null : <option value={listener.sslCertificateId ?? ''}>{listener.sslCertificateId ?? ''}</option>}
                  </select>) : '—'}</td>
                <td>{listener.policyNames.join(', ')}</td>
                <td><ConfirmButton label="Remove" question={`Remove the listener on port ${listener.loadBalancerPort}?`} onConfirm={async () => { await deleteListeners(lb.name, [listener.loadBalancerPort]); reload() }} /></td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {lb.listeners.filter((listener) => isSecure(listener.protocol)).map((listener) => <SslPolicyEditor key={listener.loadBalancerPort} lb={lb} port={listener.loadBalancerPort} reload={reload} />)}
      <h2>Add listener</h2>
      <form class="inline" onSubmit={(event) => {
        event.preventDefault()
        act(createListeners(lb.name, [{protocol: draft.protocol, loadBalancerPort: Number(draft.loadBalancerPort), instanceProtocol: draft.instanceProtocol,
          instancePort: Number(draft.instancePort), sslCertificateId: isSecure(draft.protocol) ? draft.certificate : undefined}]))
      }}>
        <label>Load Balancer Protocol <select value={draft.protocol} onChange={(event) => { const protocol = event.currentTarget.value; setDraft({...draft, protocol, loadBalancerPort: DEFAULT_PORT[protocol] ?? draft.loadBalancerPort}) }}>
          {PROTOCOLS.map(([value, text]) => <option key={value} value={value}>{text}</option>)}</select></label>
        <label>Load Balancer Port <input size={6} value={draft.loadBalancerPort} onInput={(event) => { setDraft({...draft, loadBalancerPort: event.currentTarget.value}) }} /></label>
        <label>Instance Protocol <select value={draft.instanceProtocol} onChange={(event) => { setDraft({...draft, instanceProtocol: event.currentTarget.value}) }}>
          {PROTOCOLS.map(([value, text]) => <option key={value} value={value}>{text}</option>)}</select></label>
        <label>Instance Port <input size={6} value={draft.instancePort} onInput={(event) => { setDraft({...draft, instancePort: event.currentTarget.value}) }} /></label>
        {isSecure(draft.protocol) ? (
          <label>SSL Certificate <select value={draft.certificate} onChange={(event) => { setDraft({...draft, certificate: event.currentTarget.value}) }}>
            <option value="">Select a certificate</option>
            {(certificates.value ?? []).map((certificate) => <option key={certificate.arn} value={certificate.arn}>{certificate.name}</option>)}</select></label>
        ) : null}
        <button type="submit">Add</button>
      </form>
      <ErrorText error={error} />
    </>
  )
}
