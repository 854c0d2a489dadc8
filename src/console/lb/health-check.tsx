/** Health check: edit the target and thresholds; AWS's validation messages next to the form. */
import {useState} from 'preact/hooks'
import {configureHealthCheck, type LoadBalancer} from '../elb.js'
import {ErrorText, Field} from '../ui.js'

export function HealthCheckTab({lb, reload}: {lb: LoadBalancer; reload: () => void}) {
  const check = lb.healthCheck
  const [draft, setDraft] = useState({target: check.target, interval: String(check.interval), timeout: String(check.timeout),
    unhealthy: String(check.unhealthyThreshold), healthy: String(check.healthyThreshold)})
  const [error, setError] = useState<unknown>()
  const [saved, setSaved] = useState(false)
  const set = (field: keyof typeof draft) => (value: string) => { setSaved(false); setDraft({...draft, [field]: value}) }
  return (
    <form onSubmit={(event) => {
      event.preventDefault()
      setError(undefined)
      configureHealthCheck(lb.name, {target: draft.target, interval: Number(draft.interval), timeout: Number(draft.timeout),
        unhealthyThreshold: Number(draft.unhealthy), healthyThreshold: Number(draft.healthy)}).then(() => { setSaved(true); reload() }, setError)
    }}>
      <Field label="Ping Target" value={draft.target} onInput={set('target')} hint="PROTOCOL:PORT/path, e.g. HTTP:8080/ping" />
      <Field label="Response Timeout" value={draft.timeout} onInput={set('timeout')} />
      <Field label="Health Check Interval" value={draft.interval} onInput={set('interval')} />
      <Field label="Unhealthy Threshold" value={draft.unhealthy} onInput={set('unhealthy')} />
      <Field label="Healthy Threshold" value={draft.healthy} onInput={set('healthy')} />
      <ErrorText error={error} />
      <button type="submit" class="primary">Save</button> {saved ? <span role="status">Saved.</span> : null}
    </form>
  )
}
