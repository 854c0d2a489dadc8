import {wrapMessage} from '../../../src/lib/cli/wrap.js'

/** Wrapped lines observed on the 1.0.17.0 jar. */
describe('error message wrapping', () => {
  test('breaks before the word that would pass column 79, keeping the space', () => {
    expect(
      wrapMessage(
        "Couldn't reach the service (reason: Connection refused) - please check your network settings and if the problem continues, contact support.",
      ),
    ).toBe("Couldn't reach the service (reason: Connection refused) - please check your\n network settings and if the problem continues, contact support.")
    expect(wrapMessage('You are not authorized to connect to the service. Please check your credentials.')).toBe(
      'You are not authorized to connect to the service. Please check your\n credentials.',
    )
    expect(wrapMessage("Malformed input-1 validation error detected: Value 'x y' at 'loadBalancerName' failed to satisfy constraint")).toBe(
      "Malformed input-1 validation error detected: Value 'x y' at 'loadBalancerName'\n failed to satisfy constraint",
    )
  })

  test('a double space may break between its blanks', () => {
    expect(wrapMessage('Malformed input-Missing argument(s): --healthy-threshold  --target  --timeout  --unhealthy-threshold')).toBe(
      'Malformed input-Missing argument(s): --healthy-threshold  --target  --timeout \n --unhealthy-threshold',
    )
    expect(
      wrapMessage('Conflicting data provided: lbc cannot be enabled: a LBCookieStickinessPolicyType policy cannot be enabled on the TCP listener on LoadBalancerPort 8443  AWSRequestId:e0f1'),
    ).toBe(
      'Conflicting data provided: lbc cannot be enabled: a\n LBCookieStickinessPolicyType policy cannot be enabled on the TCP listener on\n LoadBalancerPort 8443  AWSRequestId:e0f1',
    )
  })

  test('blanks ending the message are dropped', () => {
    expect(wrapMessage('Malformed input-No value separator = found in ')).toBe('Malformed input-No value separator = found in')
  })
})
