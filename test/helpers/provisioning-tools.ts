import {execFileSync} from 'node:child_process'
import {existsSync} from 'node:fs'
import {join} from 'node:path'

/**
 * Whether the provisioning tools an end-to-end test drives are here: terraform with a filesystem
 * mirror of the AWS provider, ansible-playbook with amazon.aws and a Python with boto3. Each answers
 * why not (a skip reason) or what to run.
 */

function output(file: string, args: string[], env?: NodeJS.ProcessEnv): string | undefined {
  try {
    return execFileSync(file, args, {encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'], ...(env === undefined ? {} : {env})})
  } catch {
    return undefined
  }
}

export interface Terraform {
  readonly version: string | undefined
  /** The directory holding `registry.terraform.io/hashicorp/aws` (TF_PROVIDER_MIRROR, else the usual places). */
  readonly mirror: string | undefined
  readonly skipReason: string | undefined
}

export function findTerraform(): Terraform {
  const version = output('terraform', ['version'], {...process.env, TF_CLI_CONFIG_FILE: '/dev/null'})?.split('\n')[0]
  const candidates = [process.env.TF_PROVIDER_MIRROR, '/opt/tf-plugins', '/usr/local/share/terraform/plugins',
    '/usr/share/terraform/plugins', join(process.env.HOME ?? '/root', '.terraform.d', 'plugins')]
  const mirror = candidates.find((dir) => dir !== undefined && dir !== '' && existsSync(join(dir, 'registry.terraform.io', 'hashicorp', 'aws')))
  const skipReason = version === undefined
    ? 'terraform is not on PATH'
    : mirror === undefined ? 'no filesystem mirror of registry.terraform.io/hashicorp/aws (set TF_PROVIDER_MIRROR)' : undefined
  return {version, mirror, skipReason}
}

export interface Ansible {
  readonly version: string | undefined
  /** A Python that can import boto3 and botocore (what amazon.aws needs): ANSIBLE_PYTHON, python3, /usr/bin/python3. */
  readonly python: string | undefined
  readonly skipReason: string | undefined
}

export function findAnsible(): Ansible {
  const version = output('ansible-playbook', ['--version'])?.split('\n')[0]
  const collection = version === undefined ? undefined : output('ansible-galaxy', ['collection', 'list', 'amazon.aws'])
  let python: string | undefined
  for (const candidate of [process.env.ANSIBLE_PYTHON, 'python3', '/usr/bin/python3']) {
    if (candidate === undefined || candidate === '') continue
    const executable = output(candidate, ['-c', 'import sys, boto3, botocore; print(sys.executable)'])?.trim()
    if (executable !== undefined && executable !== '') {
      python = executable
      break
    }
  }
  const skipReason = version === undefined ? 'ansible-playbook is not on PATH'
    : collection?.includes('amazon.aws') !== true ? 'the amazon.aws collection is not installed'
      : python === undefined ? 'no Python with boto3 and botocore (apt-get install python3-boto3)' : undefined
  return {version, python, skipReason}
}

/** terraform.rc installing the AWS provider from `mirror` only (no network). */
export function terraformRc(mirror: string | undefined): string {
  return `provider_installation {\n  filesystem_mirror {\n    path    = ${JSON.stringify(mirror)}\n` +
    '    include = ["registry.terraform.io/hashicorp/aws"]\n  }\n}\n'
}

/** The environment ansible-playbook runs in: everything under `work`, no user AWS configuration. */
export function ansibleEnv(work: string): NodeJS.ProcessEnv {
  return {
    ANSIBLE_NOCOLOR: '1',
    ANSIBLE_HOME: join(work, 'ansible'),
    ANSIBLE_LOCAL_TEMP: join(work, 'tmp'),
    ANSIBLE_RETRY_FILES_ENABLED: 'false',
    AWS_CONFIG_FILE: '/dev/null',
    AWS_SHARED_CREDENTIALS_FILE: '/dev/null',
  }
}
