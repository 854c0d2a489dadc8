/** Drives the Create Load Balancer wizard as a user does, for the wizard's browser tests. */
import {CreateLoadBalancerCommand} from '@aws-sdk/client-elastic-load-balancing'
import {ListServerCertificatesCommand, type IAMClient} from '@aws-sdk/client-iam'
import type {Browser, Page} from 'playwright-core'
import {makePki, type Pki} from '../engine/iam/pki.js'
import {startTestEngine, type TestEngine} from '../helpers/engine.js'
import {consolePage, launchBrowser, type ConsolePage} from './browser.js'

export interface WizardDriver {
  /** A fresh wizard, opened as a user does: Load Balancers → Create Load Balancer. */
  open(): Promise<void>
  /** DEFINE LOAD BALANCER named `name` with HTTP 80→80 and HTTPS 443→443, on to the certificate step. */
  defineHttps(name: string): Promise<void>
  /** Continue, and wait for the step titled `heading`. */
  next(heading: string): Promise<void>
  /** The text of the alert next to the field labelled `label` ('' when it has none). */
  errorAt(label: string): Promise<string>
}

export function wizardDriver(page: Page, endpoint: string): WizardDriver {
  const next = async (heading: string) => {
    await page.getByRole('button', {name: 'Continue'}).click()
    await page.getByRole('heading', {level: 2, name: heading}).waitFor()
  }
  const open = async () => {
    await page.goto(`${endpoint}/console/#/load-balancers`)
    await page.getByRole('link', {name: 'Create Load Balancer'}).click()
    await page.getByRole('heading', {level: 2, name: 'DEFINE LOAD BALANCER'}).waitFor()
  }
  return {
    open,
    next,
    async defineHttps(name) {
      await open()
      await page.getByLabel('Load Balancer Name').fill(name)
      await page.getByLabel('Load Balancer Protocol', {exact: true}).selectOption('HTTPS')
      await page.getByLabel('Instance Protocol', {exact: true}).selectOption('HTTPS')
      await page.getByLabel('Instance Port', {exact: true}).fill('443')
      await page.getByRole('button', {name: 'Save'}).click()
      await next('Upload SSL Certificate')
    },
    async errorAt(label) {
      const describedBy = await page.getByLabel(label, {exact: true}).getAttribute('aria-describedby')
      return describedBy === null ? '' : page.locator(`[id="${describedBy}"]`).innerText()
    },
  }
}

export async function certificateNames(iam: IAMClient): Promise<string[]> {
  return ((await iam.send(new ListServerCertificatesCommand({}))).ServerCertificateMetadataList ?? []).map((metadata) => metadata.ServerCertificateName ?? '')
}

export interface WizardSession extends ConsolePage {
  readonly t: TestEngine
  readonly browser: Browser
  readonly pki: Pki
  readonly wizard: WizardDriver
}

/** A fresh engine holding one load balancer, `Taken` (HTTP 80), and a browser page to drive the wizard on it. */
export async function startWizardSession(): Promise<WizardSession> {
  const pki = makePki()
  const t = await startTestEngine({portOffset: 20_000 + 100 * Math.floor(Math.random() * 300)})
  await t.elb.send(new CreateLoadBalancerCommand({
    LoadBalancerName: 'Taken', AvailabilityZones: ['us-east-1a'],
    Listeners: [{Protocol: 'HTTP', LoadBalancerPort: 80, InstanceProtocol: 'HTTP', InstancePort: 80}],
  }))
  const browser = await launchBrowser()
  const page = await consolePage(browser)
  return {...page, t, browser, pki, wizard: wizardDriver(page.page, t.endpoint)}
}

export async function closeWizardSession(session: WizardSession | undefined): Promise<void> {
  await session?.browser.close()
  await session?.t.close()
}
