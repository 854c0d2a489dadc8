/** The Instances page's faults: the ones in force (each with Clear) and a form to set one (`elb-local fault`). */
import {useState} from 'preact/hooks'
import {FAULT_KINDS, FAULT_SUMMARIES, faultDetail, type FaultKind} from '../../engine/faults/vocabulary.js'
import {clearFault, faultRequest, listFaults, setFault} from '../faults.js'
import {utcDateTime} from '../time.js'
import {ErrorText, Field, Select, usePolling} from '../ui.js'

const VALUE_LABELS: Partial<Record<FaultKind, string>> = {delay: 'Delay (ms)', status: 'Status code', capacity: 'Concurrent requests'}

export function FaultsSection({instanceIds}: {instanceIds: readonly string[]}) {
  const faults = usePolling(() => listFaults(), [], 3000)
  const [kind, setKind] = useState<FaultKind>('refuse')
  const [target, setTarget] = useState('')
  const [value, setValue] = useState('')
  const [duration, setDuration] = useState('')
  const [probability, setProbability] = useState('')
  const [error, setError] = useState<unknown>()
  const act = (run: Promise<unknown>) => { setError(undefined); run.then(faults.reload, setError) }
  const valueLabel = VALUE_LABELS[kind]
  return (
    <>
      <h2>Faults</h2>
      <p class="muted">Break the path to an instance on purpose and see what the load balancer answers (docs/faults.md). Faults end when cleared, when their duration is over, or when the engine restarts.</p>
      <ErrorText error={faults.error ?? error} />
      {(faults.value ?? []).length === 0 ? <p>No faults.</p> : (
        <div class="table-wrap">
          <table>
            <thead><tr><th>Fault</th><th>Kind</th><th>Target</th><th>Detail</th><th>Probability</th><th>Clears at</th><th><span class="visually-hidden">Actions</span></th></tr></thead>
            <tbody>
              {(faults.value ?? []).map((fault) => (
                <tr key={fault.id}>
                  <td>{fault.id}</td><td>{fault.kind}</td><td>{fault.instanceId ?? fault.availabilityZone}</td><td>{faultDetail(fault)}</td>
                  <td>{fault.probability}</td><td>{fault.expiresAt === undefined ? 'when cleared' : utcDateTime(fault.expiresAt)}</td>
                  <td><button type="button" onClick={() => { act(clearFault(fault.id)) }}>Clear<span class="visually-hidden"> {fault.id}</span></button></td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <form onSubmit={(event) => {
        event.preventDefault()
        act(setFault(faultRequest(kind, target === '' ? instanceIds[0] ?? '' : target, value, duration, probability)))
      }}>
        <Select label="Fault" value={kind} options={FAULT_KINDS.map((name) => [name, `${name} — ${FAULT_SUMMARIES[name]}`] as [string, string])}
          onChange={(next) => { setKind(next as FaultKind) }} />
        <Field label={kind === 'zone-outage' ? 'Availability Zone' : 'Instance'} value={target} onInput={setTarget}
          placeholder={kind === 'zone-outage' ? 'us-east-1a' : instanceIds[0] ?? 'i-…'} />
        {valueLabel === undefined ? null : <Field label={valueLabel} value={value} onInput={setValue} />}
        <Field label="Duration (seconds)" value={duration} onInput={setDuration} hint="empty: until cleared" />
        <Field label="Probability" value={probability} onInput={setProbability} hint="0 to 1; empty: every request" />
        <button type="submit" class="primary">Set fault</button>
      </form>
    </>
  )
}
