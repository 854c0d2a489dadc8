import {LOCAL_CREDENTIALS, parseCredentialFile, resolveCredentials} from '../../../src/lib/client/credentials.js'
import {checkEndpoint, EndpointError} from '../../../src/lib/client/endpoint.js'
import {resolveTarget} from '../../../src/lib/client/target.js'
import {MalformedInputError} from '../../../src/lib/cli/errors.js'

describe('endpoint rule', () => {
  const target = (service: 'elb' | 'iam', url: string | undefined, env: Record<string, string>, region?: string) =>
    resolveTarget({service, url, region, env})

  test('-U/--url, then AWS_ELB_URL (AWS_IAM_URL for IAM) win over everything', () => {
    expect(target('elb', 'http://h:1/', {AWS_ELB_URL: 'http://e/', ELB_TARGET: 'aws'})).toEqual({kind: 'explicit', endpoint: 'http://h:1/', region: 'us-east-1'})
    expect(target('elb', undefined, {AWS_ELB_URL: 'http://e/', EC2_REGION: 'eu-west-1'})).toEqual({kind: 'explicit', endpoint: 'http://e/', region: 'eu-west-1'})
    expect(target('iam', undefined, {AWS_ELB_URL: 'http://e/', AWS_IAM_URL: 'http://i/'})).toMatchObject({kind: 'explicit', endpoint: 'http://i/'})
  })

  test('ELB_TARGET=aws: real AWS in --region, EC2_REGION, AWS_REGION, else us-east-1', () => {
    expect(target('elb', undefined, {ELB_TARGET: 'aws'}, 'ap-south-1')).toEqual({kind: 'aws', region: 'ap-south-1'})
    expect(target('elb', undefined, {ELB_TARGET: 'aws', EC2_REGION: 'eu-west-1', AWS_REGION: 'x'})).toEqual({kind: 'aws', region: 'eu-west-1'})
    expect(target('elb', undefined, {ELB_TARGET: 'aws', AWS_REGION: 'us-west-2'})).toEqual({kind: 'aws', region: 'us-west-2'})
    expect(target('elb', undefined, {ELB_TARGET: 'aws'})).toEqual({kind: 'aws', region: 'us-east-1'})
  })

  test('otherwise the local engine at 127.0.0.1:8773, or ELB_LOCAL_ENDPOINT; IAM too', () => {
    expect(target('elb', undefined, {})).toEqual({kind: 'local', endpoint: 'http://127.0.0.1:8773', region: 'us-east-1'})
    expect(target('iam', undefined, {ELB_LOCAL_ENDPOINT: 'http://127.0.0.1:9999'})).toEqual({kind: 'local', endpoint: 'http://127.0.0.1:9999', region: 'us-east-1'})
  })
})

describe('endpoint rule: IAM and a local AWS_ELB_URL', () => {
  test('without --url/AWS_IAM_URL, IAM commands use an AWS_ELB_URL on loopback (a local engine serves both)', () => {
    expect(resolveTarget({service: 'iam', url: undefined, region: undefined, env: {AWS_ELB_URL: 'http://127.0.0.1:9000'}}))
      .toEqual({kind: 'explicit', endpoint: 'http://127.0.0.1:9000', region: 'us-east-1'})
    expect(resolveTarget({service: 'iam', url: undefined, region: undefined, env: {AWS_ELB_URL: 'http://localhost:9000/'}}))
      .toMatchObject({kind: 'explicit', endpoint: 'http://localhost:9000/'})
  })

  test('an AWS_ELB_URL elsewhere (real AWS) is not taken for IAM', () => {
    expect(resolveTarget({service: 'iam', url: undefined, region: undefined, env: {AWS_ELB_URL: 'https://elasticloadbalancing.eu-west-1.amazonaws.com'}}))
      .toEqual({kind: 'local', endpoint: 'http://127.0.0.1:8773', region: 'us-east-1'})
  })
})

describe('endpoint rule: the mon-* commands (CloudWatch)', () => {
  const target = (url: string | undefined, env: Record<string, string>) => resolveTarget({service: 'cloudwatch', url, region: undefined, env})

  test('-U/--url, then AWS_CLOUDWATCH_URL, then an AWS_ELB_URL on loopback; AWS_ELB_URL elsewhere is ELB\'s only', () => {
    expect(target('http://u/', {AWS_CLOUDWATCH_URL: 'http://c/'})).toMatchObject({kind: 'explicit', endpoint: 'http://u/'})
    expect(target(undefined, {AWS_CLOUDWATCH_URL: 'https://monitoring.us-east-1.amazonaws.com', AWS_ELB_URL: 'http://127.0.0.1:1/'}))
      .toMatchObject({kind: 'explicit', endpoint: 'https://monitoring.us-east-1.amazonaws.com'})
    expect(target(undefined, {AWS_ELB_URL: 'http://127.0.0.1:8773'})).toMatchObject({kind: 'explicit', endpoint: 'http://127.0.0.1:8773'})
    expect(target(undefined, {AWS_ELB_URL: 'https://elasticloadbalancing.us-east-1.amazonaws.com'})).toMatchObject({kind: 'local'})
    expect(target(undefined, {ELB_TARGET: 'aws'})).toEqual({kind: 'aws', region: 'us-east-1'})
  })

  test('a bad AWS_CLOUDWATCH_URL names itself, a bad -U names -U/--url', () => {
    expect(() => target(undefined, {AWS_CLOUDWATCH_URL: 'monitoring'})).toThrow("AWS_CLOUDWATCH_URL 'monitoring' has no scheme")
    expect(() => target('ftp://x/', {})).toThrow("-U/--url 'ftp://x/' is not an http:// or https:// URL.")
  })
})

