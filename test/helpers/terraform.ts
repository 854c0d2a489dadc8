import {execFileSync} from 'node:child_process'
import {existsSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'
import {runProcess, type RunResult} from './processes.js'

/**
 * Terraform for the e2e tests: the CLI's version, the filesystem mirror of the AWS provider (no
 * network), the reason a test is skipped without them, and a runner confined to a work directory.
 */

export function terraformVersion(): string | undefined {
  try {
    return execFileSync('terraform', ['version'], {encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'], env: {...process.env, TF_CLI_CONFIG_FILE: '/dev/null'}}).split('\n')[0]
  } catch {
    return undefined
  }
}

/** The directory holding `registry.terraform.io/hashicorp/aws` (TF_PROVIDER_MIRROR, else the usual places). */
export function providerMirror(): string | undefined {
  const candidates = [process.env.TF_PROVIDER_MIRROR, '/opt/tf-plugins', '/usr/local/share/terraform/plugins',
    '/usr/share/terraform/plugins', join(process.env.HOME ?? '/root', '.terraform.d', 'plugins')]
  return candidates.find((dir) => dir !== undefined && dir !== '' && existsSync(join(dir, 'registry.terraform.io', 'hashicorp', 'aws')))
}

/** Why a Terraform test cannot run here, or undefined when it can. */
export function terraformSkipReason(version: string | undefined, mirror: string | undefined): string | undefined {
  if (version === undefined) return 'terraform is not on PATH'
  return mirror === undefined ? 'no filesystem mirror of registry.terraform.io/hashicorp/aws (set TF_PROVIDER_MIRROR)' : undefined
}

/** Writes `work/terraform.rc` (the provider from `mirror` only) and returns a runner of terraform in `work`. */
export function terraformIn(work: string, mirror: string, env: () => Record<string, string>): (...args: string[]) => Promise<RunResult> {
  writeFileSync(join(work, 'terraform.rc'), `provider_installation {\n  filesystem_mirror {\n    path    = ${JSON.stringify(mirror)}\n` +
    '    include = ["registry.terraform.io/hashicorp/aws"]\n  }\n}\n')
  return (...args) => runProcess('terraform', [...args, '-no-color'], {
    cwd: work,
    timeoutMs: 240_000,
    env: {
      TF_CLI_CONFIG_FILE: join(work, 'terraform.rc'),
      TF_DATA_DIR: join(work, '.terraform-data'),
      TF_PLUGIN_CACHE_DIR: '',
      TF_IN_AUTOMATION: '1',
      CHECKPOINT_DISABLE: '1',
      AWS_CONFIG_FILE: '/dev/null',
      AWS_SHARED_CREDENTIALS_FILE: '/dev/null',
      ...env(),
    },
  })
}
