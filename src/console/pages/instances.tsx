/** The local stand-in EC2 instances: launch (zone, demo back ends), stop, start, terminate; faults on them. */
import {useState} from 'preact/hooks'
import {region} from '../api.js'
import {changeInstances, describeInstances, runInstances} from '../instances.js'
import {utcDateTime} from '../time.js'
import {ConfirmButton, ErrorText, Field, usePolling} from '../ui.js'
import {FaultsSection} from './faults.js'

export function InstancesPage() {
  const list = usePolling(() => describeInstances(), [], 3000)
  const [count, setCount] = useState('1')
  const [zone, setZone] = useState(`${region()}a`)
  const [serve, setServe] = useState('http:80,http:8080,https:443')
  const [error, setError] = useState<unknown>()
  const act = (run: Promise<unknown>) => { setError(undefined); run.then(list.reload, setError) }
  return (
    <>
      <h1 tabIndex={-1}>Instances</h1>
      <p class="muted">Local stand-ins for EC2 instances: each gets its own loopback IP and runs the demo back ends listed.</p>
      <ErrorText error={list.error ?? error} />
      <div class="table-wrap">
        <table>
          <thead><tr><th>Instance</th><th>Availability Zone</th><th>State</th><th>Private IP</th><th>Back ends</th><th>Launched</th><th><span class="visually-hidden">Actions</span></th></tr></thead>
          <tbody>
            {(list.value ?? []).map((instance) => (
              <tr key={instance.instanceId}>
                <td>{instance.instanceId}</td><td>{instance.availabilityZone}</td><td>{instance.state}</td><td>{instance.privateIp}</td>
                <td>{instance.serve.map((spec) => `${spec.protocol}:${spec.port}`).join(', ')}</td><td>{utcDateTime(instance.launchTime)}</td>
                <td>
                  {instance.state === 'running' ? <button type="button" onClick={() => { act(changeInstances('stop', [instance.instanceId])) }}>Stop<span class="visually-hidden"> {instance.instanceId}</span></button> : null}
                  {instance.state === 'stopped' ? <button type="button" onClick={() => { act(changeInstances('start', [instance.instanceId])) }}>Start<span class="visually-hidden"> {instance.instanceId}</span></button> : null}
                  {instance.state === 'terminated' ? null : <ConfirmButton label="Terminate" question={`Terminate ${instance.instanceId}?`} onConfirm={async () => { await changeInstances('terminate', [instance.instanceId]); list.reload() }} />}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <h2>Launch instances</h2>
      <form onSubmit={(event) => {
        event.preventDefault()
        const specs = serve.split(',').map((item) => item.trim()).filter((item) => item !== '').map((item) => {
          const [protocol = '', port = ''] = item.split(':')
          return {protocol: protocol.toLowerCase(), port: Number(port)}
        })
        act(runInstances({count: Number(count), availabilityZone: zone, serve: specs}))
      }}>
        <Field label="Number of instances" value={count} onInput={setCount} />
        <Field label="Availability Zone" value={zone} onInput={setZone} />
        <Field label="Demo back ends" value={serve} onInput={setServe} hint="protocol:port, comma separated (http or https)" />
        <button type="submit" class="primary">Launch</button>
      </form>
      <FaultsSection instanceIds={(list.value ?? []).filter((instance) => instance.state === 'running').map((instance) => instance.instanceId)} />
    </>
  )
}
