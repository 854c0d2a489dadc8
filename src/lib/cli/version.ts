import {readFileSync} from 'node:fs'

/** `elb-version` / `elb-cmd version`: the legacy tool's exact text, which scripts grep for 1.0.17.0. */
export const VERSION_TEXT = 'Amazon ElasticLoadBalancing CLI version 1.0.17.0 (API 2012-06-01)\n\n'

/**
 * elb-tools' own version (`elb-local --version`), read from package.json when asked: this module
 * sits three levels below the package root in src/, dist/ and the bundles alike.
 */
export function packageVersion(): string {
  const text = readFileSync(new URL('../../../package.json', import.meta.url), 'utf8')
  return (JSON.parse(text) as {version: string}).version
}
