import {
  appCookieHeaderLines,
  decodeStickyCookie,
  encodeStickyCookie,
  findAppCookie,
  findCookie,
  lbCookieHeaderLines,
} from '../../../../src/engine/dataplane/http/stickiness.js'

const secret = Buffer.alloc(32, 7)

describe('stickiness cookies', () => {
  test('the AWSELB value is opaque upper-case hex naming instance and back-end port', () => {
    const value = encodeStickyCookie(secret, 'i-0123456789abcdef0', 80)
    expect(value).toMatch(/^[0-9A-F]+$/)
    expect(value).not.toContain('i-0123')
    expect(decodeStickyCookie(secret, value, 80)).toBe('i-0123456789abcdef0')
    expect(decodeStickyCookie(secret, value, 8080)).toBeUndefined()
    expect(decodeStickyCookie(Buffer.alloc(32, 8), value, 80)).toBeUndefined()
    expect(decodeStickyCookie(secret, `${value.slice(0, -2)}00`, 80)).toBeUndefined()
    expect(decodeStickyCookie(secret, 'nonsense', 80)).toBeUndefined()
  })

  test('Set-Cookie lines for duration-based stickiness', () => {
    expect(lbCookieHeaderLines('ABC', 30)).toEqual([
      'Set-Cookie: AWSELB=ABC;PATH=/;MAX-AGE=30',
      'Set-Cookie: AWSELBCORS=ABC;PATH=/;MAX-AGE=30;SECURE;SAMESITE=None',
      'Cache-control: no-cache="set-cookie"',
    ])
    expect(lbCookieHeaderLines('ABC', undefined)[0]).toBe('Set-Cookie: AWSELB=ABC;PATH=/')
  })

  test('findCookie reads Cookie headers', () => {
    expect(findCookie(['a=1; AWSELB=XYZ; b=2'], 'AWSELB')).toBe('XYZ')
    expect(findCookie(['a=1', 'AWSELB="Q"'], 'AWSELB')).toBe('Q')
    expect(findCookie(['a=1'], 'AWSELB')).toBeUndefined()
  })

  test('application cookie: attributes copied, underscores in path encoded, trailing semicolon ignored', () => {
    const app = findAppCookie(['other=1', 'SESSION=abc; Path=/my_path; HttpOnly; Max-Age=60; Foo=bar'], 'SESSION')
    expect(app).toEqual({attributes: ['Path=/my%5Fpath', 'HttpOnly', 'Max-Age=60']})
    expect(findAppCookie(['SESSION=abc; Path=/;'], 'SESSION')).toBeUndefined()
    expect(appCookieHeaderLines('V', {attributes: ['Path=/x', 'Max-Age=60']})).toEqual([
      'Set-Cookie: AWSELB=V;Path=/x;Max-Age=60',
      'Set-Cookie: AWSELBCORS=V;Path=/x;Max-Age=60;SECURE;SAMESITE=None',
      'Cache-control: no-cache="set-cookie"',
    ])
  })
})
