/** Human tables for `elb-local` (pure: data in, text out). */
import Table from 'cli-table3'
import type {InstanceRecord} from '../../engine/model/types.js'
import type {EngineStatus, HostsLine} from '../../engine/admin/types.js'
import {staleRegistrationCommands, type StaleRegistration} from '../../engine/model/elb/stale-registrations.js'

function table(head: string[], rows: string[][]): string {
  // No head row when none is given (key/value tables).
  const output = new Table({...(head.length === 0 ? {} : {head}), style: {head: [], border: []}})
  output.push(...rows)
  return output.toString()
}

export function formatInstances(instances: readonly InstanceRecord[]): string {
  if (instances.length === 0) return 'No instances.'
  return table(
    ['Instance', 'State', 'Private IP', 'Zone', 'Serves', 'Launched'],
    instances.map((instance) => [
      instance.instanceId,
      instance.state,
      instance.privateIp,
      instance.availabilityZone,
      instance.serve.map((spec) => `${spec.protocol}:${spec.port}`).join(', '),
      instance.launchTime,
    ]),
  )
}

/** `start-instances`: one warning per load balancer that still holds a started instance's old address. */
export function formatStaleRegistrations(stale: readonly StaleRegistration[]): string {
  return stale.map((registration) =>
    `Warning: ${registration.instanceId} now runs at ${registration.currentIp}, but load balancer ${registration.loadBalancerName} ` +
    `still sends it health checks and traffic at ${registration.registeredIp}, its address when it was registered: ` +
    `it stays OutOfService there. Register it again: ` +
    `${staleRegistrationCommands(registration.loadBalancerName, registration.instanceId)}.`).join('\n')
}

export function formatStatus(status: EngineStatus): string {
  const summary = table([], [
    ['Engine', 'elb-local'],
    ['Endpoint', status.endpoint],
    ['PID', String(status.pid)],
    ['State dir', status.home],
    ['Started', status.startedAt],
    ['Port offset', String(status.portOffset)],
    ['Time scale', String(status.timeScale)],
    ['Load balancers', String(status.counts.loadBalancers)],
    ['Instances', `${status.counts.instances} (${status.counts.runningInstances} running)`],
    ['Server certificates', String(status.counts.serverCertificates)],
  ])
  const parts = [summary]
  if (status.loadBalancers.length > 0) {
    parts.push(table(['Load balancer', 'Region', 'Address', 'DNS name', 'Instances', 'Listeners'],
      status.loadBalancers.map((lb) => [
        lb.name, lb.region, lb.address, lb.dnsName, String(lb.instances),
        lb.listeners.map((listener) => {
          const where = `${listener.protocol}:${listener.loadBalancerPort}` +
            (listener.localPort === listener.loadBalancerPort ? '' : ` (bound ${listener.localPort})`)
          const line = listener.state === 'error' ? `${where} ERROR:\n${wrapText(listener.error ?? 'not bound')}` : `${where} ${listener.state}`
          const notOffered = listener.notOffered ?? []
          return notOffered.length === 0 ? line : `${line}\n  not offered by this OpenSSL: ${notOffered.join(', ')}`
        }).join('\n'),
      ])))
  }
  const failing = status.backends.filter((backend) => backend.state === 'error')
  if (failing.length > 0) {
    parts.push(table(['Instance', 'Backend', 'Error'], failing.map((backend) => [
      backend.instanceId, `${backend.protocol} ${backend.privateIp}:${backend.localPort}`, wrapText(backend.error ?? ''),
    ])))
  }
  if (status.backendFailures.length > 0) {
    parts.push(table(['Load balancer', 'Instance', 'Failure', 'Count', 'Last error'], status.backendFailures.map((failure) => [
      failure.loadBalancerName, failure.instanceId, failure.reason, String(failure.count), wrapText(failure.lastError),
    ])))
  }
  return parts.join('\n')
}

/** Error texts run long (what failed and what to do): wrapped at spaces so table cells stay readable. */
export function wrapText(text: string, width = ERROR_WIDTH): string {
  const lines: string[] = []
  let line = ''
  for (const word of text.split(' ')) {
    if (line !== '' && line.length + 1 + word.length > width) {
      lines.push(line)
      line = word
    } else {
      line = line === '' ? word : `${line} ${word}`
    }
  }
  lines.push(line)
  return lines.join('\n')
}

const ERROR_WIDTH = 60

export function formatHosts(lines: readonly HostsLine[]): string {
  return lines.map((line) => `${line.address} ${line.dnsName}`).join('\n')
}
