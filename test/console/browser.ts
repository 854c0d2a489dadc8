/**
 * Debian's Chromium driven by playwright-core (the `playwright` package's own browser download
 * cannot work here). Locally, a machine without `chromium` skips the browser tests with a message;
 * under CI (`CI=true`) a missing browser is a failure, since `.ci/run` installs it.
 */
import {execFileSync} from 'node:child_process'
import {mkdirSync} from 'node:fs'
import {join} from 'node:path'
import playwright, {type Browser, type Page} from 'playwright-core'
import {REPO} from '../helpers/processes.js'

/** `CONSOLE_SCREENSHOTS=1 npx jest test/console` refreshes docs/console/*.png; other runs leave them alone. */
export const SCREENSHOTS = join(REPO, 'docs', 'console')
const takeScreenshots = process.env.CONSOLE_SCREENSHOTS === '1'

export function chromiumPath(): string | undefined {
  try {
    return execFileSync('sh', ['-c', 'command -v chromium || command -v chromium-browser'], {encoding: 'utf8'}).trim() || undefined
  } catch {
    return undefined
  }
}

const executable = chromiumPath()
if (executable === undefined && process.env.CI === 'true') throw new Error('chromium is not installed: .ci/run must install it (apt-get install chromium)')
if (executable === undefined) console.warn('SKIPPING the browser tests: no `chromium` on PATH (apt-get install chromium)')

/** `describe`, or `describe.skip` when there is no browser (never under CI). */
export const describeWithBrowser = executable === undefined ? describe.skip : describe

export async function launchBrowser(): Promise<Browser> {
  if (executable === undefined) throw new Error('no chromium')
  return playwright.chromium.launch({executablePath: executable, args: ['--no-sandbox', '--disable-gpu']})
}

export interface ConsolePage {
  readonly page: Page
  /** Script errors and console errors, except the browser's line for an API error the test provoked (status 4xx). */
  readonly problems: string[]
  /** Every console error, unfiltered, and every request answered 4xx/5xx or not at all (clear it to watch one action). */
  readonly noise: string[]
}

/** A page that fails the test on any script error or failed request of the console itself. */
export async function consolePage(browser: Browser, options: {viewport?: {width: number; height: number}; timezoneId?: string} = {}): Promise<ConsolePage> {
  const page = await browser.newPage({viewport: options.viewport ?? {width: 1280, height: 800}, ...(options.timezoneId === undefined ? {} : {timezoneId: options.timezoneId})})
  const problems: string[] = []
  const noise: string[] = []
  page.on('pageerror', (error) => problems.push(`page error: ${error.message}`))
  page.on('console', (message) => {
    if (message.type() !== 'error') return
    noise.push(`console: ${message.text()}`)
    if (!message.text().includes('status of 4')) problems.push(`console: ${message.text()}`)
  })
  page.on('response', (response) => { if (response.status() >= 400) noise.push(`${response.status()} ${response.request().method()} ${response.url()}`) })
  page.on('requestfailed', (request) => noise.push(`failed ${request.method()} ${request.url()}: ${request.failure()?.errorText ?? ''}`))
  return {page, problems, noise}
}

/** Saves a screenshot for docs/console/ (committed, shown in the README). */
export async function screenshot(page: Page, name: string): Promise<void> {
  if (!takeScreenshots) return
  mkdirSync(SCREENSHOTS, {recursive: true})
  await page.screenshot({path: join(SCREENSHOTS, `${name}.png`), fullPage: true})
}
