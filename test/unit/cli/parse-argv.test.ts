import {checkRequired, parseCommandLine} from '../../../src/lib/cli/parse/argv.js'
import {MalformedInputError} from '../../../src/lib/cli/errors.js'
import type {CommandSyntax} from '../../../src/lib/cli/spec.js'
import {command as createLb} from '../../../src/lib/cli/specs/elb-create-lb.js'
import {command as createLbPolicy} from '../../../src/lib/cli/specs/elb-create-lb-policy.js'
import {command as configureHealthCheck} from '../../../src/lib/cli/specs/elb-configure-healthcheck.js'
import {command as describeLbs} from '../../../src/lib/cli/specs/elb-describe-lbs.js'
import {command as register} from '../../../src/lib/cli/specs/elb-register-instances-with-lb.js'
import {command as policiesOfListener} from '../../../src/lib/cli/specs/elb-set-lb-policies-of-listener.js'

/** Every expectation here was observed on the real 1.0.17.0 jar (`--show-request` shows what it sends). */

const parse = (syntax: CommandSyntax, ...argv: string[]) => parseCommandLine(syntax, argv)

function malformed(run: () => unknown): string {
  try {
    run()
  } catch (error) {
    if (error instanceof MalformedInputError) return error.message
    throw error
  }
  throw new Error('expected a MalformedInputError')
}

