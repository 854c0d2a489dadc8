/** The console's shell: navigation, the region, and a hash router over the pages. */
import {render} from 'preact'
import {useEffect, useState} from 'preact/hooks'
import {adminCall, region, setRegion} from './api.js'
import {CertificatesPage} from './pages/certificates.js'
import {InstancesPage} from './pages/instances.js'
import {LoadBalancerPage} from './lb/load-balancer.js'
import {LoadBalancersPage} from './pages/load-balancers.js'
import {Wizard} from './wizard/wizard.js'
import './style.css'

const REGIONS = ['us-east-1', 'us-east-2', 'us-west-1', 'us-west-2', 'eu-west-1', 'eu-central-1', 'ap-northeast-1', 'ap-southeast-1', 'ap-southeast-2', 'sa-east-1']

function useHash(): string {
  const [hash, setHash] = useState(location.hash)
  useEffect(() => {
    const update = () => { setHash(location.hash) }
    addEventListener('hashchange', update)
    return () => { removeEventListener('hashchange', update) }
  }, [])
  return hash
}

function Page({route}: {route: string[]}) {
  const [section, name, tab] = route
  if (section === 'create') return <Wizard />
  if (section === 'certificates') return <CertificatesPage />
  if (section === 'instances') return <InstancesPage />
  if (section === 'load-balancers' && name !== undefined) return <LoadBalancerPage name={name} tab={tab ?? 'Description'} />
  return <LoadBalancersPage />
}

function App() {
  const hash = useHash()
  const [currentRegion, setCurrentRegion] = useState(region())
  const route = hash.replace(/^#\/?/, '').split('/').filter((part) => part !== '').map(decodeURIComponent)
  const section = route[0] ?? 'load-balancers'
  useEffect(() => { document.querySelector<HTMLElement>('main h1')?.focus() }, [hash])
  return (
    <>
      <a class="skip" href="#main">Skip to content</a>
      <header>
        <span class="brand">elb-local console</span>
        <nav aria-label="Navigation">
          <a href="#/load-balancers" aria-current={section === 'load-balancers' || section === 'create' ? 'page' : undefined}>Load Balancers</a>
          <a href="#/certificates" aria-current={section === 'certificates' ? 'page' : undefined}>Certificates</a>
          <a href="#/instances" aria-current={section === 'instances' ? 'page' : undefined}>Instances</a>
        </nav>
        <label class="region">Region{' '}
          <select value={currentRegion} onChange={(event) => {
            setRegion(event.currentTarget.value)
            localStorage.setItem('elb-console-region', event.currentTarget.value)
            setCurrentRegion(event.currentTarget.value)
          }}>
            {(REGIONS.includes(currentRegion) ? REGIONS : [currentRegion, ...REGIONS]).map((name) => <option key={name}>{name}</option>)}
          </select>
        </label>
      </header>
      <main id="main" key={currentRegion}>
        <Page route={route} />
      </main>
    </>
  )
}

async function start(): Promise<void> {
  const saved = localStorage.getItem('elb-console-region')
  if (saved !== null) setRegion(saved)
  else {
    try {
      setRegion((await adminCall('status', {})).defaultRegion)
    } catch {
      // An engine without the admin API: keep us-east-1.
    }
  }
  const container = document.getElementById('app') ?? document.body
  container.textContent = ''
  render(<App />, container)
}

void start()
