import {serializeError, serializeResult} from '../../../../src/engine/api/protocols/query.js'
import {escapeXml} from '../../../../src/engine/wire/xml.js'

const NS = 'http://elasticloadbalancing.amazonaws.com/doc/2012-06-01/'

describe('serializeResult', () => {
  it('writes members in insertion order, lists as member items, empty lists as <Name/>, dates with milliseconds', () => {
    const xml = serializeResult({
      action: 'DescribeLoadBalancerAttributes', namespace: NS, requestId: 'req-1',
      resultWrapper: 'DescribeLoadBalancerAttributesResult', outputMembers: ['Zeta', 'Alpha', 'When'],
      result: {Zeta: {B: true, A: 3, Skip: undefined}, Alpha: ['x', 'y<&>'], When: new Date(Date.UTC(2015, 2, 19, 3, 24, 2, 650)), Empty: []},
    })
    expect(xml).toBe(
      `<DescribeLoadBalancerAttributesResponse xmlns="${NS}">\n` +
      '  <DescribeLoadBalancerAttributesResult>\n' +
      '    <Zeta>\n      <B>true</B>\n      <A>3</A>\n    </Zeta>\n' +
      '    <Alpha>\n      <member>x</member>\n      <member>y&lt;&amp;&gt;</member>\n    </Alpha>\n' +
      '    <When>2015-03-19T03:24:02.650Z</When>\n' +
      '  </DescribeLoadBalancerAttributesResult>\n' +
      '  <ResponseMetadata>\n    <RequestId>req-1</RequestId>\n  </ResponseMetadata>\n' +
      '</DescribeLoadBalancerAttributesResponse>\n')
  })

  it('writes an empty Result element when the output has no members', () => {
    const xml = serializeResult({action: 'AddTags', namespace: NS, requestId: 'r', resultWrapper: 'AddTagsResult', outputMembers: [], result: {}})
    expect(xml).toContain(`<AddTagsResponse xmlns="${NS}">\n  <AddTagsResult/>\n  <ResponseMetadata>`)
  })

  it('writes no Result element for an operation without a result wrapper (IAM void operations)', () => {
    const xml = serializeResult({action: 'DeleteServerCertificate', namespace: 'https://iam.amazonaws.com/doc/2010-05-08/',
      requestId: 'r', outputMembers: [], result: {}})
    expect(xml).toBe(
      '<DeleteServerCertificateResponse xmlns="https://iam.amazonaws.com/doc/2010-05-08/">\n' +
      '  <ResponseMetadata>\n    <RequestId>r</RequestId>\n  </ResponseMetadata>\n</DeleteServerCertificateResponse>\n')
  })

  it('leaves out SDK-only members such as $metadata', () => {
    const xml = serializeResult({action: 'CreateLoadBalancer', namespace: NS, requestId: 'r', resultWrapper: 'CreateLoadBalancerResult',
      outputMembers: ['DNSName'], result: {$metadata: {httpStatusCode: 200}, DNSName: 'a.example'}})
    expect(xml).not.toContain('metadata')
    expect(xml).toContain('<DNSName>a.example</DNSName>')
  })
})

describe('serializeError', () => {
  it('renders the AWS error envelope with RequestId beside Error', () => {
    expect(serializeError({namespace: NS, requestId: 'abc', type: 'Sender', code: 'LoadBalancerNotFound',
      message: "There is no ACTIVE Load Balancer named 'a<b'"})).toBe(
      `<ErrorResponse xmlns="${NS}">\n  <Error>\n    <Type>Sender</Type>\n    <Code>LoadBalancerNotFound</Code>\n` +
      "    <Message>There is no ACTIVE Load Balancer named 'a&lt;b'</Message>\n  </Error>\n  <RequestId>abc</RequestId>\n</ErrorResponse>\n")
  })
})

describe('escapeXml', () => {
  it('keeps carriage returns through an XML parser and replaces what XML 1.0 cannot carry', () => {
    expect(escapeXml('a\r\nb\tc')).toBe('a&#xD;\nb\tc')
    // XML 1.0 forbids these even as character references (issue 9 #3: `&#x0;` broke every parser).
    expect(escapeXml('a\u0000b\u0001c\u001Fd\uFFFEe\uD800f\uDC00g')).toBe('a\uFFFDb\uFFFDc\uFFFDd\uFFFDe\uFFFDf\uFFFDg')
    expect(escapeXml('emoji \uD83D\uDE00 stays')).toBe('emoji \uD83D\uDE00 stays')
  })
})