describe('legacy option parser', () => {
  test('--opt value, --opt=value and single-dash long names', () => {
    const parsed = parse(register, 'my-lb', '--instances=i-1', '-instances', 'i-2', '--region', 'eu-west-1', '-region', 'x')
    expect(parsed.subject).toBe('my-lb')
    expect(parsed.values.get('instances')).toEqual(['i-1', 'i-2'])
    // a single-valued option keeps its first occurrence
    expect(parsed.values.get('region')).toEqual(['eu-west-1'])
  })

  test('list options split on commas only, drop empty elements and keep blanks', () => {
    expect(parse(register, 'lb', '--instances', ',i-1,,i-2,').values.get('instances')).toEqual(['i-1', 'i-2'])
    expect(parse(register, 'lb', '--instances', 'i-1, i-2').values.get('instances')).toEqual(['i-1', ' i-2'])
    expect(parse(register, 'lb', '--instances', 'i-1 i-2').values.get('instances')).toEqual(['i-1 i-2'])
    expect(parse(register, 'lb', '--instances', 'i-1,\ni-2').values.get('instances')).toEqual(['i-1', '\ni-2'])
    expect(parse(register, 'lb', '--instances', '').values.get('instances')).toEqual([])
  })

  test('short options, attached short values, unknown single letters ignored', () => {
    const parsed = parse(createLb, 'lb', '-l', 'protocol=http,lb-port=1,instance-port=2', '-z', 'a,b', '-zc', '-v', '-H')
    expect(parsed.values.get('availability-zones')).toEqual(['a', 'b', 'c'])
    expect(parsed.maps.get('listener')).toEqual([{protocol: 'http', 'lb-port': '1', 'instance-port': '2'}])
  })

  test('unknown --long and unknown multi-letter single-dash options are rejected', () => {
    expect(malformed(() => parse(describeLbs, '--foo'))).toBe('Malformed input-Unrecognized option:  --foo')
    expect(malformed(() => parse(describeLbs, '--request-timeout', '5'))).toBe('Malformed input-Unrecognized option:  --request-timeout')
    expect(malformed(() => parse(register, 'lb', '-Hv'))).toBe('Malformed input-Unrecognized option:  -Hv')
    expect(malformed(() => parse(describeLbs, '-lbs=x'))).toBe('Malformed input-Unrecognized option:  -lbs=x')
    // no prefix matching: --policy-name is not --policy-names ... except as the seed's alias
    expect(malformed(() => parse(createLbPolicy, 'lb', '--policy-names', 'x'))).toBe('Malformed input-Unrecognized option:  --policy-names')
  })

  test('a value-taking option without a value names its short letter, else its long name', () => {
    expect(malformed(() => parse(createLb, 'lb', '--scheme'))).toBe('Malformed input-Missing argument(s): i')
    expect(malformed(() => parse(createLb, 'lb', '--scheme', '--headers'))).toBe('Malformed input-Missing argument(s): i')
    expect(malformed(() => parse(describeLbs, '--marker'))).toBe('Malformed input-Missing argument(s): marker')
    expect(malformed(() => parse(configureHealthCheck, 'lb', '--timeout', '-1'))).toBe('Malformed input-Missing argument(s): timeout')
    expect(malformed(() => parse(register, 'x', '-I'))).toBe('Malformed input-Missing argument(s): I')
  })

  test('--policy-names may be given without a value (clears the policies)', () => {
    expect(parse(policiesOfListener, 'lb', '-l', '80', '--policy-names').values.get('policy-names')).toEqual([])
    expect(parse(policiesOfListener, 'lb', '-l', '80', '--policy-names', '--headers').flags.has('headers')).toBe(true)
    expect(parse(policiesOfListener, 'lb', '-l80', '-p', '').values.get('policy-names')).toEqual([])
  })

  test('flags accept and ignore =value; display switches are plain flags', () => {
    const parsed = parse(register, 'x', '--headers=foo', '--show-long', '--quiet')
    expect([...parsed.flags].sort()).toEqual(['headers', 'quiet', 'show-long'])
  })

  test('the load balancer name: argv[0], --lb (wins), or (extension) after options; extras ignored', () => {
    expect(parse(register, 'lb', 'extra', '--instances', 'i').subject).toBe('lb')
    expect(parse(register, 'lb', '--lb', 'other').subject).toBe('other')
    expect(parse(register, '--lb=x', 'y').subject).toBe('x')
    expect(parse(register, '--instances', 'i-1', 'lb').subject).toBe('lb')
  })

  test('list positionals: the leading run of names, or --lbs with every following name', () => {
    expect(parse(describeLbs, 'a', 'b', '--headers', 'c').names).toEqual(['a', 'b'])
    expect(parse(describeLbs, '--headers', 'a', 'b').names).toEqual([])
    expect(parse(describeLbs, '--lbs', 'a,b', 'c', 'd').names).toEqual(['a,b', 'c', 'd'])
    expect(parse(describeLbs, 'a', '--lbs', 'y', 'b').names).toEqual(['y', 'b'])
    expect(parse(describeLbs, 'a', '--lbs', 'x', 'y', '--headers', 'z').names).toEqual(['x', 'y'])
    expect(parse(describeLbs, '--lbs').names).toEqual([])
  })

  test('required arguments: --lb first, then options alphabetically, two spaces apart', () => {
    expect(malformed(() => { checkRequired(register, parse(register)); })).toBe('Malformed input-Missing argument(s): --lb  --instances')
    expect(malformed(() => { checkRequired(configureHealthCheck, parse(configureHealthCheck, 'lb', '--interval', '5')); })).toBe(
      'Malformed input-Missing argument(s): --healthy-threshold  --target  --timeout  --unhealthy-threshold',
    )
    expect(malformed(() => { checkRequired(createLb, parse(createLb, 'my-lb', '--availability-zones', 'us-east-1a')); })).toBe(
      'Malformed input-Missing argument(s): --listener',
    )
    // an empty list is missing too (issue 9 #11: `--instances ''` used to be sent as an empty list)
    expect(malformed(() => { checkRequired(register, parse(register, 'lb', '--instances', '')); })).toBe('Malformed input-Missing argument(s): --instances')
  })

  test('seed spellings are aliases: --policy-type-name, --policy-name on set-lb-policies-of-listener', () => {
    expect(parse(createLbPolicy, 'lb', '--policy-type-name', 'PublicKeyPolicyType').values.get('policy-type')).toEqual(['PublicKeyPolicyType'])
    expect(parse(policiesOfListener, 'lb', '--policy-name', 'P').values.get('policy-names')).toEqual(['P'])
  })
})
