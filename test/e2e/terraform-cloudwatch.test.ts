/**
 * Terraform's `aws_cloudwatch_metric_alarm` against the engine (`endpoints { cloudwatch }`): a
 * HealthyHostCount alarm and an HTTPCode_Backend_5XX alarm on an `aws_elb`, applied, planned again
 * with no changes (no drift: every attribute the provider reads back is what it wrote), evaluated
 * by the engine, and destroyed. Skipped, saying why, where terraform or the provider mirror is absent.
 */
import {CloudWatchClient, DescribeAlarmsCommand, ListTagsForResourceCommand} from '@aws-sdk/client-cloudwatch'
import {copyFileSync, mkdtempSync, rmSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {eventually, startTestEngine, TEST_CREDENTIALS, type TestEngine} from '../helpers/engine.js'
import {REPO, type RunResult} from '../helpers/processes.js'
import {findTerraform} from '../helpers/provisioning-tools.js'
import {terraformIn} from '../helpers/terraform.js'

const {version, mirror, skipReason} = findTerraform()
if (skipReason !== undefined) console.warn(`test/e2e/terraform-cloudwatch.test.ts skipped: ${skipReason}`)
const maybe = skipReason === undefined ? describe : describe.skip

maybe(`terraform (${version ?? 'absent'}): aws_cloudwatch_metric_alarm on an aws_elb`, () => {
  let api: TestEngine
  let work: string
  let terraform: (...args: string[]) => Promise<RunResult>
  let cloudwatch: CloudWatchClient

  beforeAll(async () => {
    // A configuration without security groups: EC2-Classic, where none filter.
    api = await startTestEngine({portOffset: 20_000 + 100 * Math.floor(Math.random() * 300), timeScale: 1 / 60, platform: 'ec2-classic'})
    cloudwatch = new CloudWatchClient({endpoint: api.endpoint, region: 'us-east-1', credentials: TEST_CREDENTIALS, maxAttempts: 1})
    work = mkdtempSync(join(tmpdir(), 'elb-terraform-cw-'))
    copyFileSync(join(REPO, 'test', 'e2e', 'fixtures', 'terraform-cloudwatch', 'main.tf'), join(work, 'main.tf'))
    terraform = terraformIn(work, mirror ?? '', () => ({TF_VAR_endpoint: api.endpoint}))
  })

  afterAll(async () => {
    cloudwatch.destroy()
    await api.close()
    rmSync(work, {recursive: true, force: true})
  })

  test('init, apply, plan with no changes, the alarms evaluated, destroy', async () => {
    const init = await terraform('init', '-input=false')
    expect({code: init.code, stderr: init.stderr}).toEqual({code: 0, stderr: ''})
    const apply = await terraform('apply', '-auto-approve', '-input=false')
    expect({code: apply.code, stderr: apply.stderr}).toEqual({code: 0, stderr: ''})
    expect(apply.stdout).toContain('Apply complete! Resources: 4 added, 0 changed, 0 destroyed.')

    const plan = await terraform('plan', '-detailed-exitcode', '-input=false')
    expect({code: plan.code, stderr: plan.stderr}).toEqual({code: 0, stderr: ''})
    expect(plan.stdout).toContain('No changes.')

    const alarms = (await cloudwatch.send(new DescribeAlarmsCommand({AlarmNamePrefix: 'tf-watched'}))).MetricAlarms ?? []
    expect(alarms.map((alarm) => alarm.AlarmName)).toEqual(['tf-watched-5xx', 'tf-watched-no-healthy-hosts'])
    expect(alarms[1]).toMatchObject({
      Namespace: 'AWS/ELB', MetricName: 'HealthyHostCount', Statistic: 'Minimum', Period: 60, EvaluationPeriods: 3, DatapointsToAlarm: 2,
      Threshold: 1, ComparisonOperator: 'LessThanThreshold', TreatMissingData: 'breaching', Dimensions: [{Name: 'LoadBalancerName', Value: 'tf-watched'}],
    })
    const tags = await cloudwatch.send(new ListTagsForResourceCommand({ResourceARN: alarms[1]?.AlarmArn}))
    expect(tags.Tags).toEqual([{Key: 'team', Value: 'web'}])
    // The engine evaluates them: the instance serves, so at least one healthy host → OK; no 5XX → OK.
    await eventually(async () => {
      const states = ((await cloudwatch.send(new DescribeAlarmsCommand({AlarmNamePrefix: 'tf-watched'}))).MetricAlarms ?? []).map((alarm) => alarm.StateValue)
      return states.every((state) => state === 'OK') ? states : undefined
    }, 30_000, 'both alarms to be OK')

    const destroy = await terraform('destroy', '-auto-approve', '-input=false')
    expect({code: destroy.code, stderr: destroy.stderr}).toEqual({code: 0, stderr: ''})
    expect(destroy.stdout).toContain('Destroy complete! Resources: 4 destroyed.')
    expect(api.engine.store.region(api.region).alarms).toEqual([])
  }, 300_000)
})
