import {execFileSync} from 'node:child_process'

/** boto3 on this machine: which botocore an interpreter has, and tests that need a given one. */

/** The botocore an interpreter imports with boto3, or undefined: a machine without it skips that test, saying so. */
export function botocoreOf(python: string): string | undefined {
  try {
    return execFileSync(python, ['-c', 'import boto3, botocore; print(botocore.__version__)'], {encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore']}).trim()
  } catch {
    return undefined
  }
}

export function withBotocore(python: string, version: RegExp): typeof test {
  const found = botocoreOf(python)
  if (found !== undefined && version.test(found)) return test
  console.warn(`${python}: boto3 with botocore ${version.source} not found (${found ?? 'no boto3'}); that CloudWatch client test is skipped`)
  return test.skip
}
