import {readFileSync} from 'node:fs'

/** `elb-version` / `elb-cmd version`: the legacy tool's exact text, which scripts grep for 1.0.17.0. */
export const VERSION_TEXT = 'Amazon ElasticLoadBalancing CLI version 1.0.17.0 (API 2012-06-01)\n\n'

/**
 * `mon-version` / `mon-cmd version`: the wording of the CloudWatch CLI reference's example, with the
 * last release, 1.0.20.0, that scripts in the wild install (`CloudWatch-1.0.20.0/bin/…`).
 */
export const MON_VERSION_TEXT = 'Amazon CloudWatch CLI version 1.0.20.0 (API 2010-08-01)\n\n'

/**
 * elb-tools' own version (`elb-local --version`), read from package.json when asked: this module
 * sits three levels below the package root in src/, dist/ and the bundles alike.
 */
export function packageVersion(): string {
  const text = readFileSync(new URL('../../../package.json', import.meta.url), 'utf8')
  return (JSON.parse(text) as {version: string}).version
}
