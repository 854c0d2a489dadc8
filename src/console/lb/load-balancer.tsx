/** One load balancer, with tabs like the AWS console's. */
import {describeLoadBalancers} from '../elb.js'
import {ErrorText, Tabs, usePolling} from '../ui.js'
import {DescriptionTab} from './description.js'
import {HealthCheckTab} from './health-check.js'
import {InstancesTab} from './instances.js'
import {ListenersTab} from './listeners.js'
import {MonitoringTab} from './monitoring.js'
import {PoliciesTab, TagsTab} from './policies.js'

export const TABS = ['Description', 'Listeners', 'Instances', 'Health check', 'Policies', 'Tags', 'Monitoring'] as const

export function LoadBalancerPage({name, tab}: {name: string; tab: string}) {
  const lb = usePolling(async () => (await describeLoadBalancers([name]))[0], [name], 5000)
  const current = (TABS as readonly string[]).includes(tab) ? tab : 'Description'
  const href = (to: string) => `#/load-balancers/${encodeURIComponent(name)}/${encodeURIComponent(to)}`
  return (
    <>
      <p class="crumbs"><a href="#/load-balancers">Load Balancers</a> ›</p>
      <h1 tabIndex={-1}>{name}</h1>
      <ErrorText error={lb.error} />
      <Tabs tabs={TABS} current={current} href={href} />
      {lb.value === undefined ? <p>{lb.error === undefined ? 'Loading…' : ''}</p> : (
        <div class="tab-panel" role="region" aria-label={current}>
          {current === 'Description' ? <DescriptionTab lb={lb.value} /> : null}
          {current === 'Listeners' ? <ListenersTab lb={lb.value} reload={lb.reload} /> : null}
          {current === 'Instances' ? <InstancesTab lb={lb.value} reload={lb.reload} /> : null}
          {current === 'Health check' ? <HealthCheckTab lb={lb.value} reload={lb.reload} /> : null}
          {current === 'Policies' ? <PoliciesTab lb={lb.value} reload={lb.reload} /> : null}
          {current === 'Tags' ? <TagsTab lb={lb.value} /> : null}
          {current === 'Monitoring' ? <MonitoringTab lb={lb.value} /> : null}
        </div>
      )}
    </>
  )
}
