import {parseFormEncoded} from '../../../../src/engine/api/query-parser.js'
import {ServiceError} from '../../../../src/engine/model/errors.js'

describe('parseFormEncoded', () => {
  it('decodes pairs, plus signs, bare keys and empty values', () => {
    expect(parseFormEncoded('Action=DescribeLoadBalancers&PolicyNames=&Bare&Target=HTTP%3A80%2Fping&Space=a+b%20c'))
      .toEqual([['Action', 'DescribeLoadBalancers'], ['PolicyNames', ''], ['Bare', ''], ['Target', 'HTTP:80/ping'], ['Space', 'a b c']])
  })

  it('keeps "=" inside values and skips empty segments', () => {
    expect(parseFormEncoded('&&Signature=abc%3D%3D&Key=a=b&')).toEqual([['Signature', 'abc=='], ['Key', 'a=b']])
  })

  it('decodes UTF-8 and refuses broken escapes with MalformedQueryString (404)', () => {
    expect(parseFormEncoded('Tag=%C3%A9t%C3%A9')).toEqual([['Tag', 'été']])
    for (const bad of ['A=%E0%A4%A', 'A=%zz', 'A=%FF']) {
      try {
        parseFormEncoded(bad)
        throw new Error(`accepted ${bad}`)
      } catch (error) {
        expect(error).toBeInstanceOf(ServiceError)
        expect((error as ServiceError).code).toBe('MalformedQueryString')
        expect((error as ServiceError).status).toBe(404)
      }
    }
  })
})
