/** Human tables for `elb-local` (pure: data in, text out). */
import type {InstanceRecord} from '../../engine/model/types.js'
import type {EngineStatus, HostsLine} from '../../engine/admin/types.js'
import {faultDetail, type ActiveFault} from '../../engine/faults/vocabulary.js'
import {staleRegistrationCommands, type StaleRegistration} from '../../engine/model/elb/stale-registrations.js'
import {renderTable, type Column, type TableOptions} from './table.js'

const columns = (...headers: string[]): Column[] => headers.map((header) => ({header}))

export function formatInstances(instances: readonly InstanceRecord[], options: TableOptions = {}): string {
  if (instances.length === 0) return 'No instances.'
  return renderTable(
    [...columns('Instance', 'State', 'Private IP', 'Zone'), {header: 'Serves', wrap: true}, {header: 'Launched', optional: true}],
    instances.map((instance) => [
      instance.instanceId,
      instance.state,
      instance.privateIp,
      instance.availabilityZone,
      instance.serve.map((spec) => `${spec.protocol}:${spec.port}`).join(', '),
      instance.launchTime,
    ]),
    options,
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

/** The engine, then its load balancers, then what cannot serve; each table fits TABLE_WIDTH unless `wide`. */
export function formatStatus(status: EngineStatus, options: TableOptions = {}): string {
  const summary = renderTable(columns('', ''), [
    ['Engine', 'elb-local'],
    ['Endpoint', status.endpoint],
    ['PID', String(status.pid)],
    ['State dir', status.ephemeral === true ? `${status.home} (ephemeral: removed at stop)` : status.home],
    ['Started', status.startedAt],
    ['Port offset', String(status.portOffset)],
    ['DNS', status.dns === undefined ? 'not serving (see engine.log)' : `${status.dns.host}:${status.dns.port} (UDP and TCP)`],
    ['Hosts file', status.hostsSync === undefined ? '-' : `${status.hostsSync.file} ${status.hostsSync.enabled ? 'kept current' : 'not kept (elb-local hosts --sync)'}`],
    ['Time scale', String(status.timeScale)],
    ['Load balancers', String(status.counts.loadBalancers)],
    ['Instances', `${status.counts.instances} (${status.counts.runningInstances} running)`],
    ['Server certificates', String(status.counts.serverCertificates)],
  ], {...options, headless: true})
  const parts = [summary]
  if (status.loadBalancers.length > 0) {
    const lbColumns: Column[] = [
      {header: 'Load balancer'}, {header: 'Region', optional: true}, {header: 'Address'}, {header: 'DNS name', optional: true},
      {header: 'Instances'}, {header: 'Listeners', wrap: true},
    ]
    parts.push(renderTable(lbColumns,
      status.loadBalancers.map((lb) => [
        lb.name, lb.region, lb.address, lb.dnsName, String(lb.instances),
        lb.listeners.map((listener) => {
          const where = `${listener.protocol}:${listener.loadBalancerPort}` +
            (listener.localPort === listener.loadBalancerPort ? '' : ` (bound ${listener.localPort})`)
          const line = listener.state === 'error' ? `${where} ERROR:\n${listener.error ?? 'not bound'}` : `${where} ${listener.state}`
          const notOffered = listener.notOffered ?? []
          return notOffered.length === 0 ? line : `${line}\n  not offered by this OpenSSL: ${notOffered.join(', ')}`
        }).join('\n'),
      ]), options))
  }
  const failing = status.backends.filter((backend) => backend.state === 'error')
  if (failing.length > 0) {
    parts.push(renderTable([...columns('Instance', 'Backend'), {header: 'Error', wrap: true}], failing.map((backend) => [
      backend.instanceId, `${backend.protocol} ${backend.privateIp}:${backend.localPort}`, backend.error ?? '',
    ]), options))
  }
  if (status.backendFailures.length > 0) {
    parts.push(renderTable([...columns('Load balancer', 'Instance', 'Failure', 'Count'), {header: 'Last error', wrap: true}],
      status.backendFailures.map((failure) => [
        failure.loadBalancerName, failure.instanceId, failure.reason, String(failure.count), failure.lastError,
      ]), options))
  }
  if ((status.faults ?? []).length > 0) parts.push(formatFaults(status.faults ?? [], options))
  return parts.join('\n')
}

/** `elb-local fault list|set` and the faults part of `status`. */
export function formatFaults(faults: readonly ActiveFault[], options: TableOptions = {}): string {
  if (faults.length === 0) return 'No faults.'
  return renderTable(
    [...columns('Fault', 'Kind', 'Target', 'Detail', 'Probability'), {header: 'Region', optional: true}, {header: 'Clears at', optional: true}],
    faults.map((fault) => [
      fault.id, fault.kind, fault.instanceId ?? fault.availabilityZone ?? '', faultDetail(fault), String(fault.probability), fault.region,
      fault.expiresAt ?? 'when cleared',
    ]),
    options,
  )
}

export function formatHosts(lines: readonly HostsLine[]): string {
  return lines.map((line) => `${line.address} ${line.dnsName}`).join('\n')
}
