import {CredentialsFileError, parseCredentials} from '../../../../src/engine/api/signature/credentials-file.js'

describe('the --credentials file', () => {
  it('reads every profile of an AWS CLI credentials file', () => {
    const keys = parseCredentials([
      '# mine', '[default]', 'aws_access_key_id = AKIDONE', 'aws_secret_access_key = secret/one+1', '',
      '[ci]', 'aws_secret_access_key=secret-two', 'aws_access_key_id=AKIDTWO', 'region = eu-west-1',
      '[half]', 'aws_access_key_id = AKIDHALF',
    ].join('\n'), 'creds')
    expect([...keys]).toEqual([['AKIDONE', 'secret/one+1'], ['AKIDTWO', 'secret-two']])
  })

  it('reads the legacy tools’ credential file', () => {
    expect([...parseCredentials('AWSAccessKeyId=AKIDLEGACY\r\nAWSSecretKey=legacy+secret\r\n', 'legacy')]).toEqual([['AKIDLEGACY', 'legacy+secret']])
  })

  it('refuses a file without a complete pair, naming it', () => {
    expect(() => parseCredentials('[default]\naws_access_key_id = AKID\n', '/tmp/x')).toThrow(CredentialsFileError)
    expect(() => parseCredentials('', '/tmp/x')).toThrow(/^The credentials file \/tmp\/x holds no access key/)
  })
})
