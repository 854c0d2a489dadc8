/**
 * Terraform against the engine, as a user would point it at a local endpoint: the terraform
 * binary, the AWS provider from a filesystem mirror (no network), dummy credentials, and a working
 * directory with the fixture's main.tf. Whether terraform and the mirror are here: findTerraform
 * (provisioning-tools.ts).
 */
import {execFileSync} from 'node:child_process'
import {copyFileSync, mkdtempSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {basename, dirname, join} from 'node:path'
import {runProcess, type RunResult} from './processes.js'
import {terraformRc} from './provisioning-tools.js'

/** A fresh working directory with `fixture` as its main.tf and the provider-mirror config written. */
export function terraformWorkspace(fixture: string, mirror: string | undefined): string {
  const work = mkdtempSync(join(tmpdir(), `elb-${basename(dirname(fixture))}-`))
  copyFileSync(fixture, join(work, 'main.tf'))
  writeMirrorConfig(work, mirror ?? '')
  return work
}

/** `work/cert.pem` and `work/key.pem`: a self-signed certificate for www.example.com (the fixtures' site name). */
export function writeSiteCertificate(work: string): void {
  execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-sha256', '-days', '30', '-subj', '/CN=www.example.com',
    '-addext', 'subjectAltName=DNS:www.example.com', '-keyout', 'key.pem', '-out', 'cert.pem'], {cwd: work, stdio: 'ignore'})
}

/** Writes `work/terraform.rc`, which installs the AWS provider from `mirror` only. */
export function writeMirrorConfig(work: string, mirror: string): void {
  writeFileSync(join(work, 'terraform.rc'), terraformRc(mirror))
}

/** `terraform ARGS -no-color` in `work` against `endpoint`, with `TF_VAR_*` variables from `vars`. */
export function runTerraform(work: string, endpoint: string, args: readonly string[], vars: Readonly<Record<string, string>> = {}): Promise<RunResult> {
  return terraformProcess(work, args, {
    TF_VAR_endpoint: endpoint,
    ...Object.fromEntries(Object.entries(vars).map(([name, value]) => [`TF_VAR_${name}`, value])),
  })
}

/** Writes `work/terraform.rc` and returns a runner of terraform in `work` with the extra environment `env()` (read at each run). */
export function terraformIn(work: string, mirror: string, env: () => Record<string, string>): (...args: string[]) => Promise<RunResult> {
  writeMirrorConfig(work, mirror)
  return (...args) => terraformProcess(work, args, env())
}

function terraformProcess(work: string, args: readonly string[], env: Readonly<Record<string, string>>): Promise<RunResult> {
  return runProcess('terraform', [...args, '-no-color'], {
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
      ...env,
    },
  })
}
