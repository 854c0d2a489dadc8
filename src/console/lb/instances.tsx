/** Instances: live State / Description / Reason code from DescribeInstanceHealth; register, deregister. */
import {useState} from 'preact/hooks'
import {describeInstanceHealth, deregisterInstances, registerInstances, type LoadBalancer} from '../elb.js'
import {describeInstances} from '../instances.js'
import {ErrorText, usePolling} from '../ui.js'

export function InstancesTab({lb, reload}: {lb: LoadBalancer; reload: () => void}) {
  const health = usePolling(() => describeInstanceHealth(lb.name), [lb.name, lb.instances.join()], 2000)
  const local = usePolling(() => describeInstances(), [], 5000)
  const [error, setError] = useState<unknown>()
  const [choice, setChoice] = useState('')
  const act = (run: Promise<void>) => { setError(undefined); run.then(() => { reload(); health.reload() }, setError) }
  const unregistered = (local.value ?? []).filter((instance) => instance.state !== 'terminated' && !lb.instances.includes(instance.instanceId))
  return (
    <>
      <ErrorText error={health.error ?? error} />
      <div class="table-wrap">
        <table aria-label="Registered instances">
          <thead><tr><th>Instance</th><th>Availability Zone</th><th>State</th><th>Description</th><th>Reason code</th><th><span class="visually-hidden">Actions</span></th></tr></thead>
          <tbody>
            {(health.value ?? []).map((state) => (
              <tr key={state.instanceId}>
                <td>{state.instanceId}</td>
                <td>{local.value?.find((instance) => instance.instanceId === state.instanceId)?.availabilityZone ?? ''}</td>
                <td class={state.state === 'InService' ? 'ok' : 'bad'}>{state.state}</td>
                <td>{state.description}</td>
                <td>{state.reasonCode}</td>
                <td><button type="button" onClick={() => { act(deregisterInstances(lb.name, [state.instanceId])) }}>Deregister<span class="visually-hidden"> {state.instanceId}</span></button></td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <form class="inline" onSubmit={(event) => { event.preventDefault(); if (choice !== '') act(registerInstances(lb.name, [choice])) }}>
        <label>Instance <select value={choice} onChange={(event) => { setChoice(event.currentTarget.value) }}>
          <option value="">Select an instance</option>
          {unregistered.map((instance) => <option key={instance.instanceId} value={instance.instanceId}>{instance.instanceId} ({instance.availabilityZone}, {instance.state})</option>)}
        </select></label>
        <button type="submit">Register</button>
      </form>
    </>
  )
}
