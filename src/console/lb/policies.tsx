/** Policies (all of them: SSL, back-end authentication, stickiness, …; where each is used; create stickiness, delete) and Tags. */
import {useState} from 'preact/hooks'
import {addTags, createStickinessPolicy, deletePolicy, describePolicies, describeTags, removeTags, type LoadBalancer} from '../elb.js'
import {ConfirmButton, ErrorText, Field, Select, usePolling} from '../ui.js'
import {policyUsage} from './policy-usage.js'

export function PoliciesTab({lb, reload}: {lb: LoadBalancer; reload: () => void}) {
  const policies = usePolling(() => describePolicies(lb.name), [lb.name])
  const [kind, setKind] = useState<'lb' | 'app'>('lb')
  const [name, setName] = useState('')
  const [value, setValue] = useState('')
  const [error, setError] = useState<unknown>()
  const done = () => { policies.reload(); reload() }
  const usage = policyUsage(lb, policies.value ?? [])
  return (
    <>
      <ErrorText error={policies.error} />
      <div class="table-wrap">
        <table aria-label="Policies">
          <thead><tr><th>Policy</th><th>Type</th><th>Where it is used</th></tr></thead>
          <tbody>
            {(policies.value ?? []).map((policy) => (
              <tr key={policy.name}>
                <td>
                  <details>
                    <summary>{policy.name}</summary>
                    <ul class="attributes">{policy.attributes.filter(([, attributeValue]) => attributeValue !== 'false').map(([attribute, attributeValue]) => <li key={attribute}>{attribute}={attributeValue}</li>)}</ul>
                    <ConfirmButton label="Delete" question={`Delete policy ${policy.name}?`} onConfirm={async () => { await deletePolicy(lb.name, policy.name); done() }} />
                  </details>
                </td>
                <td>{policy.typeName}</td>
                <td><ul class="plain" aria-label={`Where ${policy.name} is used`}>{(usage.get(policy.name) ?? []).map((use) => <li key={use}>{use}</li>)}</ul></td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <h2>Create stickiness policy</h2>
      <form onSubmit={(event) => { event.preventDefault(); setError(undefined); createStickinessPolicy(lb.name, name, kind, value).then(done, setError) }}>
        <Select label="Type" value={kind} options={[['lb', 'Load balancer generated cookie (LBCookieStickinessPolicyType)'], ['app', 'Application generated cookie (AppCookieStickinessPolicyType)']]} onChange={(next) => { setKind(next as 'lb' | 'app') }} />
        <Field label="Policy Name" value={name} onInput={setName} />
        <Field label={kind === 'lb' ? 'Cookie Expiration Period (seconds, optional)' : 'Cookie Name'} value={value} onInput={setValue} />
        <ErrorText error={error} />
        <button type="submit">Create policy</button>
      </form>
    </>
  )
}

export function TagsTab({lb}: {lb: LoadBalancer}) {
  const tags = usePolling(() => describeTags(lb.name), [lb.name])
  const [key, setKey] = useState('')
  const [value, setValue] = useState('')
  const [error, setError] = useState<unknown>()
  return (
    <>
      <ErrorText error={tags.error} />
      <table aria-label="Tags"><thead><tr><th>Key</th><th>Value</th><th><span class="visually-hidden">Actions</span></th></tr></thead>
        <tbody>{(tags.value ?? []).map(([tagKey, tagValue]) => (
          <tr key={tagKey}><td>{tagKey}</td><td>{tagValue}</td>
            <td><ConfirmButton label="Remove" question={`Remove tag ${tagKey}?`} onConfirm={async () => { await removeTags(lb.name, tagKey); tags.reload() }} /></td></tr>
        ))}</tbody></table>
      <form onSubmit={(event) => { event.preventDefault(); setError(undefined); addTags(lb.name, key, value).then(tags.reload, setError) }}>
        <Field label="Key" value={key} onInput={setKey} />
        <Field label="Value" value={value} onInput={setValue} />
        <ErrorText error={error} />
        <button type="submit">Add tag</button>
      </form>
    </>
  )
}
