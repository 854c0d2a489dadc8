/** Configure Health Check, Add Amazon EC2 Instances, and Review (with a way back to each step). */
import {useEffect} from 'preact/hooks'
import {region} from '../api.js'
import {describeInstances} from '../instances.js'
import {ErrorText, Field, Select, usePolling} from '../ui.js'
import {isSecure} from '../../engine/model/elb/vocabulary.js'
import {chosenSubnets, healthCheckTarget, PROTOCOLS, type StepName} from './model.js'
import {STEP_TITLES, type StepProps} from './steps.js'

export function HealthCheckStep({state, update, errors}: StepProps) {
  const check = state.healthCheck
  const set = (field: keyof typeof check) => (value: string) => { update((draft) => { draft.healthCheck[field] = value }) }
  const withPath = check.protocol === 'HTTP' || check.protocol === 'HTTPS'
  return (
    <>
      <fieldset>
        <legend>Configuration Options</legend>
        <Select label="Ping Protocol" value={check.protocol} options={PROTOCOLS.map(([value]) => value)} onChange={set('protocol')} />
        <Field label="Ping Port" value={check.port} onInput={set('port')} />
        {withPath ? <Field label="Ping Path" value={check.path} onInput={set('path')} /> : null}
      </fieldset>
      <fieldset>
        <legend>Advanced Options</legend>
        <Field label="Response Timeout" value={check.timeout} onInput={set('timeout')} hint="seconds" />
        <Field label="Health Check Interval" value={check.interval} onInput={set('interval')} hint="seconds" />
        <Field label="Unhealthy Threshold" value={check.unhealthy} onInput={set('unhealthy')} />
        <Field label="Healthy Threshold" value={check.healthy} onInput={set('healthy')} />
      </fieldset>
      <p>Target: <code>{healthCheckTarget(check)}</code></p>
      <ErrorText error={errors.target} />
    </>
  )
}

export function InstancesStep({state, update, errors, onZones}: StepProps & {onZones: (zones: string[]) => void}) {
  const instances = usePolling(() => describeInstances(), [], 5000)
  const live = (instances.value ?? []).filter((instance) => instance.state !== 'terminated')
  const selected = new Set(state.instanceIds)
  useEffect(() => {
    const zones = [...new Set(live.filter((instance) => selected.has(instance.instanceId)).map((instance) => instance.availabilityZone))].sort()
    onZones(zones.length > 0 ? zones : [`${region()}a`])
  }, [instances.value, state.instanceIds.join()])
  return (
    <>
      <p>Check the boxes in the Select column to add instances to your load balancer.</p>
      <ErrorText error={instances.error ?? errors.instances} />
      <div class="table-wrap">
        <table>
          <thead><tr><th>Select</th><th>Instance</th><th>Availability Zone</th><th>State</th><th>Private IP</th></tr></thead>
          <tbody>
            {live.map((instance) => (
              <tr key={instance.instanceId}>
                <td><input type="checkbox" aria-label={`Select ${instance.instanceId}`} checked={selected.has(instance.instanceId)} onChange={(event) => {
                  const on = event.currentTarget.checked
                  update((draft) => {
                    draft.instanceIds = on ? [...draft.instanceIds, instance.instanceId] : draft.instanceIds.filter((id) => id !== instance.instanceId)
                  })
                }} /></td>
                <td>{instance.instanceId}</td>
                <td>{instance.availabilityZone}</td>
                <td>{instance.state}</td>
                <td>{instance.privateIp}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {instances.value !== undefined && live.length === 0 ? <p>No instances yet: <a href="#/instances">launch some</a>, or continue without.</p> : null}
    </>
  )
}

function Row({label, value}: {label: string; value: string}) {
  return <><dt>{label}</dt><dd>{value === '' ? '—' : value}</dd></>
}

export function ReviewStep({state, steps, goTo, zones}: StepProps & {steps: StepName[]; goTo: (step: StepName) => void; zones: string[]}) {
  const edit = (step: StepName) => <button type="button" class="small" onClick={() => { goTo(step) }}>Edit {STEP_TITLES[step]}</button>
  const check = state.healthCheck
  return (
    <>
      <p>Please review the load balancer details before continuing.</p>
      <section class="review">
        <h3>{STEP_TITLES.define} {edit('define')}</h3>
        <dl>
          <Row label="Load Balancer Name" value={state.name} />
          <Row label="Listeners" value={state.listeners.map((row) => `${row.protocol}:${row.loadBalancerPort} → ${row.instanceProtocol}:${row.instancePort}`).join(', ')} />
          {chosenSubnets(state.network).length === 0 ? <Row label="Availability Zones" value={zones.join(', ')} /> : null}
          {state.network.vpcId === '' ? null : (
            <>
              <Row label="VPC" value={state.network.vpcId} />
              <Row label="Scheme" value={state.network.internal ? 'internal' : 'internet-facing'} />
              <Row label="Subnets" value={chosenSubnets(state.network).join(', ')} />
              <Row label="Security Groups" value={state.network.securityGroupIds.join(', ')} />
            </>
          )}
        </dl>
      </section>
      {steps.includes('certificate') ? (
        <section class="review">
          <h3>{STEP_TITLES.certificate} {edit('certificate')}</h3>
          <dl><Row label="SSL Certificate" value={state.certificateMode === 'upload' ? `Upload a new SSL Certificate: ${state.upload.name}${state.upload.chain.trim() === '' ? '' : ' (with chain)'}` : state.existingArn} /></dl>
        </section>
      ) : null}
      {steps.includes('ciphers') ? (
        <section class="review">
          <h3>{STEP_TITLES.ciphers} {edit('ciphers')}</h3>
          <dl><Row label="Cipher policy" value={state.cipherPolicy === 'Custom'
            ? `Custom: ${Object.entries(state.custom).filter(([, on]) => on).map(([name]) => name.replace(/^Protocol-/, '')).join(', ')}`
            : state.cipherPolicy} /></dl>
        </section>
      ) : null}
      {steps.includes('backend') ? (
        <section class="review">
          <h3>{STEP_TITLES.backend} {edit('backend')}</h3>
          <dl><Row label="Backend authentication" value={state.backendAuthentication
            ? `Enabled: ${state.backendCertificates.map((certificate) => certificate.name).join(', ')} on instance ports ${[...new Set(state.listeners.filter((row) => isSecure(row.instanceProtocol)).map((row) => row.instancePort))].join(', ')}`
            : 'Proceed without backend authentication'} /></dl>
        </section>
      ) : null}
      <section class="review">
        <h3>{STEP_TITLES.healthcheck} {edit('healthcheck')}</h3>
        <dl>
          <Row label="Ping Target" value={healthCheckTarget(check)} />
          <Row label="Timeout / Interval" value={`${check.timeout} s / ${check.interval} s`} />
          <Row label="Unhealthy / Healthy Threshold" value={`${check.unhealthy} / ${check.healthy}`} />
        </dl>
      </section>
      <section class="review">
        <h3>{STEP_TITLES.instances} {edit('instances')}</h3>
        <dl><Row label="Instances" value={state.instanceIds.join(', ')} /></dl>
      </section>
    </>
  )
}