describe('endpoint mistakes are one sentence', () => {
  const sentence = (text: string, source = 'AWS_ELB_URL'): string => {
    try {
      checkEndpoint(text, source)
    } catch (error) {
      if (error instanceof EndpointError) return error.message
    }
    return 'accepted'
  }

  test.each([
    ['127.0.0.1:8773', "AWS_ELB_URL '127.0.0.1:8773' has no scheme: write it as http://127.0.0.1:8773."],
    ['localhost', "AWS_ELB_URL 'localhost' has no scheme: write it as http://localhost."],
    ['ftp://127.0.0.1/', "AWS_ELB_URL 'ftp://127.0.0.1/' is not an http:// or https:// URL."],
    ['http://127.0.0.1:65536', "AWS_ELB_URL 'http://127.0.0.1:65536' has a bad port '65536': a port is a number from 1 to 65535."],
    ['http://127.0.0.1:0', "AWS_ELB_URL 'http://127.0.0.1:0' has a bad port '0': a port is a number from 1 to 65535."],
    ['http://127.0.0.1:80a', "AWS_ELB_URL 'http://127.0.0.1:80a' has a bad port '80a': a port is a number from 1 to 65535."],
    ['http://127.0.0.999:80', "AWS_ELB_URL 'http://127.0.0.999:80' has a bad host '127.0.0.999': give a host name or an IP address."],
    ['http://a b:80', "AWS_ELB_URL 'http://a b:80' has a bad host 'a b': give a host name or an IP address."],
    ['http://[::1]:8773/', 'accepted'],
    ['https://elasticloadbalancing.us-east-1.amazonaws.com', 'accepted'],
  ])('%s', (text, expected) => {
    expect(sentence(text)).toBe(expected)
  })

  test('resolveTarget names where the bad URL came from', () => {
    expect(() => resolveTarget({service: 'elb', url: '127.0.0.1:1', region: undefined, env: {}})).toThrow("-U/--url '127.0.0.1:1' has no scheme")
    expect(() => resolveTarget({service: 'iam', url: undefined, region: undefined, env: {AWS_IAM_URL: 'x:1'}})).toThrow("AWS_IAM_URL 'x:1' has no scheme")
    expect(() => resolveTarget({service: 'elb', url: undefined, region: undefined, env: {ELB_LOCAL_ENDPOINT: 'h:1'}})).toThrow("ELB_LOCAL_ENDPOINT 'h:1' has no scheme")
  })
})

describe('credentials', () => {
  const local = resolveTarget({service: 'elb', url: undefined, region: undefined, env: {}})
  const aws = resolveTarget({service: 'elb', url: undefined, region: undefined, env: {ELB_TARGET: 'aws'}})
  const input = {accessKeyId: undefined, secretKey: undefined, credentialFile: undefined, env: {}, target: local, readFile: () => undefined}
  const message = (run: () => unknown): string => {
    try {
      run()
    } catch (error) {
      if (error instanceof MalformedInputError) return error.message
    }
    return 'no error'
  }

  test('-I/-S win; one of them alone is the legacy error', () => {
    expect(resolveCredentials({...input, accessKeyId: 'AK', secretKey: 'SK', credentialFile: '/f'})).toEqual({accessKeyId: 'AK', secretAccessKey: 'SK'})
    expect(message(() => resolveCredentials({...input, accessKeyId: 'AKIDONLY'}))).toBe(
      'Malformed input-No Credentials were provided - cannot access the service',
    )
  })

  test('the credential file (option or AWS_CREDENTIAL_FILE)', () => {
    const files: Record<string, string> = {'/c': '# comment\nAWSAccessKeyId = AKID \nAWSSecretKey=secret\n'}
    expect(resolveCredentials({...input, env: {AWS_CREDENTIAL_FILE: '/c'}, readFile: (path) => files[path]})).toEqual({
      accessKeyId: 'AKID ',
      secretAccessKey: 'secret',
    })
    expect(message(() => resolveCredentials({...input, credentialFile: '/missing'}))).toBe('Malformed input-File not found: /missing')
    expect(message(() => parseCredentialFile('AWSAccessKeyId=AKIDONLY\n', '/c'))).toBe(
      'Malformed input-Bad credentials in file: /c [keyId: AKIDONLY | secretKey null]',
    )
  })

  test('none given: the SDK chain for real AWS, fixed dummies for the local engine', () => {
    expect(resolveCredentials({...input, target: aws})).toBe('sdk-default')
    expect(resolveCredentials(input)).toBe(LOCAL_CREDENTIALS)
  })
})
