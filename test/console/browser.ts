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

/** A page that fails the test on any script error or failed request of the console itself. */
export async function consolePage(browser: Browser, viewport = {width: 1280, height: 800}): Promise<{page: Page; problems: string[]}> {
  const page = await browser.newPage({viewport})
  const problems: string[] = []
  page.on('pageerror', (error) => problems.push(`page error: ${error.message}`))
  page.on('console', (message) => { if (message.type() === 'error' && !message.text().includes('status of 4')) problems.push(`console: ${message.text()}`) })
  return {page, problems}
}

/** Saves a screenshot for docs/console/ (committed, shown in the README). */
export async function screenshot(page: Page, name: string): Promise<void> {
  if (!takeScreenshots) return
  mkdirSync(SCREENSHOTS, {recursive: true})
  await page.screenshot({path: join(SCREENSHOTS, `${name}.png`), fullPage: true})
}
