/** Load balancers: filter, sort, page (stays quick with thousands), delete with confirmation. */
import {useMemo, useState} from 'preact/hooks'
import {describeInstanceHealth, describeLoadBalancers, deleteLoadBalancer, type LoadBalancer} from '../elb.js'
import {utcDateTime} from '../time.js'
import {ConfirmButton, ErrorText, usePolling} from '../ui.js'

const PAGE_SIZE = 50
type SortKey = 'name' | 'dnsName' | 'scheme' | 'created'

function listenerText(lb: LoadBalancer): string {
  return lb.listeners.map((listener) => `${listener.protocol}:${listener.loadBalancerPort} → ${listener.instanceProtocol}:${listener.instancePort}`).join(', ')
}

function InServiceCell({lb}: {lb: LoadBalancer}) {
  const health = usePolling(() => lb.instances.length === 0 ? Promise.resolve([]) : describeInstanceHealth(lb.name), [lb.name, lb.instances.join()], 5000)
  if (health.error !== undefined) return <td>?</td>
  const inService = health.value?.filter((state) => state.state === 'InService').length
  return <td>{inService ?? '…'} of {lb.instances.length}</td>
}

export function LoadBalancersPage() {
  const list = usePolling(() => describeLoadBalancers(), [], 10_000)
  const [filter, setFilter] = useState('')
  const [sort, setSort] = useState<{key: SortKey; ascending: boolean}>({key: 'name', ascending: true})
  const [page, setPage] = useState(0)
  const rows = useMemo(() => {
    const needle = filter.trim().toLowerCase()
    const matching = (list.value ?? []).filter((lb) => needle === '' ||
      [lb.name, lb.dnsName, lb.scheme, lb.zones.join(' '), listenerText(lb)].some((text) => text.toLowerCase().includes(needle)))
    const sorted = [...matching].sort((a, b) => a[sort.key].localeCompare(b[sort.key]))
    return sort.ascending ? sorted : sorted.reverse()
  }, [list.value, filter, sort])
  const pages = Math.max(1, Math.ceil(rows.length / PAGE_SIZE))
  const shown = rows.slice(Math.min(page, pages - 1) * PAGE_SIZE, (Math.min(page, pages - 1) + 1) * PAGE_SIZE)
  const header = (key: SortKey, label: string) => (
    <th aria-sort={sort.key === key ? (sort.ascending ? 'ascending' : 'descending') : 'none'}>
      <button type="button" class="sort" onClick={() => { setSort({key, ascending: sort.key === key ? !sort.ascending : true}) }}>{label}</button>
    </th>
  )
  return (
    <>
      <h1 tabIndex={-1}>Load Balancers</h1>
      <div class="toolbar">
        <a class="button primary" href="#/create">Create Load Balancer</a>
        <label>Filter <input type="search" value={filter} onInput={(event) => { setFilter(event.currentTarget.value); setPage(0) }} /></label>
        <span aria-live="polite">{list.value === undefined ? 'Loading…' : `${rows.length} of ${list.value.length} load balancers`}</span>
      </div>
      <ErrorText error={list.error} />
      <div class="table-wrap">
        <table>
          <thead><tr>{header('name', 'Name')}{header('dnsName', 'DNS Name')}{header('scheme', 'Scheme')}<th>Availability Zones</th><th>Listeners</th><th>InService / registered</th>{header('created', 'Created')}<th><span class="visually-hidden">Actions</span></th></tr></thead>
          <tbody>
            {shown.map((lb) => (
              <tr key={lb.name}>
                <td><a href={`#/load-balancers/${encodeURIComponent(lb.name)}`}>{lb.name}</a></td>
                <td class="dns">{lb.dnsName}</td>
                <td>{lb.scheme}</td>
                <td>{lb.zones.join(', ')}</td>
                <td>{listenerText(lb)}</td>
                <InServiceCell lb={lb} />
                <td>{utcDateTime(lb.created)}</td>
                <td><ConfirmButton label="Delete" question={`Delete ${lb.name}?`} onConfirm={async () => { await deleteLoadBalancer(lb.name); list.reload() }} /></td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {pages > 1 ? (
        <nav class="pager" aria-label="Pages">
          <button type="button" disabled={page === 0} onClick={() => { setPage(page - 1) }}>Previous</button>
          <span>Page {Math.min(page, pages - 1) + 1} of {pages}</span>
          <button type="button" disabled={page >= pages - 1} onClick={() => { setPage(page + 1) }}>Next</button>
        </nav>
      ) : null}
    </>
  )
}
