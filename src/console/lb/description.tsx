/** Description: DNS name, scheme, zones, the VPC's subnets and groups, source security group, and the editable attributes. */
import {useEffect, useState} from 'preact/hooks'
import {describeAttributes, modifyAttributes, type Attributes, type LoadBalancer} from '../elb.js'
import {utcDateTime} from '../time.js'
import {ErrorText, Field, Select, usePolling} from '../ui.js'

export function DescriptionTab({lb}: {lb: LoadBalancer}) {
  const loaded = usePolling(() => describeAttributes(lb.name), [lb.name])
  const [draft, setDraft] = useState<Attributes>()
  const [saveError, setSaveError] = useState<unknown>()
  const [saved, setSaved] = useState(false)
  useEffect(() => { if (loaded.value !== undefined) setDraft(loaded.value) }, [loaded.value])
  const set = <K extends keyof Attributes>(key: K, value: Attributes[K]) => { setSaved(false); setDraft((old) => old === undefined ? old : {...old, [key]: value}) }
  return (
    <>
      <dl class="facts">
        <dt>DNS Name</dt><dd class="dns">{lb.dnsName}</dd>
        <dt>Scheme</dt><dd>{lb.scheme}</dd>
        <dt>Availability Zones</dt><dd>{lb.zones.join(', ')}</dd>
        {lb.vpcId === '' ? null : (
          <>
            <dt>VPC</dt><dd>{lb.vpcId}</dd>
            <dt>Subnets</dt><dd>{lb.subnets.join(', ')}</dd>
            <dt>Security Groups</dt><dd>{lb.securityGroups.join(', ')}</dd>
          </>
        )}
        <dt>Source Security Group</dt><dd>{lb.sourceSecurityGroup}</dd>
        <dt>Created</dt><dd>{utcDateTime(lb.created)}</dd>
        <dt>Health Check</dt><dd>{lb.healthCheck.target}</dd>
      </dl>
      <h2>Attributes</h2>
      <ErrorText error={loaded.error} />
      {draft === undefined ? null : (
        <form onSubmit={(event) => {
          event.preventDefault()
          setSaveError(undefined)
          modifyAttributes(lb.name, draft).then(() => { setSaved(true); loaded.reload() }, setSaveError)
        }}>
          <label class="check"><input type="checkbox" checked={draft.crossZone} onChange={(event) => { set('crossZone', event.currentTarget.checked) }} /> Cross-Zone Load Balancing</label>
          <label class="check"><input type="checkbox" checked={draft.draining} onChange={(event) => { set('draining', event.currentTarget.checked) }} /> Connection Draining</label>
          <Field label="Draining timeout (seconds)" value={String(draft.drainingTimeout)} onInput={(value) => { set('drainingTimeout', Number(value)) }} />
          <Field label="Idle timeout (seconds)" value={String(draft.idleTimeout)} onInput={(value) => { set('idleTimeout', Number(value)) }} />
          <label class="check"><input type="checkbox" checked={draft.accessLog} onChange={(event) => { set('accessLog', event.currentTarget.checked) }} /> Access logs</label>
          {draft.accessLog ? (
            <>
              <Field label="S3 bucket name" value={draft.accessLogBucket} onInput={(value) => { set('accessLogBucket', value) }} />
              <Field label="S3 bucket prefix" value={draft.accessLogPrefix} onInput={(value) => { set('accessLogPrefix', value) }} />
              <Select label="Emit interval (minutes)" value={String(draft.accessLogInterval)} options={['5', '60']} onChange={(value) => { set('accessLogInterval', Number(value)) }} />
            </>
          ) : null}
          <Select label="Desync mitigation mode" value={draft.desyncMode} options={['monitor', 'defensive', 'strictest']} onChange={(value) => { set('desyncMode', value) }} />
          <ErrorText error={saveError} />
          <button type="submit" class="primary">Save attributes</button> {saved ? <span role="status">Saved.</span> : null}
        </form>
      )}
    </>
  )
}
