import {MalformedInputError} from '../../../src/lib/cli/errors.js'
import {parseCommandLine} from '../../../src/lib/cli/parse/argv.js'
import {parseMapOptionValue, splitListValue} from '../../../src/lib/cli/parse/map-option.js'
import {command as createLb} from '../../../src/lib/cli/specs/elb-create-lb.js'
import {command as createLbPolicy} from '../../../src/lib/cli/specs/elb-create-lb-policy.js'

/** Rules observed on the 1.0.17.0 jar with `--show-request`. */
describe('map options (--listener, --attribute)', () => {
  test('blanks around commas are ignored; any other blank starts a new map', () => {
    expect(parseMapOptionValue('protocol=HTTP, lb-port=80, instance-port=80')).toEqual([{protocol: 'HTTP', 'lb-port': '80', 'instance-port': '80'}])
    expect(parseMapOptionValue('protocol=http, lb-port=1 ,instance-port=2')).toHaveLength(1)
    expect(parseMapOptionValue('name=a,  value=b')).toEqual([{name: 'a', value: 'b'}])
    expect(parseMapOptionValue(' name=a,value=b ')).toEqual([{name: 'a', value: 'b'}])
    expect(parseMapOptionValue('protocol=http,lb-port=80,instance-port=80 protocol=tcp,lb-port=81,instance-port=81')).toEqual([
      {protocol: 'http', 'lb-port': '80', 'instance-port': '80'},
      {protocol: 'tcp', 'lb-port': '81', 'instance-port': '81'},
    ])
  })

  test('values split at the first =, pass through unchanged; the last repeated key wins; trailing comma harmless', () => {
    expect(parseMapOptionValue('cert-id=arn:x/a=b')).toEqual([{'cert-id': 'arn:x/a=b'}])
    expect(parseMapOptionValue('protocol=http,protocol=tcp')).toEqual([{protocol: 'tcp'}])
    expect(parseMapOptionValue('name=a,value=')).toEqual([{name: 'a', value: ''}])
    expect(parseMapOptionValue('protocol=http,lb-port=1,')).toEqual([{protocol: 'http', 'lb-port': '1'}])
  })

  test('an entry without = is an error naming the entry', () => {
    const message = (value: string) => {
      try {
        parseMapOptionValue(value)
      } catch (error) {
        if (error instanceof MalformedInputError) return error.message
      }
      return 'no error'
    }
    expect(message('name=Reference-Security-Policy, value=ELB Security')).toBe('Malformed input-No value separator = found in Security')
    expect(message('name=a,value= b')).toBe('Malformed input-No value separator = found in b')
    expect(message('protocol=http,,cert-id=x')).toBe('Malformed input-No value separator = found in ')
    expect(message('')).toBe('Malformed input-No value separator = found in ')
  })

  test('illegal keys are reported before missing ones; missing keys per map, in declared order', () => {
    const error = (syntax: typeof createLb, ...argv: string[]) => {
      try {
        parseCommandLine(syntax, argv)
      } catch (caught) {
        if (caught instanceof MalformedInputError) return caught.message
      }
      return 'no error'
    }
    expect(error(createLb, 'lb', '--listener', 'protocol=http')).toBe('Malformed input-Missing key(s) definition for --listener : lb-port instance-port')
    expect(error(createLb, 'lb', '--listener', 'protocol=http,foo=1,bar=2')).toBe('Malformed input-Illegal key(s) definition for --listener : foo bar')
    expect(error(createLb, 'lb', '--listener', 'proto=http,lb-port=80,instance-port=80')).toBe(
      'Malformed input-Illegal key(s) definition for --listener : proto',
    )
    expect(error(createLbPolicy, 'lb', '--attribute', 'name=a value=b')).toBe('Malformed input-Missing key(s) definition for --attribute : value name')
    expect(error(createLbPolicy, 'lb', '-a', 'name=a,value=b', '--attribute', 'foo=x')).toBe(
      'Malformed input-Illegal key(s) definition for --attribute : foo',
    )
  })

  test('repeated map options accumulate in order', () => {
    const parsed = parseCommandLine(createLbPolicy, ['lb', '--attribute', 'name=a,value=b name=c,value=d', '-a', 'name=e,value=f'])
    expect(parsed.maps.get('attribute')).toEqual([
      {name: 'a', value: 'b'},
      {name: 'c', value: 'd'},
      {name: 'e', value: 'f'},
    ])
  })
})

test('list values: split on commas, empty elements dropped, no trimming', () => {
  expect(splitListValue(',a,,b,')).toEqual(['a', 'b'])
  expect(splitListValue('a, b')).toEqual(['a', ' b'])
  expect(splitListValue('')).toEqual([])
})
