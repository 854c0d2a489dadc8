/**
 * The legacy CloudWatch CLI's cells and texts: Java's Double.toString, the data-point time, the
 * dimension map, the 40-wide action ARN, `mon-cmd`'s listing (the CLI reference's example),
 * `mon-version`, and the help texts' GENERAL OPTIONS naming AWS_CLOUDWATCH_URL.
 */
import {dataPointTime, dimensionMap, javaDouble} from '../../../src/lib/cli/format/cloudwatch.js'
import {elide} from '../../../src/lib/cli/dispatch.js'
import {loadHelp, renderHelp} from '../../../src/lib/cli/help/index.js'
import {ELB_COMMAND_NAMES} from '../../../src/lib/cli/registry.js'
import {runCli} from '../../commands/run-cli.js'

test('numbers print as Java\'s Double.toString does', () => {
  const cases: [number, string][] = [
    [0, '0.0'], [-0, '-0.0'], [2, '2.0'], [90, '90.0'], [17, '17.0'], [0.41718811881188117, '0.41718811881188117'],
    [25.615000000000002, '25.615000000000002'], [0.001, '0.001'], [0.0001, '1.0E-4'], [1234567, '1234567.0'], [1e7, '1.0E7'],
    [12345678.9, '1.23456789E7'], [-2.5e-5, '-2.5E-5'], [1e130, '1.0E130'], [Number.NaN, 'NaN'], [Number.POSITIVE_INFINITY, 'Infinity'],
  ]
  for (const [value, text] of cases) expect([value, javaDouble(value)]).toEqual([value, text])
})

test('data-point times are UTC to the second; dimensions print as a Java map', () => {
  expect(dataPointTime(new Date('2015-11-18T17:00:00.000Z'))).toBe('2015-11-18 17:00:00')
  expect(dataPointTime(undefined)).toBeUndefined()
  expect(dimensionMap([{Name: 'InstanceId', Value: 'i-e7e48a8e'}])).toBe('{InstanceId=i-e7e48a8e}')
  expect(dimensionMap([{Name: 'LoadBalancerName', Value: 'lb'}, {Name: 'AvailabilityZone', Value: 'us-east-1a'}]))
    .toBe('{LoadBalancerName=lb, AvailabilityZone=us-east-1a}')
  expect(dimensionMap([])).toBe('{}')
})

test('a 40-wide action ARN keeps its first 18 and last 19 characters (a captured 1.0.x table)', () => {
  const arn = 'arn:aws:autoscaling:ap-northeast-1:910777643605:scalingPolicy:0ce7a750:autoScalingGroupName/demo00-test00-group00:policyName/demo00-test00-inpolicy00'
  expect(elide(arn, 40)).toBe('arn:aws:autoscalin...0-test00-inpolicy00')
  expect(elide('short', 40)).toBe('short')
})

test('mon-cmd: the CLI reference\'s listing, help first, mon-version among the commands', async () => {
  const run = await runCli('mon-cmd', [])
  expect(run.code).toBe(0)
  expect(run.stdout.split('\n').map((line) => line.trimEnd())).toEqual([
    'Command Name                       Description',
    '------------                       -----------',
    'help',
    'mon-delete-alarms                  Delete alarms.',
    'mon-describe-alarm-history         Show the history of alarm transitions and actions taken.',
    'mon-describe-alarms                List alarms and show detailed alarm configuration.',
    'mon-describe-alarms-for-metric     Show alarms for a given metric.',
    'mon-disable-alarm-actions          Disable all actions for a given alarm.',
    'mon-enable-alarm-actions           Enable all actions for a given alarm.',
    'mon-get-stats                      Get metric statistics.',
    'mon-list-metrics                   List user\'s metrics.',
    'mon-put-data                       Put metric data.',
    'mon-put-metric-alarm               Create a new alarm or update an existing one.',
    'mon-set-alarm-state                Manually set the state of an alarm.',
    'mon-version                        Prints the version of the CLI tool and API.',
    '',
    "For help on a specific command, type '<commandname> --help'",
    '',
  ])
  expect((await runCli('mon-cmd', ['--help'])).stdout).toBe(run.stdout)
})

test('mon-cmd runs only mon-* commands; elb-cmd only elb-* ones', async () => {
  expect(await runCli('mon-cmd', ['version'])).toEqual({stdout: 'Amazon CloudWatch CLI version 1.0.20.0 (API 2010-08-01)\n\n', stderr: '', code: 0})
  const foreign = await runCli('mon-cmd', ['elb-describe-lbs'])
  expect(foreign.code).toBe(1)
  expect(foreign.stderr).toContain("Malformed input-Unknown command: 'elb-describe-lbs'.")
  const other = await runCli('elb-cmd', ['mon-get-stats'])
  expect(other.code).toBe(1)
  expect(other.stderr).toContain("Malformed input-Unknown command: 'mon-get-stats'.")
  expect((await runCli('elb-cmd', [])).stdout).not.toContain('mon-')
})

test('mon-version prints the CloudWatch CLI\'s version line', async () => {
  expect(await runCli('mon-version', [])).toEqual({stdout: 'Amazon CloudWatch CLI version 1.0.20.0 (API 2010-08-01)\n\n', stderr: '', code: 0})
  expect((await runCli('mon-version', ['--help'])).stdout).toContain('Prints the version of the CLI tool and API.')
})

test('every mon-* help names AWS_CLOUDWATCH_URL under -U, --url; the elb-* ones keep AWS_ELB_URL', async () => {
  const monNames = ELB_COMMAND_NAMES.filter((name) => name.startsWith('mon-'))
  expect(monNames.length).toBe(11)
  for (const name of monNames) {
    const text = renderHelp(await loadHelp(name))
    expect(text.startsWith(`\nSYNOPSIS\n   ${name}\n`)).toBe(true)
    expect(text).toContain("environment variable 'AWS_CLOUDWATCH_URL'.")
    expect(text).not.toContain('AWS_ELB_URL')
    expect((await runCli(name, ['--help'])).stdout).toBe(text)
  }
  expect(renderHelp(await loadHelp('elb-describe-lbs'))).toContain("environment variable 'AWS_ELB_URL'.")
})
